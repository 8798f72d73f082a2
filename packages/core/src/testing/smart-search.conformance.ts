// SmartSearchIndex conformance: ranking by cosine similarity, the grid filter and the excluded
// asset honoured, embeddings stored and read back, counts. Skipped when the app has no index.
import { describe, expect, it } from 'vitest';
import type { ConformanceFixture, SeedAsset } from './conformance-fixture.ts';
import { idsOf, useFixture, type MakeFixture } from './conformance-harness.ts';
import type { SmartSearchIndex } from '../ports/ml.ports.ts';
import { ROOT, asset, id } from './seed-builders.ts';

const UNKNOWN = id(0xdead);
const v = (...xs: number[]): Float32Array => Float32Array.from(xs);

const ASSETS: SeedAsset[] = [
  asset(1, { takenLocal: '2024-05-01T12:00:00', thumbhash: 'S1' }),
  asset(2, { takenLocal: '2024-05-02T12:00:00', type: 'video', duration: 4, path: `${ROOT.path}/MOV_0002.mp4` }),
  asset(3, { takenLocal: '2024-05-03T12:00:00', isFavorite: true }),
  asset(4, { takenLocal: '2024-05-04T12:00:00' }),
  asset(5, { takenLocal: '2024-05-05T12:00:00', isArchived: true }),
  asset(6, { takenLocal: '2024-05-06T12:00:00', trashedAt: '2024-06-01T00:00:00.000Z' }),
  /** No embedding yet. */
  asset(7, { takenLocal: '2024-05-07T12:00:00' }),
];

/** Cosine similarity to QUERY: 1, 0.8, 0, -1, then 0.6 (archived) and 0.99 (trashed). Not all unit length. */
const QUERY = v(1, 0, 0, 0);
const EMBEDDINGS = [
  { assetId: id(1), vector: v(2, 0, 0, 0) },
  { assetId: id(2), vector: v(0.8, 0.6, 0, 0) },
  { assetId: id(3), vector: v(0, 0, 3, 0) },
  { assetId: id(4), vector: v(-1, 0, 0, 0) },
  { assetId: id(5), vector: v(0.6, 0, 0.8, 0) },
  { assetId: id(6), vector: v(0.99, 0, 0, Math.sqrt(1 - 0.99 ** 2)) },
];

export function describeSmartSearchConformance(name: string, make: MakeFixture): void {
  describe(`${name}: SmartSearchIndex`, () => {
    const fx = useFixture(make);
    /** The index, or null when the fixture has none (the test then skips itself). */
    const index = (): SmartSearchIndex | null => fx().smartSearch ?? null;
    const seed = async (f: ConformanceFixture): Promise<void> => {
      await f.seedRoots(f.ownerId, [ROOT]);
      await f.seedAssets(f.ownerId, ASSETS);
      await f.seedEmbeddings(f.ownerId, EMBEDDINGS);
    };

    it('ranks the default view by cosine similarity, best first', async (ctx) => {
      const s = index();
      if (!s) return ctx.skip();
      expect(await s.search(fx().ownerId, QUERY, {}, 10)).toEqual([]);
      await seed(fx());
      const ranked = await s.search(fx().ownerId, QUERY, {}, 10);
      expect(idsOf(ranked)).toEqual([id(1), id(2), id(3), id(4)]);
      expect(ranked.map((r) => r.score)).toEqual([expect.closeTo(1, 4), expect.closeTo(0.8, 4), expect.closeTo(0, 4), expect.closeTo(-1, 4)]);
      expect(ranked[0]).toEqual({
        id: id(1), type: 'image', fileName: 'IMG_0001.jpg', takenAt: '2024-05-01T12:00:00+00:00', width: 4000, height: 3000, duration: null,
        isFavorite: false, isArchived: false, isTrashed: false, rating: null, livePhotoVideoId: null, motionPhoto: false, thumbhash: 'S1',
        score: expect.closeTo(1, 4),
      });
      expect(idsOf(await s.search(fx().ownerId, v(0, 1, 0, 0), {}, 1))).toEqual([id(2)]);
    });

    it('keeps to the limit, the filter and the excluded asset', async (ctx) => {
      const s = index();
      if (!s) return ctx.skip();
      await seed(fx());
      const owner = fx().ownerId;
      expect(idsOf(await s.search(owner, QUERY, {}, 2))).toEqual([id(1), id(2)]);
      expect(idsOf(await s.search(owner, QUERY, { type: 'video' }, 10))).toEqual([id(2)]);
      expect(idsOf(await s.search(owner, QUERY, { favorite: true }, 10))).toEqual([id(3)]);
      expect(idsOf(await s.search(owner, QUERY, { archived: true }, 10))).toEqual([id(5)]);
      expect(idsOf(await s.search(owner, QUERY, { trashed: true }, 10))).toEqual([id(6)]);
      expect(idsOf(await s.search(owner, QUERY, { from: '2024-05-02', to: '2024-05-03' }, 10))).toEqual([id(2), id(3)]);
      expect(idsOf(await s.search(owner, QUERY, {}, 10, id(1)))).toEqual([id(2), id(3), id(4)]);
      expect(await s.search(owner, QUERY, { type: 'video' }, 10, id(2))).toEqual([]);
    });

    it('follows edits of the assets', async (ctx) => {
      const s = index();
      if (!s) return ctx.skip();
      await seed(fx());
      await fx().assets.update(fx().ownerId, id(1), { trashed: true });
      expect(idsOf(await s.search(fx().ownerId, QUERY, {}, 10))).toEqual([id(2), id(3), id(4)]);
    });

    it('reads an embedding back (unit length), null without one', async (ctx) => {
      const s = index();
      if (!s) return ctx.skip();
      await seed(fx());
      const back = await s.embedding(fx().ownerId, id(2));
      expect(back).toBeInstanceOf(Float32Array);
      expect(Array.from(back!)).toEqual([expect.closeTo(0.8, 5), expect.closeTo(0.6, 5), 0, 0]);
      expect(Array.from((await s.embedding(fx().ownerId, id(1)))!)).toEqual([expect.closeTo(1, 5), 0, 0, 0]);
      expect(await s.embedding(fx().ownerId, id(7))).toBeNull();
      expect(await s.embedding(fx().ownerId, UNKNOWN)).toBeNull();
    });

    it('replaces an embedding', async (ctx) => {
      const s = index();
      if (!s) return ctx.skip();
      await seed(fx());
      await fx().seedEmbeddings(fx().ownerId, [{ assetId: id(4), vector: v(1, 0, 0, 0) }]);
      expect(await s.count(fx().ownerId)).toBe(6);
      expect(idsOf(await s.search(fx().ownerId, QUERY, {}, 2)).sort()).toEqual([id(1), id(4)]);
    });

    it('counts embeddings, tells which assets exist and names its model', async (ctx) => {
      const s = index();
      if (!s) return ctx.skip();
      expect(await s.count(fx().ownerId)).toBe(0);
      await seed(fx());
      expect(await s.count(fx().ownerId)).toBe(6);
      expect(await s.assetExists(fx().ownerId, id(7))).toBe(true);
      expect(await s.assetExists(fx().ownerId, id(6))).toBe(true);
      expect(await s.assetExists(fx().ownerId, UNKNOWN)).toBe(false);
      expect(await s.modelId()).toEqual(expect.stringMatching(/.+/));
    });
  });
}
