// LibraryRootRepository conformance: list by path with asset counts, get, add, and remove with the
// root's assets.
import { describe, expect, it } from 'vitest';
import { AppError } from '../contract/errors.ts';
import { idsOf, listQuery, useFixture, type MakeFixture } from './conformance-harness.ts';
import { OTHER_ROOT, ROOT, asset, id } from './seed-builders.ts';

const UNKNOWN = id(0xdead);

export function describeLibraryRootRepositoryConformance(name: string, make: MakeFixture): void {
  describe(`${name}: LibraryRootRepository`, () => {
    const fx = useFixture(make);
    const seed = async (): Promise<void> => {
      const f = fx();
      await f.seedRoots(f.ownerId, [OTHER_ROOT, ROOT]);
      await f.seedAssets(f.ownerId, [
        asset(1),
        asset(2, { trashedAt: '2024-06-01T00:00:00.000Z' }),
        asset(3, { rootId: OTHER_ROOT.id, path: `${OTHER_ROOT.path}/IMG_0003.jpg` }),
      ]);
    };

    it('lists roots by path with their asset counts', async () => {
      expect(await fx().roots.list(fx().ownerId)).toEqual([]);
      await seed();
      const roots = await fx().roots.list(fx().ownerId);
      expect(roots.map((r) => [r.id, r.path, r.assetCount, r.lastScanAt])).toEqual([
        [ROOT.id, ROOT.path, 2, null],
        [OTHER_ROOT.id, OTHER_ROOT.path, 1, null],
      ]);
      expect(await fx().roots.get(fx().ownerId, ROOT.id)).toEqual(roots[0]);
      expect(await fx().roots.get(fx().ownerId, UNKNOWN)).toBeNull();
    });

    it('adds a root (or refuses, where roots cannot be added)', async () => {
      if (!fx().rootsAddable) {
        const refused = await Promise.resolve()
          .then(() => fx().roots.add(fx().ownerId, '/library/new'))
          .then(() => null, (error: unknown) => error);
        expect(refused).toBeInstanceOf(AppError);
        expect((refused as AppError).code).toBe('NOT_SUPPORTED');
        expect(await fx().roots.list(fx().ownerId)).toEqual([]);
        return;
      }
      const root = await fx().roots.add(fx().ownerId, '/library/new');
      expect(root).toMatchObject({ path: '/library/new', assetCount: 0, lastScanAt: null });
      expect(Number.isNaN(Date.parse(root.createdAt))).toBe(false);
      expect(await fx().roots.get(fx().ownerId, root.id)).toMatchObject({ id: root.id, path: '/library/new' });
      expect(idsOf(await fx().roots.list(fx().ownerId))).toEqual([root.id]);
    });

    it('removes a root with its assets', async () => {
      await seed();
      expect(await fx().roots.remove(fx().ownerId, ROOT.id)).toBe(2);
      expect(await fx().roots.get(fx().ownerId, ROOT.id)).toBeNull();
      expect(await fx().assets.get(fx().ownerId, id(1))).toBeNull();
      expect(idsOf((await fx().assets.list(fx().ownerId, listQuery())).items)).toEqual([id(3)]);
      expect(await fx().assets.counts(fx().ownerId)).toMatchObject({ image: 1 });
      expect(await fx().roots.remove(fx().ownerId, UNKNOWN)).toBe(0);
    });

    it('counts removed assets as get() counted them: tombstones are not assets', async () => {
      await seed();
      expect(await fx().trash.purge(fx().ownerId, [id(2)], true)).toBe(1);
      expect(await fx().roots.get(fx().ownerId, ROOT.id)).toMatchObject({ assetCount: 1 });
      expect(await fx().roots.remove(fx().ownerId, ROOT.id)).toBe(1);
      expect(await fx().roots.list(fx().ownerId)).toHaveLength(1);
    });
  });
}
