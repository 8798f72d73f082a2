// AssetRepository conformance, the grids' reads: month buckets and one month's cells under every
// TimelineFilter term, the folder list and the search facets.
import { describe, expect, it } from 'vitest';
import type { TimelineFilter } from '../contract/schemas/timeline.schemas.ts';
import type { SeedAsset } from './conformance-fixture.ts';
import { idsOf, useFixture, type MakeFixture } from './conformance-harness.ts';
import { OTHER_ROOT, ROOT, asset, exif, id } from './seed-builders.ts';

const CANON = exif({ make: 'Canon', model: 'EOS R5', fileType: 'JPEG', latitude: 1, longitude: 2 });

/**
 * Months go by local capture time. In May, local days and UTC instants disagree on purpose: 2
 * is on the 10th locally but after 3 in UTC, 3 is on the 11th locally.
 */
const LIB: SeedAsset[] = [
  asset(1, { takenLocal: '2024-05-20T10:00:00', offsetMinutes: 120, isFavorite: true, rating: 4, thumbhash: 'T1', exif: CANON }),
  asset(2, { takenLocal: '2024-05-10T23:00:00', offsetMinutes: -300, path: `${ROOT.path}/a/IMG_0002.jpg` }),
  asset(3, { takenLocal: '2024-05-11T01:00:00', offsetMinutes: 120, path: `${ROOT.path}/a/b/IMG_0003.jpg` }),
  /** 01:30 UTC on 1 May, still April locally. */
  asset(4, { type: 'video', duration: 3, takenLocal: '2024-04-30T23:30:00', offsetMinutes: -120, path: `${ROOT.path}/MOV_0004.mp4` }),
  asset(5, { takenLocal: '2024-04-02T12:00:00', isArchived: true, exif: exif({ make: 'Nikon', model: 'Z6', fileType: 'NEF' }) }),
  asset(6, { takenLocal: '2024-04-03T12:00:00', trashedAt: '2024-06-01T00:00:00.000Z' }),
  asset(7, { takenLocal: '2024-04-04T12:00:00', status: 'failed' }),
  /** Not read yet: no capture time, in no grid. */
  asset(8, { takenLocal: null, status: 'pending' }),
  asset(9, { takenLocal: '2024-05-20T10:00:00', offsetMinutes: 120, duplicateOf: id(1), path: `${ROOT.path}/copy/IMG_0001.jpg` }),
  asset(10, { type: 'video', visibility: 'hidden', takenLocal: '2024-03-01T12:00:00', path: `${ROOT.path}/IMG_0010.mov` }),
  asset(11, { takenLocal: '2023-12-25T08:00:00', rootId: OTHER_ROOT.id, path: `${OTHER_ROOT.path}/IMG_0011.heic`, exif: exif({ make: 'SONY', model: 'ILCE-7M3', fileType: 'HEIC' }) }),
  /** Same local day as 1, an hour later in UTC. */
  asset(12, { takenLocal: '2024-05-20T09:00:00', offsetMinutes: 0, exif: CANON }),
];

const MAY = '2024-05-01';
const APRIL = '2024-04-01';
const DECEMBER = '2023-12-01';

export function describeTimelineConformance(name: string, make: MakeFixture): void {
  describe(`${name}: AssetRepository timeline, folders and facets`, () => {
    const fx = useFixture(make);
    const seed = async (): Promise<void> => {
      const f = fx();
      await f.seedRoots(f.ownerId, [ROOT, OTHER_ROOT]);
      await f.seedAssets(f.ownerId, LIB);
    };
    const buckets = async (filter: TimelineFilter): Promise<{ timeBucket: string; count: number }[]> =>
      fx().assets.timelineBuckets(fx().ownerId, filter);
    const bucketIds = async (filter: TimelineFilter, month: string): Promise<string[]> =>
      idsOf(await fx().assets.timelineBucket(fx().ownerId, filter, month));

    it('has no buckets, folders or facets on an empty library', async () => {
      expect(await buckets({})).toEqual([]);
      expect(await fx().assets.folders(fx().ownerId)).toEqual([]);
      expect(await fx().assets.facets(fx().ownerId)).toEqual({ cameras: [], fileTypes: [], firstDate: null, lastDate: null });
    });

    it('counts months by local capture time, newest first, without archived, trashed, failed, unread, hidden or duplicates', async () => {
      await seed();
      expect(await buckets({})).toEqual([
        { timeBucket: MAY, count: 4 },
        { timeBucket: APRIL, count: 1 },
        { timeBucket: DECEMBER, count: 1 },
      ]);
    });

    it('applies the favourite, archived, trashed and type terms', async () => {
      await seed();
      expect(await buckets({ favorite: true })).toEqual([{ timeBucket: MAY, count: 1 }]);
      expect(await buckets({ favorite: false })).toEqual([{ timeBucket: MAY, count: 3 }, { timeBucket: APRIL, count: 1 }, { timeBucket: DECEMBER, count: 1 }]);
      expect(await buckets({ archived: true })).toEqual([{ timeBucket: APRIL, count: 1 }]);
      expect(await buckets({ trashed: true })).toEqual([{ timeBucket: APRIL, count: 1 }]);
      expect(await buckets({ type: 'video' })).toEqual([{ timeBucket: APRIL, count: 1 }]);
      expect(await buckets({ type: 'image' })).toEqual([{ timeBucket: MAY, count: 4 }, { timeBucket: DECEMBER, count: 1 }]);
    });

    it('applies camera, file type and location terms case-insensitively', async () => {
      await seed();
      expect(await buckets({ make: 'CANON' })).toEqual([{ timeBucket: MAY, count: 2 }]);
      expect(await buckets({ make: 'sony', model: 'ilce-7m3' })).toEqual([{ timeBucket: DECEMBER, count: 1 }]);
      expect(await buckets({ make: 'Nikon' })).toEqual([]);
      expect(await buckets({ make: 'Nikon', archived: true })).toEqual([{ timeBucket: APRIL, count: 1 }]);
      expect(await buckets({ fileType: 'heic' })).toEqual([{ timeBucket: DECEMBER, count: 1 }]);
      expect(await buckets({ hasLocation: true })).toEqual([{ timeBucket: MAY, count: 2 }]);
      expect(await buckets({ hasLocation: false })).toEqual([{ timeBucket: MAY, count: 2 }, { timeBucket: APRIL, count: 1 }, { timeBucket: DECEMBER, count: 1 }]);
    });

    it('applies local date bounds, both inclusive', async () => {
      await seed();
      expect(await buckets({ from: '2024-05-11' })).toEqual([{ timeBucket: MAY, count: 3 }]);
      expect(await buckets({ to: '2024-05-10' })).toEqual([{ timeBucket: MAY, count: 1 }, { timeBucket: APRIL, count: 1 }, { timeBucket: DECEMBER, count: 1 }]);
      expect(await buckets({ from: '2024-04-30', to: '2024-04-30' })).toEqual([{ timeBucket: APRIL, count: 1 }]);
      expect(await bucketIds({ from: '2024-05-11', to: '2024-05-11' }, MAY)).toEqual([id(3)]);
    });

    it('applies root and folder terms, a folder alone or with its subfolders', async () => {
      await seed();
      expect(await buckets({ rootId: OTHER_ROOT.id })).toEqual([{ timeBucket: DECEMBER, count: 1 }]);
      expect(await bucketIds({ folder: `${ROOT.path}/a` }, MAY)).toEqual([id(2)]);
      expect(await bucketIds({ folder: `${ROOT.path}/a/` }, MAY)).toEqual([id(2)]);
      expect(await bucketIds({ folder: `${ROOT.path}/a`, recursive: true }, MAY)).toEqual([id(3), id(2)]);
      expect(await bucketIds({ folder: ROOT.path }, MAY)).toEqual([id(12), id(1)]);
      expect(await buckets({ folder: `${ROOT.path}/a/b/c`, recursive: true })).toEqual([]);
    });

    it("orders a month's cells by local day, newest first, then by instant", async () => {
      await seed();
      expect(await bucketIds({}, MAY)).toEqual([id(12), id(1), id(3), id(2)]);
      expect(await bucketIds({}, APRIL)).toEqual([id(4)]);
      expect(await bucketIds({}, '2022-01-01')).toEqual([]);
      expect(await bucketIds({ favorite: true }, MAY)).toEqual([id(1)]);
    });

    it('maps a cell', async () => {
      await seed();
      const [cell] = await fx().assets.timelineBucket(fx().ownerId, { favorite: true }, MAY);
      expect(cell).toEqual({
        id: id(1), type: 'image', fileName: 'IMG_0001.jpg', takenAt: '2024-05-20T10:00:00+02:00', width: 4000, height: 3000, duration: null,
        isFavorite: true, isArchived: false, isTrashed: false, rating: 4, livePhotoVideoId: null, motionPhoto: false, thumbhash: 'T1',
      });
      const [video] = await fx().assets.timelineBucket(fx().ownerId, { type: 'video' }, APRIL);
      expect(video).toMatchObject({ id: id(4), type: 'video', duration: 3, takenAt: '2024-04-30T23:30:00-02:00' });
      const [trashed] = await fx().assets.timelineBucket(fx().ownerId, { trashed: true }, APRIL);
      expect(trashed).toMatchObject({ id: id(6), isTrashed: true });
      const [archived] = await fx().assets.timelineBucket(fx().ownerId, { archived: true }, APRIL);
      expect(archived).toMatchObject({ id: id(5), isArchived: true });
    });

    it('follows edits', async () => {
      await seed();
      const { assets, ownerId } = fx();
      await buckets({});
      await assets.update(ownerId, id(4), { isArchived: true });
      await assets.update(ownerId, id(12), { trashed: true });
      expect(await buckets({})).toEqual([{ timeBucket: MAY, count: 3 }, { timeBucket: DECEMBER, count: 1 }]);
      expect(await buckets({ archived: true })).toEqual([{ timeBucket: APRIL, count: 2 }]);
      expect(await bucketIds({ trashed: true }, MAY)).toEqual([id(12)]);
    });

    it('lists the folders that directly hold default-view assets, by path', async () => {
      await seed();
      expect(await fx().assets.folders(fx().ownerId)).toEqual([
        { path: ROOT.path, rootId: ROOT.id, assetCount: 3 },
        { path: `${ROOT.path}/a`, rootId: ROOT.id, assetCount: 1 },
        { path: `${ROOT.path}/a/b`, rootId: ROOT.id, assetCount: 1 },
        { path: OTHER_ROOT.path, rootId: OTHER_ROOT.id, assetCount: 1 },
      ]);
      await fx().assets.update(fx().ownerId, id(2), { isArchived: true });
      expect((await fx().assets.folders(fx().ownerId)).map((f) => f.path)).not.toContain(`${ROOT.path}/a`);
    });

    it('gives facets over the default view: cameras and file types by count, and the date range', async () => {
      await seed();
      expect(await fx().assets.facets(fx().ownerId)).toEqual({
        cameras: [{ make: 'Canon', model: 'EOS R5', count: 2 }, { make: 'SONY', model: 'ILCE-7M3', count: 1 }],
        fileTypes: [{ fileType: 'JPEG', count: 2 }, { fileType: 'HEIC', count: 1 }],
        firstDate: '2023-12-25',
        lastDate: '2024-05-20',
      });
    });
  });
}
