// Emptying the trash against fakes of its ports: files go only with the confirmation, an offline
// file or one that cannot be deleted stays in the trash, and an asset restored meanwhile is spared.
import { describe, expect, it } from 'vitest';
import { TrashService, type FileRemover, type TrashedAsset, type TrashRepository } from '../src/index.ts';

function fakes(items: TrashedAsset[], failing: Set<string> = new Set()) {
  const trashed = new Set(items.map((i) => i.id));
  const removedFiles: string[] = [];
  const purged: { ids: string[]; tomb: boolean }[] = [];
  const repo: TrashRepository = {
    restore: (_o, ids) => {
      for (const id of ids ?? [...trashed]) trashed.delete(id);
      return 0;
    },
    trashed: () => items,
    isTrashed: (_o, id) => trashed.has(id),
    purge: (_o, ids, tomb) => {
      const live = ids.filter((id) => trashed.has(id));
      purged.push({ ids: live, tomb });
      return live.length;
    },
  };
  const files: FileRemover = {
    remove: async (p) => {
      if (failing.has(p)) return 'permission denied';
      removedFiles.push(p);
      // Another tab restores `b` while `a` is being deleted.
      if (p === '/lib/a.jpg') repo.restore('o', ['b']);
      return null;
    },
  };
  return { service: new TrashService(repo, files), removedFiles, purged };
}

const item = (id: string, extra: Partial<TrashedAsset> = {}): TrashedAsset => ({
  id, path: `/lib/${id}.jpg`, offline: false, sidecars: [], livePhotoVideo: null, ...extra,
});

describe('TrashService.empty', () => {
  it('keeps every file without deleteFiles and leaves tombstones', async () => {
    const { service, removedFiles, purged } = fakes([item('a'), item('b')]);
    expect(await service.empty('o', { deleteFiles: false })).toEqual({ removed: 2, filesDeleted: 0, failures: [] });
    expect(removedFiles).toEqual([]);
    expect(purged).toEqual([{ ids: ['a', 'b'], tomb: true }]);
  });

  it('deletes files, sidecars and the Live Photo video; spares the offline, the failing and the restored', async () => {
    const { service, removedFiles, purged } = fakes(
      [
        item('a', { sidecars: ['/lib/a.jpg.xmp'], livePhotoVideo: { id: 'av', path: '/lib/a.mov' } }),
        item('b'),
        item('c', { offline: true }),
        item('d'),
      ],
      new Set(['/lib/d.jpg']),
    );
    const r = await service.empty('o', { deleteFiles: true, confirm: 'delete files' });
    expect(removedFiles).toEqual(['/lib/a.jpg', '/lib/a.jpg.xmp', '/lib/a.mov']);
    expect(r.filesDeleted).toBe(3);
    expect(r.removed).toBe(1);
    expect(r.failures.map((f) => f.path)).toEqual(['/lib/c.jpg', '/lib/d.jpg']);
    expect(r.failures[0]!.error).toMatch(/offline/);
    expect(purged).toEqual([{ ids: ['a'], tomb: false }]);
  });

  it('never deletes a file without the confirmation words', async () => {
    const { service, removedFiles } = fakes([item('a')]);
    await service.empty('o', { deleteFiles: true });
    expect(removedFiles).toEqual([]);
  });
});
