// TrashRepository conformance: what emptying the trash would remove (files, own sidecars, a Live
// Photo's video), restoring, and purging with and without a tombstone (album entries, duplicates).
import { describe, expect, it } from 'vitest';
import type { SeedAsset } from './conformance-fixture.ts';
import { idsOf, listQuery, useFixture, type MakeFixture } from './conformance-harness.ts';
import { OTHER_ROOT, ROOT, asset, id } from './seed-builders.ts';

const UNKNOWN = id(0xdead);
const TRASHED_AT = '2024-06-01T00:00:00.000Z';
const SHARED_XMP = `${ROOT.path}/shared.xmp`;

const LIB: SeedAsset[] = [
  asset(1, { trashedAt: TRASHED_AT, takenLocal: '2024-01-01T12:00:00' }),
  /** A Live Photo still, trashed, with its hidden video 3. */
  asset(2, { trashedAt: TRASHED_AT, takenLocal: '2024-01-02T12:00:00', livePhotoVideoId: id(3) }),
  asset(3, { type: 'video', visibility: 'hidden', path: `${ROOT.path}/IMG_0002.mov`, takenLocal: '2024-01-02T12:00:00' }),
  asset(4, { trashedAt: TRASHED_AT, takenLocal: '2024-01-04T12:00:00', sidecars: [`${ROOT.path}/IMG_0004.jpg.xmp`, SHARED_XMP] }),
  /** Not trashed; shares a sidecar with 4. */
  asset(5, { takenLocal: '2024-01-05T12:00:00', sidecars: [SHARED_XMP] }),
  asset(6, { trashedAt: TRASHED_AT, takenLocal: '2024-01-06T12:00:00', offline: true }),
  asset(7, { takenLocal: '2024-01-07T12:00:00' }),
  /** The same content as 1 at another path, hidden behind it. */
  asset(8, { takenLocal: '2024-01-01T12:00:00', duplicateOf: id(1), rootId: OTHER_ROOT.id, path: `${OTHER_ROOT.path}/IMG_0001.jpg` }),
];

const byId = <T extends { id: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function describeTrashRepositoryConformance(name: string, make: MakeFixture): void {
  describe(`${name}: TrashRepository`, () => {
    const fx = useFixture(make);
    const seed = async (): Promise<void> => {
      const f = fx();
      await f.seedRoots(f.ownerId, [ROOT, OTHER_ROOT]);
      await f.seedAssets(f.ownerId, LIB);
    };

    it('lists what emptying removes: files, own sidecars, Live Photo videos', async () => {
      expect(await fx().trash.trashed(fx().ownerId, undefined)).toEqual([]);
      await seed();
      expect(byId(await fx().trash.trashed(fx().ownerId, undefined))).toEqual([
        { id: id(1), path: `${ROOT.path}/IMG_0001.jpg`, offline: false, sidecars: [], livePhotoVideo: null },
        { id: id(2), path: `${ROOT.path}/IMG_0002.jpg`, offline: false, sidecars: [], livePhotoVideo: { id: id(3), path: `${ROOT.path}/IMG_0002.mov` } },
        { id: id(4), path: `${ROOT.path}/IMG_0004.jpg`, offline: false, sidecars: [`${ROOT.path}/IMG_0004.jpg.xmp`], livePhotoVideo: null },
        { id: id(6), path: `${ROOT.path}/IMG_0006.jpg`, offline: true, sidecars: [], livePhotoVideo: null },
      ]);
      expect(idsOf(await fx().trash.trashed(fx().ownerId, [id(1), id(7), UNKNOWN]))).toEqual([id(1)]);
      expect(await fx().trash.trashed(fx().ownerId, [id(7)])).toEqual([]);
    });

    it('says whether an asset is in the trash', async () => {
      await seed();
      expect(await fx().trash.isTrashed(fx().ownerId, id(1))).toBe(true);
      expect(await fx().trash.isTrashed(fx().ownerId, id(7))).toBe(false);
      expect(await fx().trash.isTrashed(fx().ownerId, UNKNOWN)).toBe(false);
    });

    it('restores the listed trashed assets, or all', async () => {
      await seed();
      expect(await fx().trash.restore(fx().ownerId, [id(1), id(7), UNKNOWN])).toBe(1);
      expect(await fx().trash.isTrashed(fx().ownerId, id(1))).toBe(false);
      expect((await fx().assets.get(fx().ownerId, id(1)))?.trashedAt).toBeNull();
      expect(await fx().trash.isTrashed(fx().ownerId, id(2))).toBe(true);
      expect(await fx().trash.restore(fx().ownerId, undefined)).toBe(3);
      expect(await fx().trash.trashed(fx().ownerId, undefined)).toEqual([]);
      expect(await fx().trash.restore(fx().ownerId, undefined)).toBe(0);
      const list = await fx().assets.list(fx().ownerId, listQuery());
      expect(list.total).toBe(6);
    });

    it('purges trashed assets only, with their album entries, and shows a duplicate in their place', async () => {
      await seed();
      const album = await fx().albums.create(fx().ownerId, { name: 'A', description: null, assetIds: [id(1), id(7)] });
      expect(await fx().trash.purge(fx().ownerId, [id(1), id(7), UNKNOWN], false)).toBe(1);
      expect(await fx().assets.get(fx().ownerId, id(1))).toBeNull();
      expect(await fx().assets.get(fx().ownerId, id(7))).not.toBeNull();
      expect(await fx().albums.contains(fx().ownerId, album.id, id(1))).toBe(false);
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ assetCount: 1, coverAssetId: id(7) });
      expect((await fx().assets.get(fx().ownerId, id(8)))?.duplicateOf).toBeNull();
      expect(idsOf((await fx().assets.list(fx().ownerId, listQuery({ rootId: OTHER_ROOT.id }))).items)).toEqual([id(8)]);
      expect(await fx().trash.isTrashed(fx().ownerId, id(1))).toBe(false);
      expect(await fx().trash.purge(fx().ownerId, [id(1)], false)).toBe(0);
      expect(await fx().trash.purge(fx().ownerId, [], false)).toBe(0);
    });

    it("purges a Live Photo's hidden video with its still", async () => {
      await seed();
      expect(await fx().trash.purge(fx().ownerId, [id(2)], false)).toBe(1);
      expect(await fx().assets.get(fx().ownerId, id(2))).toBeNull();
      expect(await fx().assets.get(fx().ownerId, id(3))).toBeNull();
    });

    it('leaves a tombstone that nothing reads or edits', async () => {
      await seed();
      const counts = await fx().assets.counts(fx().ownerId);
      expect(await fx().trash.purge(fx().ownerId, [id(4)], true)).toBe(1);
      const { assets, trash, albums, ownerId } = fx();
      expect(await assets.get(ownerId, id(4))).toBeNull();
      expect(await assets.original(ownerId, id(4))).toBeNull();
      expect(await assets.derivative(ownerId, id(4), 'thumbnail')).toBeNull();
      expect(await assets.update(ownerId, id(4), { isFavorite: true })).toBe(false);
      expect(await assets.updateMany(ownerId, { ids: [id(4)], trashed: true })).toBe(0);
      expect(await trash.isTrashed(ownerId, id(4))).toBe(false);
      expect(idsOf(await trash.trashed(ownerId, undefined))).not.toContain(id(4));
      expect(await trash.restore(ownerId, [id(4)])).toBe(0);
      expect(await trash.purge(ownerId, [id(4)], true)).toBe(0);
      expect(idsOf((await assets.list(ownerId, listQuery({ trashed: true }))).items)).not.toContain(id(4));
      expect(await assets.counts(ownerId)).toEqual({ ...counts, image: counts.image - 1 });
      const album = await albums.create(ownerId, { name: 'A', description: null, assetIds: [id(4)] });
      expect(album.assetCount).toBe(0);
      expect(await albums.addAssets(ownerId, album.id, [id(4)])).toBe(0);
    });

    it('leaves an asset restored before the purge alone', async () => {
      await seed();
      await fx().trash.restore(fx().ownerId, [id(6)]);
      expect(await fx().trash.purge(fx().ownerId, [id(6)], false)).toBe(0);
      expect(await fx().assets.get(fx().ownerId, id(6))).not.toBeNull();
    });
  });
}
