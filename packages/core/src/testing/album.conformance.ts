// AlbumRepository conformance: create with members, the list (order and the assetId filter), the
// computed count, dates and cover (chosen, or the newest shown member), member edits, delete, and
// the album filter of the asset list and the timeline.
import { describe, expect, it } from 'vitest';
import type { SeedAsset } from './conformance-fixture.ts';
import { clockTick, expectRecent, idsOf, listQuery, useFixture, type MakeFixture } from './conformance-harness.ts';
import { ROOT, asset, id } from './seed-builders.ts';

const UNKNOWN = id(0xdead);

const LIB: SeedAsset[] = [
  asset(1, { takenLocal: '2024-01-01T12:00:00', thumbhash: 'H1' }),
  asset(2, { takenLocal: '2024-02-01T12:00:00', offsetMinutes: 60, thumbhash: 'H2' }),
  asset(3, { takenLocal: '2024-03-01T12:00:00', thumbhash: 'H3', isArchived: true }),
  asset(4, { takenLocal: '2024-04-01T12:00:00', thumbhash: 'H4' }),
  /** The hidden video of a Live Photo: never a member. */
  asset(5, { type: 'video', visibility: 'hidden', path: `${ROOT.path}/IMG_0005.mov` }),
  asset(6, { takenLocal: '2024-06-01T12:00:00' }),
];

export function describeAlbumRepositoryConformance(name: string, make: MakeFixture): void {
  describe(`${name}: AlbumRepository`, () => {
    const fx = useFixture(make);
    const seed = async (): Promise<void> => {
      const f = fx();
      await f.seedRoots(f.ownerId, [ROOT]);
      await f.seedAssets(f.ownerId, LIB);
    };
    const create = async (name: string, assetIds: string[], description: string | null = null) =>
      fx().albums.create(fx().ownerId, { name, description, assetIds });

    it('creates an album with the members that exist, once each', async () => {
      await seed();
      const before = Date.now();
      const album = await create('Trip', [id(1), id(2), id(2), UNKNOWN, id(5)], 'winter');
      expect(album).toEqual({
        id: expect.any(String), name: 'Trip', description: 'winter', assetCount: 2, coverAssetId: id(2), coverThumbhash: 'H2',
        startDate: '2024-01-01T12:00:00+00:00', endDate: '2024-02-01T12:00:00+01:00', createdAt: expect.any(String), updatedAt: expect.any(String),
      });
      expect(expectRecent(album.createdAt, before)).toBe(true);
      expect(await fx().albums.get(fx().ownerId, album.id)).toEqual(album);
      expect(await fx().albums.contains(fx().ownerId, album.id, id(1))).toBe(true);
      expect(await fx().albums.contains(fx().ownerId, album.id, id(5))).toBe(false);
      expect(await fx().albums.contains(fx().ownerId, album.id, id(4))).toBe(false);
      expect(await fx().albums.contains(fx().ownerId, album.id, UNKNOWN)).toBe(false);
    });

    it('creates an empty album', async () => {
      const album = await create('Empty', []);
      expect(album).toMatchObject({ name: 'Empty', description: null, assetCount: 0, coverAssetId: null, coverThumbhash: null, startDate: null, endDate: null });
      expect(await fx().albums.get(fx().ownerId, UNKNOWN)).toBeNull();
    });

    it('lists albums most recently changed first, or those holding an asset', async () => {
      await seed();
      const older = await create('Older', [id(1)]);
      clockTick();
      const newer = await create('Newer', [id(2)]);
      expect(idsOf(await fx().albums.list(fx().ownerId, {}))).toEqual([newer.id, older.id]);
      clockTick();
      expect(await fx().albums.addAssets(fx().ownerId, older.id, [id(2)])).toBe(1);
      expect(idsOf(await fx().albums.list(fx().ownerId, {}))).toEqual([older.id, newer.id]);
      expect(idsOf(await fx().albums.list(fx().ownerId, { assetId: id(1) }))).toEqual([older.id]);
      expect(idsOf(await fx().albums.list(fx().ownerId, { assetId: id(2) }))).toEqual([older.id, newer.id]);
      expect(await fx().albums.list(fx().ownerId, { assetId: id(4) })).toEqual([]);
      const [listed] = await fx().albums.list(fx().ownerId, { assetId: id(1) });
      expect(listed).toEqual(await fx().albums.get(fx().ownerId, older.id));
    });

    it('adds only assets that exist and are not in yet, counting archived members', async () => {
      await seed();
      const album = await create('A', [id(1)]);
      clockTick();
      expect(await fx().albums.addAssets(fx().ownerId, album.id, [id(1), id(3), id(3), UNKNOWN, id(5)])).toBe(1);
      const after = await fx().albums.get(fx().ownerId, album.id);
      expect(after).toMatchObject({ assetCount: 2, coverAssetId: id(3), coverThumbhash: 'H3', endDate: '2024-03-01T12:00:00+00:00' });
      expect(Date.parse(after!.updatedAt)).toBeGreaterThan(Date.parse(album.updatedAt));
      expect(await fx().albums.addAssets(fx().ownerId, album.id, [id(1), id(3)])).toBe(0);
    });

    it('removes members, counting only those that were in', async () => {
      await seed();
      const album = await create('A', [id(1), id(2), id(4)]);
      expect(await fx().albums.removeAssets(fx().ownerId, album.id, [id(4), id(6), UNKNOWN])).toBe(1);
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ assetCount: 2, coverAssetId: id(2), endDate: '2024-02-01T12:00:00+01:00' });
      expect(await fx().albums.contains(fx().ownerId, album.id, id(4))).toBe(false);
      expect(await fx().albums.removeAssets(fx().ownerId, album.id, [id(4)])).toBe(0);
    });

    it('keeps a chosen cover while it is a shown member, else falls back to the newest', async () => {
      await seed();
      const album = await create('A', [id(1), id(2), id(4)]);
      expect(await fx().albums.update(fx().ownerId, album.id, { coverAssetId: id(1) })).toBe(true);
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ coverAssetId: id(1), coverThumbhash: 'H1' });
      await fx().assets.update(fx().ownerId, id(1), { trashed: true });
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ coverAssetId: id(4), coverThumbhash: 'H4', assetCount: 2, startDate: '2024-02-01T12:00:00+01:00' });
      await fx().assets.update(fx().ownerId, id(1), { trashed: false });
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ coverAssetId: id(1), assetCount: 3 });
      expect(await fx().albums.removeAssets(fx().ownerId, album.id, [id(1)])).toBe(1);
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ coverAssetId: id(4) });
      expect(await fx().albums.addAssets(fx().ownerId, album.id, [id(1)])).toBe(1);
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ coverAssetId: id(4) });
      await fx().albums.update(fx().ownerId, album.id, { coverAssetId: id(2) });
      await fx().albums.update(fx().ownerId, album.id, { coverAssetId: null });
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ coverAssetId: id(4) });
    });

    it('updates name and description independently; false for an unknown album', async () => {
      await seed();
      const album = await create('A', [id(1)], 'first');
      expect(await fx().albums.update(fx().ownerId, album.id, { name: 'B' })).toBe(true);
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ name: 'B', description: 'first' });
      expect(await fx().albums.update(fx().ownerId, album.id, { description: null })).toBe(true);
      expect(await fx().albums.get(fx().ownerId, album.id)).toMatchObject({ name: 'B', description: null });
      expect(await fx().albums.update(fx().ownerId, UNKNOWN, { name: 'X' })).toBe(false);
    });

    it('deletes an album and leaves its assets', async () => {
      await seed();
      const album = await create('A', [id(1)]);
      const other = await create('B', [id(1)]);
      expect(await fx().albums.delete(fx().ownerId, album.id)).toBe(true);
      expect(await fx().albums.get(fx().ownerId, album.id)).toBeNull();
      expect(idsOf(await fx().albums.list(fx().ownerId, {}))).toEqual([other.id]);
      expect(await fx().albums.contains(fx().ownerId, album.id, id(1))).toBe(false);
      expect(await fx().albums.delete(fx().ownerId, album.id)).toBe(false);
      expect(await fx().assets.get(fx().ownerId, id(1))).not.toBeNull();
    });

    it('restricts the asset list and the timeline to an album, archived members included', async () => {
      await seed();
      const album = await create('A', [id(1), id(3)]);
      const list = await fx().assets.list(fx().ownerId, listQuery({ albumId: album.id }));
      expect(idsOf(list.items)).toEqual([id(3), id(1)]);
      expect(await fx().assets.timelineBuckets(fx().ownerId, { albumId: album.id })).toEqual([
        { timeBucket: '2024-03-01', count: 1 },
        { timeBucket: '2024-01-01', count: 1 },
      ]);
      expect(idsOf(await fx().assets.timelineBucket(fx().ownerId, { albumId: album.id }, '2024-03-01'))).toEqual([id(3)]);
      expect(await fx().assets.timelineBuckets(fx().ownerId, { albumId: album.id, archived: false })).toEqual([{ timeBucket: '2024-01-01', count: 1 }]);
    });
  });
}
