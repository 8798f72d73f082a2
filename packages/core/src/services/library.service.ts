// Library folders: add (an existing folder, not already covered, not inside the app's own folders),
// list, remove.
import { AppError } from '../contract/errors.ts';
import type { LibraryRoot } from '../contract/schemas/library.schemas.ts';
import { isSameOrInside } from '../domain/paths.ts';
import type { FolderProbe, LibraryRootRepository } from '../ports/library.ports.ts';

export interface LibraryServiceOptions {
  /**
   * The app's own folders (its data folder, its models), as canonical paths. A library folder
   * inside one would index the app's thumbnails as photos, whose thumbnails are indexed in turn.
   * A library folder containing one is fine: scans and the watcher skip them.
   */
  internalFolders?: () => readonly string[];
}

export class LibraryService {
  private readonly roots: LibraryRootRepository;
  private readonly probe: FolderProbe;
  private readonly internalFolders: () => readonly string[];

  constructor(roots: LibraryRootRepository, probe: FolderProbe, options: LibraryServiceOptions = {}) {
    this.roots = roots;
    this.probe = probe;
    this.internalFolders = options.internalFolders ?? (() => []);
  }

  async list(ownerId: string): Promise<LibraryRoot[]> {
    return await this.roots.list(ownerId);
  }

  async add(ownerId: string, requested: string): Promise<LibraryRoot> {
    const folder = this.probe.resolveFolder(requested);
    if (!folder) throw new AppError('FOLDER_NOT_FOUND', `not a folder: ${requested}`);
    const internal = this.internalFolders().find((f) => isSameOrInside(f, folder));
    if (internal !== undefined) {
      throw new AppError('ROOT_OVERLAPS', `${folder} is inside Shoebox's own folder ${internal} (its catalog, thumbnails or models): choose a folder of your photos`);
    }
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
