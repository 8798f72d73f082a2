// Owner isolation, for adapters that hold many owners (fixture.otherOwnerId set; skipped otherwise):
// another owner's rows are invisible (null, empty, false, zero) and every edit of them by id
// changes nothing (it may answer false/0 or reject; the rows stay as they were).
import { describe, expect, it } from 'vitest';
import type { ConformanceFixture } from './conformance-fixture.ts';
import { listQuery, settle, useFixture, type MakeFixture } from './conformance-harness.ts';
import { asset, face, id, person } from './seed-builders.ts';

/** The other owner's library. */
const THEIR_ROOT = { id: id(0xb000), path: '/theirs' };
const THEIRS = asset(0xb001, { rootId: THEIR_ROOT.id, path: '/theirs/IMG_1.jpg', takenLocal: '2024-05-01T12:00:00' });
const THEIR_TRASHED = asset(0xb002, { rootId: THEIR_ROOT.id, path: '/theirs/IMG_2.jpg', takenLocal: '2024-05-02T12:00:00', trashedAt: '2024-06-01T00:00:00.000Z' });
const THEIR_PERSON = person(0xb003, { name: 'Theirs' });
const THEIR_FACE = face(0xb004, THEIRS.id, THEIR_PERSON.id, { thumbnailPath: 'faces/b004.webp' });
/** Our library: one asset, so that "empty" answers are not empty only because nothing exists. */
const OUR_ROOT = { id: id(0xa000), path: '/ours' };
const OURS = asset(0xa001, { rootId: OUR_ROOT.id, path: '/ours/IMG_1.jpg', takenLocal: '2024-05-03T12:00:00' });

export function describeOwnerIsolationConformance(name: string, make: MakeFixture): void {
  describe(`${name}: owner isolation`, () => {
    const fx = useFixture(make);
    /** Seeds both libraries; returns the other owner's id and album, or null when single-owner. */
    const seed = async (f: ConformanceFixture): Promise<{ them: string; albumId: string } | null> => {
      const them = f.otherOwnerId;
      if (!them) return null;
      await f.seedRoots(them, [THEIR_ROOT]);
      await f.seedAssets(them, [THEIRS, THEIR_TRASHED]);
      await f.seedPeople(them, [THEIR_PERSON], [THEIR_FACE]);
      if (f.smartSearch) await f.seedEmbeddings(them, [{ assetId: THEIRS.id, vector: Float32Array.from([1, 0, 0, 0]) }]);
      await f.seedRoots(f.ownerId, [OUR_ROOT]);
      await f.seedAssets(f.ownerId, [OURS]);
      const album = await f.albums.create(them, { name: 'Theirs', description: null, assetIds: [THEIRS.id] });
      return { them, albumId: album.id };
    };

    it("reads none of another owner's assets", async (ctx) => {
      const s = await seed(fx());
      if (!s) return ctx.skip();
      const { assets, ownerId: me } = fx();
      const page = await assets.list(me, listQuery({ includeDuplicates: true }));
      expect(page.items.map((a) => a.id)).toEqual([OURS.id]);
      expect(page.total).toBe(1);
      expect((await assets.list(me, listQuery({ trashed: true }))).items).toEqual([]);
      expect(await assets.get(me, THEIRS.id)).toBeNull();
      expect(await assets.original(me, THEIRS.id)).toBeNull();
      expect(await assets.derivative(me, THEIRS.id, 'thumbnail')).toBeNull();
      expect(await assets.timelineBuckets(me, {})).toEqual([{ timeBucket: '2024-05-01', count: 1 }]);
      expect((await assets.timelineBucket(me, {}, '2024-05-01')).map((a) => a.id)).toEqual([OURS.id]);
      expect(await assets.timelineBuckets(me, { trashed: true })).toEqual([]);
      expect(await assets.timelineBuckets(me, { albumId: s.albumId })).toEqual([]);
      expect(await assets.timelineBuckets(me, { personId: THEIR_PERSON.id })).toEqual([]);
      expect(await assets.timelineBuckets(me, { rootId: THEIR_ROOT.id })).toEqual([]);
      expect(await assets.counts(me)).toEqual({ image: 1, video: 0, failed: 0, offline: 0 });
      expect((await assets.folders(me)).map((f) => f.path)).toEqual([OUR_ROOT.path]);
      expect((await assets.facets(me)).firstDate).toBe('2024-05-03');
    });

    it("edits none of another owner's assets", async (ctx) => {
      const s = await seed(fx());
      if (!s) return ctx.skip();
      const { assets, ownerId: me } = fx();
      const before = await assets.get(s.them, THEIRS.id);
      expect(await settle(() => assets.update(me, THEIRS.id, { isFavorite: true, trashed: true }))).not.toBe(true);
      expect(await settle(() => assets.updateMany(me, { ids: [THEIRS.id, OURS.id], isFavorite: true }))).not.toBe(2);
      expect(await assets.get(s.them, THEIRS.id)).toEqual(before);
    });

    it("reads and edits none of another owner's albums", async (ctx) => {
      const s = await seed(fx());
      if (!s) return ctx.skip();
      const { albums, ownerId: me } = fx();
      const before = await albums.get(s.them, s.albumId);
      expect(before?.assetCount).toBe(1);
      expect(await albums.list(me, {})).toEqual([]);
      expect(await albums.list(me, { assetId: THEIRS.id })).toEqual([]);
      expect(await albums.get(me, s.albumId)).toBeNull();
      expect(await albums.contains(me, s.albumId, THEIRS.id)).toBe(false);
      expect(await settle(() => albums.update(me, s.albumId, { name: 'Mine' }))).not.toBe(true);
      expect(await settle(() => albums.addAssets(me, s.albumId, [OURS.id]))).not.toBe(1);
      expect(await settle(() => albums.removeAssets(me, s.albumId, [THEIRS.id]))).not.toBe(1);
      expect(await settle(() => albums.delete(me, s.albumId))).not.toBe(true);
      expect(await albums.get(s.them, s.albumId)).toEqual(before);
      const mine = await albums.create(me, { name: 'Mine', description: null, assetIds: [THEIRS.id, OURS.id] });
      expect(mine.assetCount).toBe(1);
      expect(await albums.contains(me, mine.id, THEIRS.id)).toBe(false);
    });

    it("reads and empties none of another owner's trash", async (ctx) => {
      const s = await seed(fx());
      if (!s) return ctx.skip();
      const { trash, ownerId: me } = fx();
      expect(await trash.trashed(me, undefined)).toEqual([]);
      expect(await trash.trashed(me, [THEIR_TRASHED.id])).toEqual([]);
      expect(await trash.isTrashed(me, THEIR_TRASHED.id)).toBe(false);
      expect(await settle(() => trash.restore(me, undefined))).not.toBe(1);
      expect(await settle(() => trash.restore(me, [THEIR_TRASHED.id]))).not.toBe(1);
      expect(await settle(() => trash.purge(me, [THEIR_TRASHED.id], false))).not.toBe(1);
      expect(await trash.isTrashed(s.them, THEIR_TRASHED.id)).toBe(true);
      expect((await trash.trashed(s.them, undefined)).map((t) => t.id)).toEqual([THEIR_TRASHED.id]);
    });

    it("reads and edits none of another owner's people and faces", async (ctx) => {
      const s = await seed(fx());
      if (!s) return ctx.skip();
      const { people, ownerId: me } = fx();
      const before = await people.get(s.them, THEIR_PERSON.id);
      expect(before?.faceCount).toBe(1);
      expect(await people.list(me, { withHidden: true, minFaces: 1 })).toEqual({ people: [], total: 0, hidden: 0, unassignedFaces: 0 });
      expect(await people.get(me, THEIR_PERSON.id)).toBeNull();
      expect(await people.faces(me, THEIR_PERSON.id, 10)).toEqual([]);
      expect(await people.assetFaces(me, THEIRS.id)).toBeNull();
      expect(await people.face(me, THEIR_FACE.id)).toBeNull();
      expect(await people.existingFaces(me, [THEIR_FACE.id])).toEqual(new Set());
      expect(await people.faceThumbnail(me, THEIR_FACE.id)).toBeNull();
      expect(await people.coverFace(me, THEIR_PERSON.id)).toBeNull();
      await settle(() => people.update(me, THEIR_PERSON.id, { name: 'Mine', hidden: true }));
      await settle(() => people.assignFace(me, THEIR_FACE.id, null));
      await settle(() => people.create(me, 'Mine', [THEIR_FACE.id]));
      expect(await people.get(s.them, THEIR_PERSON.id)).toEqual(before);
      expect(await people.face(s.them, THEIR_FACE.id)).toMatchObject({ personId: THEIR_PERSON.id });
    });

    it("searches none of another owner's embeddings", async (ctx) => {
      const s = await seed(fx());
      const index = fx().smartSearch;
      if (!s || !index) return ctx.skip();
      const me = fx().ownerId;
      expect(await index.search(me, Float32Array.from([1, 0, 0, 0]), {}, 10)).toEqual([]);
      expect(await index.embedding(me, THEIRS.id)).toBeNull();
      expect(await index.assetExists(me, THEIRS.id)).toBe(false);
      expect(await index.count(me)).toBe(0);
      expect(await index.count(s.them)).toBe(1);
    });

    it("reads and removes none of another owner's library roots", async (ctx) => {
      const s = await seed(fx());
      if (!s) return ctx.skip();
      const { roots, ownerId: me } = fx();
      expect((await roots.list(me)).map((r) => r.id)).toEqual([OUR_ROOT.id]);
      expect(await roots.get(me, THEIR_ROOT.id)).toBeNull();
      expect(await settle(() => roots.remove(me, THEIR_ROOT.id))).not.toBe(2);
      expect(await roots.get(s.them, THEIR_ROOT.id)).toMatchObject({ assetCount: 2 });
    });
  });
}
