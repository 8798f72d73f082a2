// The trash: restoring, and emptying. Emptying removes assets from the library; it deletes their
// files only when the caller asked for it with the explicit confirmation, and an asset whose file
// could not be deleted stays in the trash.
import type { EmptyTrashBody, EmptyTrashResult } from '../contract/schemas/trash.schemas.ts';
import type { FileRemover, TrashRepository } from '../ports/library.ports.ts';

export class TrashService {
  private readonly trash: TrashRepository;
  private readonly files: FileRemover;

  constructor(trash: TrashRepository, files: FileRemover) {
    this.trash = trash;
    this.files = files;
  }

  async restore(ownerId: string, ids: readonly string[] | undefined): Promise<{ count: number }> {
    return { count: await this.trash.restore(ownerId, ids) };
  }

  async empty(ownerId: string, body: EmptyTrashBody): Promise<EmptyTrashResult> {
    const items = await this.trash.trashed(ownerId, body.ids);
    if (!body.deleteFiles || body.confirm !== 'delete files') {
      return { removed: await this.trash.purge(ownerId, items.map((i) => i.id), true), filesDeleted: 0, failures: [] };
    }
    const gone: string[] = [];
    const failures: { path: string; error: string }[] = [];
    let filesDeleted = 0;
    for (const item of items) {
      if (item.offline) {
        failures.push({ path: item.path, error: 'the file is offline (its folder or drive is not connected), so it stays in the trash' });
        continue;
      }
      // Restored meanwhile (deleting many files takes a while): it stays, file and all.
      if (!await this.trash.isTrashed(ownerId, item.id)) continue;
      // The original first: when it cannot go, its sidecars and Live Photo video stay with it.
      const error = await this.files.remove(item.path);
      if (error) {
        failures.push({ path: item.path, error });
        continue;
      }
      filesDeleted++;
      gone.push(item.id);
      const companions = [...item.sidecars, ...(item.livePhotoVideo ? [item.livePhotoVideo.path] : [])];
      for (const companion of companions) {
        const companionError = await this.files.remove(companion);
        if (companionError) failures.push({ path: companion, error: companionError });
        else filesDeleted++;
      }
    }
    return { removed: await this.trash.purge(ownerId, gone, false), filesDeleted, failures };
  }
}
