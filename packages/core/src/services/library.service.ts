// Library folders: add (an existing folder, not already covered), list, remove.
import { AppError } from '../contract/errors.ts';
import type { LibraryRoot } from '../contract/schemas/library.schemas.ts';
import { isSameOrInside } from '../domain/paths.ts';
import type { FolderProbe, LibraryRootRepository } from '../ports/library.ports.ts';

export class LibraryService {
  private readonly roots: LibraryRootRepository;
  private readonly probe: FolderProbe;

  constructor(roots: LibraryRootRepository, probe: FolderProbe) {
    this.roots = roots;
    this.probe = probe;
  }

  async list(ownerId: string): Promise<LibraryRoot[]> {
    return await this.roots.list(ownerId);
  }

  async add(ownerId: string, requested: string): Promise<LibraryRoot> {
    const folder = this.probe.resolveFolder(requested);
    if (!folder) throw new AppError('FOLDER_NOT_FOUND', `not a folder: ${requested}`);
    for (const root of await this.roots.list(ownerId)) {
      if (root.path === folder) throw new AppError('ROOT_ALREADY_EXISTS', `already in the library: ${folder}`);
      if (isSameOrInside(root.path, folder)) {
        throw new AppError('ROOT_OVERLAPS', `${folder} is inside the library folder ${root.path}`);
      }
      if (isSameOrInside(folder, root.path)) {
        throw new AppError('ROOT_OVERLAPS', `${folder} contains the library folder ${root.path}; remove that one first`);
      }
    }
    return await this.roots.add(ownerId, folder);
  }

  /** Finds a root by id, or by its path as the user typed it. */
  async find(ownerId: string, idOrPath: string): Promise<LibraryRoot | null> {
    const roots = await this.roots.list(ownerId);
    const byId = roots.find((r) => r.id === idOrPath);
    if (byId) return byId;
    const resolved = this.probe.resolveFolder(idOrPath) ?? idOrPath;
    return roots.find((r) => r.path === resolved || r.path === idOrPath) ?? null;
  }

  async remove(ownerId: string, id: string): Promise<number> {
    if (!await this.roots.get(ownerId, id)) throw new AppError('ROOT_NOT_FOUND', `no library folder with id ${id}`);
    return await this.roots.remove(ownerId, id);
  }
}
