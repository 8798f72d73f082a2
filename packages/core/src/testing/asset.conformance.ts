// AssetRepository conformance, first half: the list (paging, order, every filter), the detail and
// file lookups, counts and edits. The grids' reads are in timeline.conformance.ts.
import { describe, expect, it } from 'vitest';
import type { SeedAsset } from './conformance-fixture.ts';
import { expectRecent, idsOf, listQuery, useFixture, type MakeFixture } from './conformance-harness.ts';
import { OTHER_ROOT, ROOT, asset, exif, id } from './seed-builders.ts';

const UNKNOWN = id(0xdead);

/** A small library where each asset stands for one case of the list's rules. */
const LIB = {
  canon: asset(1, {
    takenLocal: '2024-01-15T10:00:00', offsetMinutes: 60, isFavorite: true, rating: 5, description: 'Eiffel', thumbhash: 'AAAA',
    livePhotoVideoId: id(8), sidecars: [`${ROOT.path}/IMG_0001.jpg.xmp`],
    exif: exif({ make: 'Canon', model: 'EOS R5', lens: 'RF 24-70', fileType: 'JPEG', mimeType: 'image/jpeg', latitude: 48.85, longitude: 2.35, iso: 200, keywords: ['paris', 'tower'] }),
  }),
  sony: asset(2, { takenLocal: '2024-01-20T08:00:00', offline: true, path: `${ROOT.path}/2024/IMG_0002.heic`, exif: exif({ make: 'SONY', model: 'ILCE-7M3', fileType: 'HEIC' }) }),
  video: asset(3, { type: 'video', takenLocal: '2024-02-03T18:00:00', duration: 12.5, path: `${ROOT.path}/2024/trip/MOV_0003.mp4`, exif: exif({ fileType: 'MP4', mimeType: 'video/mp4' }) }),
  archived: asset(4, { takenLocal: '2024-02-10T09:00:00', isArchived: true }),
  trashed: asset(5, { takenLocal: '2024-03-01T09:00:00', trashedAt: '2024-04-01T00:00:00.000Z' }),
  failed: asset(6, { takenLocal: '2024-03-05T09:00:00', status: 'failed', error: 'unreadable' }),
  /** Local New Year's Eve, 04:30 UTC on 1 January. */
  newYear: asset(7, { takenLocal: '2023-12-31T23:30:00', offsetMinutes: -300 }),
  liveVideo: asset(8, { type: 'video', visibility: 'hidden', path: `${ROOT.path}/IMG_0001.mov`, takenLocal: '2024-01-15T10:00:00', offsetMinutes: 60 }),
  duplicate: asset(9, { duplicateOf: id(2), takenLocal: '2024-01-20T08:00:00', rootId: OTHER_ROOT.id, path: `${OTHER_ROOT.path}/copy.heic`, exif: exif({ fileType: 'HEIC' }) }),
  scan: asset(10, { rootId: OTHER_ROOT.id, path: `${OTHER_ROOT.path}/scan.jpg`, takenLocal: '2023-06-01T12:00:00' }),
} satisfies Record<string, SeedAsset>;

/** The default list, newest capture first: no trashed, hidden or duplicate asset. */
const DEFAULT_ORDER = [6, 4, 3, 2, 1, 7, 10].map(id);

export function describeAssetRepositoryConformance(name: string, make: MakeFixture): void {
  describe(`${name}: AssetRepository`, () => {
    const fx = useFixture(make);
    const seed = async (): Promise<void> => {
      const f = fx();
      await f.seedRoots(f.ownerId, [ROOT, OTHER_ROOT]);
      await f.seedAssets(f.ownerId, Object.values(LIB));
    };
    const list = async (fields: Parameters<typeof listQuery>[0] = {}): Promise<string[]> =>
      idsOf((await fx().assets.list(fx().ownerId, listQuery(fields))).items);

    describe('list', () => {
      it('is empty on an empty library', async () => {
        const page = await fx().assets.list(fx().ownerId, listQuery());
        expect(page).toEqual({ items: [], total: 0, page: 1, size: 100, hasNextPage: false });
      });

      it('lists visible assets newest first, archived and failed included, trashed, hidden and duplicates not', async () => {
        await seed();
        const page = await fx().assets.list(fx().ownerId, listQuery());
        expect(idsOf(page.items)).toEqual(DEFAULT_ORDER);
        expect(page.total).toBe(7);
        expect(page.hasNextPage).toBe(false);
      });

      it('orders oldest first with order asc', async () => {
        await seed();
        expect(await list({ order: 'asc' })).toEqual([...DEFAULT_ORDER].reverse());
      });

      it('pages', async () => {
        await seed();
        const p1 = await fx().assets.list(fx().ownerId, listQuery({ size: 3 }));
        expect(idsOf(p1.items)).toEqual(DEFAULT_ORDER.slice(0, 3));
        expect(p1).toMatchObject({ total: 7, page: 1, size: 3, hasNextPage: true });
        const p2 = await fx().assets.list(fx().ownerId, listQuery({ size: 3, page: 2 }));
        expect(idsOf(p2.items)).toEqual(DEFAULT_ORDER.slice(3, 6));
        expect(p2.hasNextPage).toBe(true);
        const p3 = await fx().assets.list(fx().ownerId, listQuery({ size: 3, page: 3 }));
        expect(idsOf(p3.items)).toEqual(DEFAULT_ORDER.slice(6));
        expect(p3).toMatchObject({ total: 7, hasNextPage: false });
        const past = await fx().assets.list(fx().ownerId, listQuery({ size: 3, page: 4 }));
        expect(past).toMatchObject({ items: [], total: 7, hasNextPage: false });
      });

      it('filters by type, favourite, archived, trashed and status', async () => {
        await seed();
        expect(await list({ type: 'video' })).toEqual([id(3)]);
        expect(await list({ favorite: true })).toEqual([id(1)]);
        expect(await list({ favorite: false })).toEqual(DEFAULT_ORDER.filter((i) => i !== id(1)));
        expect(await list({ archived: true })).toEqual([id(4)]);
        expect(await list({ archived: false })).toEqual(DEFAULT_ORDER.filter((i) => i !== id(4)));
        expect(await list({ trashed: true })).toEqual([id(5)]);
        expect(await list({ status: 'failed' })).toEqual([id(6)]);
        expect(await list({ type: 'image', favorite: false, archived: false })).toEqual([6, 2, 7, 10].map(id));
      });

      it('filters by root and folder (deeply), and shows duplicates only when asked', async () => {
        await seed();
        expect(await list({ rootId: OTHER_ROOT.id })).toEqual([id(10)]);
        expect(await list({ rootId: OTHER_ROOT.id, includeDuplicates: true })).toEqual([id(9), id(10)]);
        expect(await list({ includeDuplicates: true })).toEqual([6, 4, 3, 9, 2, 1, 7, 10].map(id));
        expect(await list({ folder: `${ROOT.path}/2024` })).toEqual([id(3), id(2)]);
        expect(await list({ folder: `${ROOT.path}/2024/` })).toEqual([id(3), id(2)]);
        expect(await list({ folder: `${ROOT.path}/2024/trip` })).toEqual([id(3)]);
        expect(await list({ folder: `${ROOT.path}/20` })).toEqual([]);
      });

      it('filters by capture time: from inclusive, to exclusive, offsets honoured', async () => {
        await seed();
        expect(await list({ from: '2024-01-15T09:00:00Z', to: '2024-02-03T18:00:00Z' })).toEqual([id(2), id(1)]);
        expect(await list({ from: '2024-01-15T10:00:00+01:00', to: '2024-01-20T08:00:00.001Z' })).toEqual([id(2), id(1)]);
        expect(await list({ to: '2024-01-01T04:30:00Z' })).toEqual([id(10)]);
        expect(await list({ from: '2024-03-05T09:00:00.001Z' })).toEqual([]);
      });

      it('filters by camera and file type case-insensitively, and by location', async () => {
        await seed();
        expect(await list({ make: 'canon' })).toEqual([id(1)]);
        expect(await list({ make: 'Sony', model: 'ilce-7m3' })).toEqual([id(2)]);
        expect(await list({ model: 'EOS R5' })).toEqual([id(1)]);
        expect(await list({ make: 'Nikon' })).toEqual([]);
        expect(await list({ fileType: 'heic' })).toEqual([id(2)]);
        expect(await list({ hasLocation: true })).toEqual([id(1)]);
        expect(await list({ hasLocation: false })).toEqual(DEFAULT_ORDER.filter((i) => i !== id(1)));
      });

      it('returns summaries', async () => {
        await seed();
        const page = await fx().assets.list(fx().ownerId, listQuery({ type: 'video' }));
        expect(page.items[0]).toEqual({
          id: id(3), type: 'video', rootId: ROOT.id, path: LIB.video.path, fileName: 'MOV_0003.mp4', size: LIB.video.size, checksum: LIB.video.checksum,
          takenAt: '2024-02-03T18:00:00+00:00', takenAtUtc: '2024-02-03T18:00:00.000Z', takenAtSource: 'offset', width: 4000, height: 3000,
          orientation: 1, duration: 12.5, isFavorite: false, isArchived: false, trashedAt: null, rating: null, status: 'ok', offline: false,
          livePhotoVideoId: null, motionPhoto: false, duplicateOf: null, thumbhash: null,
        });
      });
    });

    describe('get, original, derivative', () => {
      it('maps every field of the detail', async () => {
        await seed();
        const d = await fx().assets.get(fx().ownerId, id(1));
        expect(d).toEqual({
          id: id(1), type: 'image', rootId: ROOT.id, path: LIB.canon.path, fileName: 'IMG_0001.jpg', size: LIB.canon.size, checksum: LIB.canon.checksum,
          takenAt: '2024-01-15T10:00:00+01:00', takenAtUtc: '2024-01-15T09:00:00.000Z', takenAtSource: 'offset', width: 4000, height: 3000,
          orientation: 1, duration: null, isFavorite: true, isArchived: false, trashedAt: null, rating: 5, status: 'ok', offline: false,
          livePhotoVideoId: id(8), motionPhoto: false, duplicateOf: null, thumbhash: 'AAAA',
          mtime: '2024-06-01T00:00:00.000Z', description: 'Eiffel', error: null, livePhotoVideoPath: LIB.liveVideo.path,
          sidecars: [`${ROOT.path}/IMG_0001.jpg.xmp`],
          exif: {
            make: 'Canon', model: 'EOS R5', lens: 'RF 24-70', fNumber: null, exposureTime: null, iso: 200, focalLength: null,
            latitude: 48.85, longitude: 2.35, altitude: null, videoCodec: null, fileType: 'JPEG', mimeType: 'image/jpeg', keywords: ['paris', 'tower'],
          },
          derivatives: {
            thumbnail: { state: 'pending', error: null, width: null, height: null },
            preview: { state: 'pending', error: null, width: null, height: null },
            video: null,
          },
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        });
        expect(Number.isNaN(Date.parse(d!.createdAt))).toBe(false);
      });

      it('answers trashed, failed, duplicate and exif-less assets, and null for unknown ids', async () => {
        await seed();
        expect(await fx().assets.get(fx().ownerId, id(5))).toMatchObject({ trashedAt: '2024-04-01T00:00:00.000Z' });
        expect(await fx().assets.get(fx().ownerId, id(6))).toMatchObject({ status: 'failed', error: 'unreadable' });
        expect(await fx().assets.get(fx().ownerId, id(9))).toMatchObject({ duplicateOf: id(2) });
        expect(await fx().assets.get(fx().ownerId, id(7))).toMatchObject({ takenAt: '2023-12-31T23:30:00-05:00', takenAtUtc: '2024-01-01T04:30:00.000Z' });
        const bare = await fx().assets.get(fx().ownerId, id(4));
        expect(bare?.exif).toMatchObject({ make: null, model: null, fileType: null, latitude: null, keywords: [] });
        const video = await fx().assets.get(fx().ownerId, id(3));
        expect(video?.derivatives.video).toEqual({ state: 'pending', error: null, width: null, height: null });
        expect(await fx().assets.get(fx().ownerId, UNKNOWN)).toBeNull();
      });

      it('finds the original file', async () => {
        await seed();
        expect(await fx().assets.original(fx().ownerId, id(1))).toEqual({ path: LIB.canon.path, fileName: 'IMG_0001.jpg', mimeType: 'image/jpeg', offline: false });
        expect(await fx().assets.original(fx().ownerId, id(2))).toEqual({ path: LIB.sony.path, fileName: 'IMG_0002.heic', mimeType: null, offline: true });
        expect(await fx().assets.original(fx().ownerId, UNKNOWN)).toBeNull();
      });

      it('reports a derivative not made yet, and null for unknown assets', async () => {
        await seed();
        expect(await fx().assets.derivative(fx().ownerId, id(1), 'thumbnail')).toMatchObject({ path: null, error: null, isOriginal: false, offline: false });
        expect(await fx().assets.derivative(fx().ownerId, id(2), 'preview')).toMatchObject({ path: null, error: null, isOriginal: false, offline: true });
        expect(await fx().assets.derivative(fx().ownerId, UNKNOWN, 'thumbnail')).toBeNull();
      });
    });

    describe('counts', () => {
      it('counts images and videos (hidden and duplicates not), failed and offline', async () => {
        expect(await fx().assets.counts(fx().ownerId)).toEqual({ image: 0, video: 0, failed: 0, offline: 0 });
        await seed();
        expect(await fx().assets.counts(fx().ownerId)).toEqual({ image: 7, video: 1, failed: 1, offline: 1 });
      });
    });

    describe('update and updateMany', () => {
      it('sets and clears favourite, archive, rating and description, leaving the rest alone', async () => {
        await seed();
        const { assets, ownerId } = fx();
        expect(await assets.update(ownerId, id(4), { isFavorite: true, rating: 3, description: 'note' })).toBe(true);
        expect(await assets.get(ownerId, id(4))).toMatchObject({ isFavorite: true, isArchived: true, rating: 3, description: 'note' });
        expect(await assets.update(ownerId, id(4), { isArchived: false, rating: null, description: null })).toBe(true);
        expect(await assets.get(ownerId, id(4))).toMatchObject({ isFavorite: true, isArchived: false, rating: null, description: null });
        expect(await assets.update(ownerId, id(4), { rating: -1 })).toBe(true);
        expect(await assets.get(ownerId, id(4))).toMatchObject({ rating: -1, isFavorite: true });
        expect(await assets.get(ownerId, id(1))).toMatchObject({ isFavorite: true, rating: 5, description: 'Eiffel' });
        expect(await assets.update(ownerId, UNKNOWN, { isFavorite: true })).toBe(false);
      });

      it('stamps trashedAt when trashing and clears it when restoring', async () => {
        await seed();
        const { assets, ownerId } = fx();
        const before = Date.now();
        expect(await assets.update(ownerId, id(1), { trashed: true })).toBe(true);
        const trashed = await assets.get(ownerId, id(1));
        expect(expectRecent(trashed?.trashedAt, before)).toBe(true);
        expect(await list()).not.toContain(id(1));
        expect(await list({ trashed: true })).toEqual([id(5), id(1)]);
        expect(await assets.update(ownerId, id(1), { trashed: false })).toBe(true);
        expect((await assets.get(ownerId, id(1)))?.trashedAt).toBeNull();
        expect(await list()).toEqual(DEFAULT_ORDER);
      });

      it('updates many: the existing ones, counted', async () => {
        await seed();
        const { assets, ownerId } = fx();
        expect(await assets.updateMany(ownerId, { ids: [id(1), id(2), UNKNOWN], isFavorite: false, rating: 2 })).toBe(2);
        expect(await assets.get(ownerId, id(1))).toMatchObject({ isFavorite: false, rating: 2 });
        expect(await assets.get(ownerId, id(2))).toMatchObject({ isFavorite: false, rating: 2 });
        expect(await assets.get(ownerId, id(3))).toMatchObject({ rating: null });
        const before = Date.now();
        expect(await assets.updateMany(ownerId, { ids: [id(3), id(4)], trashed: true, isArchived: true })).toBe(2);
        for (const n of [3, 4]) {
          const d = await assets.get(ownerId, id(n));
          expect(d?.isArchived).toBe(true);
          expect(expectRecent(d?.trashedAt, before)).toBe(true);
        }
        expect(await assets.updateMany(ownerId, { ids: [UNKNOWN], isFavorite: true })).toBe(0);
      });
    });
  });
}
