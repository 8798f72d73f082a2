// LibraryService against in-memory fakes of its ports.
import { describe, expect, it } from 'vitest';
import type { LibraryRoot } from '../src/contract/schemas/library.schemas.ts';
import type { FolderProbe, LibraryRootRepository } from '../src/ports/library.ports.ts';
import { LibraryService } from '../src/services/library.service.ts';
import { AppError } from '../src/contract/errors.ts';

function fakes(folders: string[], internalFolders: readonly string[] = []): { service: LibraryService; roots: LibraryRoot[] } {
  const roots: LibraryRoot[] = [];
  let n = 0;
  const repo: LibraryRootRepository = {
    list: () => [...roots],
    get: (_o, id) => roots.find((r) => r.id === id) ?? null,
    add: (_o, p) => {
      const root = { id: `00000000-0000-4000-8000-00000000000${n++}`, path: p, createdAt: '', lastScanAt: null, assetCount: 0, online: true };
      roots.push(root);
      return root;
    },
    remove: (_o, id) => {
      roots.splice(roots.findIndex((r) => r.id === id), 1);
      return 7;
    },
  };
  const probe: FolderProbe = {
    resolveFolder: (p) => (folders.includes(p.replace(/\/$/, '')) ? p.replace(/\/$/, '') : null),
    exists: (p) => folders.includes(p),
  };
  return { service: new LibraryService(repo, probe, { internalFolders: () => internalFolders }), roots };
}

const code = async (fn: () => Promise<unknown>): Promise<string> => {
  try {
    await fn();
  } catch (e) {
    return e instanceof AppError ? e.code : 'OTHER';
  }
  return 'NONE';
};

describe('LibraryService', () => {
  it('adds existing folders and refuses missing, repeated and overlapping ones', async () => {
    const { service } = fakes(['/photos', '/photos/2024', '/other', '/photo']);
    expect((await service.add('o', '/photos/')).path).toBe('/photos');
    expect(await code(() => service.add('o', '/missing'))).toBe('FOLDER_NOT_FOUND');
    expect(await code(() => service.add('o', '/photos'))).toBe('ROOT_ALREADY_EXISTS');
    expect(await code(() => service.add('o', '/photos/2024'))).toBe('ROOT_OVERLAPS');
    expect((await service.add('o', '/photo')).path).toBe('/photo');
    expect((await service.add('o', '/other')).path).toBe('/other');
  });

  it("refuses a folder inside the app's own folders, and accepts one containing them", async () => {
    const { service } = fakes(
      ['/home/me', '/home/me/Shoebox', '/home/me/Shoebox/media', '/models', '/models/clip', '/home/me/Shoebox photos'],
      ['/home/me/Shoebox', '/models'],
    );
    for (const inside of ['/home/me/Shoebox', '/home/me/Shoebox/media', '/models/clip']) {
      await expect(service.add('o', inside)).rejects.toMatchObject({ code: 'ROOT_OVERLAPS', message: expect.stringContaining("Shoebox's own folder") });
    }
    // A sibling whose name starts the same is not inside.
    expect((await service.add('o', '/home/me/Shoebox photos')).path).toBe('/home/me/Shoebox photos');
    await service.remove('o', (await service.find('o', '/home/me/Shoebox photos'))!.id);
    expect((await service.add('o', '/home/me')).path).toBe('/home/me');
  });

  it('finds roots by id or path and removes them', async () => {
    const { service, roots } = fakes(['/photos']);
    const root = await service.add('o', '/photos');
    expect((await service.find('o', '/photos'))?.id).toBe(root.id);
    expect((await service.remove('o', root.id))).toBe(7);
    expect(roots).toEqual([]);
    expect(await code(() => service.remove('o', root.id))).toBe('ROOT_NOT_FOUND');
  });
});
