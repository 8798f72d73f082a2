// PeopleRepository conformance: the people list (order, counts, hidden, minFaces), a person's
// counts and cover, faces by person and by asset, and the hand edits: create from faces, rename,
// hide, choose a cover, merge, move a face or take it out of every person.
import { describe, expect, it } from 'vitest';
import type { SeedAsset, SeedFace, SeedPerson } from './conformance-fixture.ts';
import { idsOf, useFixture, type MakeFixture } from './conformance-harness.ts';
import { ROOT, asset, face, id, person } from './seed-builders.ts';

const UNKNOWN = id(0xdead);

const ASSETS: SeedAsset[] = [1, 2, 3, 4, 5].map((n) => asset(n, { takenLocal: `2024-05-0${n}T12:00:00` }));

const ALICE = id(101);
const BOB = id(102);
const CAROL = id(103);
const HIDDEN = id(104);

/** Named people come before unnamed ones whatever their size; then by photos. */
const PEOPLE: SeedPerson[] = [
  person(101, { name: 'Alice' }),
  person(102),
  person(103, { name: 'Carol' }),
  person(104, { name: 'Hidden', hidden: true }),
];

const big = { x: 0.1, y: 0.1, width: 0.3, height: 0.3 };
const FACES: SeedFace[] = [
  face(201, id(1), ALICE, { box: big, score: 0.9, thumbnailPath: 'faces/201.webp' }),
  face(202, id(2), ALICE, { score: 0.8 }),
  face(203, id(3), BOB),
  face(208, id(4), BOB),
  face(204, id(4), HIDDEN, { box: { x: 0.6, y: 0.1, width: 0.2, height: 0.2 } }),
  /** Nobody's yet, right of Alice's face in photo 1. */
  face(205, id(1), null, { box: { x: 0.5, y: 0.2, width: 0.2, height: 0.2 } }),
  face(206, id(3), CAROL, { box: { x: 0.5, y: 0.5, width: 0.2, height: 0.2 } }),
];

export function describePeopleRepositoryConformance(name: string, make: MakeFixture): void {
  describe(`${name}: PeopleRepository`, () => {
    const fx = useFixture(make);
    const seed = async (): Promise<void> => {
      const f = fx();
      await f.seedRoots(f.ownerId, [ROOT]);
      await f.seedAssets(f.ownerId, ASSETS);
      await f.seedPeople(f.ownerId, PEOPLE, FACES);
    };
    const people = () => fx().people;
    const owner = () => fx().ownerId;

    it('lists people: named first, then by photos; hidden ones only when asked; with totals', async () => {
      expect(await people().list(owner(), { withHidden: false, minFaces: 1 })).toEqual({ people: [], total: 0, hidden: 0, unassignedFaces: 0 });
      await seed();
      const list = await people().list(owner(), { withHidden: false, minFaces: 1 });
      expect(idsOf(list.people)).toEqual([ALICE, CAROL, BOB]);
      expect(list).toMatchObject({ total: 4, hidden: 1, unassignedFaces: 1 });
      expect(idsOf((await people().list(owner(), { withHidden: true, minFaces: 1 })).people)).toEqual([ALICE, CAROL, BOB, HIDDEN]);
      expect(idsOf((await people().list(owner(), { withHidden: true, minFaces: 2 })).people)).toEqual([ALICE, BOB]);
    });

    it('maps a person: counts (trashed photos left out of assetCount) and the best-detected cover', async () => {
      await seed();
      expect(await people().get(owner(), ALICE)).toEqual({
        id: ALICE, name: 'Alice', hidden: false, faceCount: 2, assetCount: 2, coverFaceId: id(201),
        createdAt: PEOPLE[0]!.createdAt, updatedAt: expect.any(String),
      });
      await fx().assets.update(owner(), id(2), { trashed: true });
      expect(await people().get(owner(), ALICE)).toMatchObject({ faceCount: 2, assetCount: 1 });
      expect(await people().get(owner(), UNKNOWN)).toBeNull();
    });

    it("keeps a chosen cover while it is one of the person's faces", async () => {
      await seed();
      await people().update(owner(), ALICE, { coverFaceId: id(202) });
      expect((await people().get(owner(), ALICE))?.coverFaceId).toBe(id(202));
      expect(await people().coverFace(owner(), ALICE)).toBe(id(202));
      await people().update(owner(), ALICE, { coverFaceId: id(206) });
      expect(await people().coverFace(owner(), ALICE)).toBe(id(201));
      await people().update(owner(), ALICE, { coverFaceId: null });
      expect(await people().coverFace(owner(), ALICE)).toBe(id(201));
      expect(await people().coverFace(owner(), UNKNOWN)).toBeNull();
    });

    it('renames and hides', async () => {
      await seed();
      await people().update(owner(), BOB, { name: 'Bob' });
      expect(await people().get(owner(), BOB)).toMatchObject({ name: 'Bob', hidden: false });
      await people().update(owner(), ALICE, { hidden: true });
      expect(await people().get(owner(), ALICE)).toMatchObject({ name: 'Alice', hidden: true });
      const list = await people().list(owner(), { withHidden: false, minFaces: 1 });
      expect(idsOf(list.people)).toEqual([BOB, CAROL]);
      expect(list.hidden).toBe(2);
    });

    it("creates a person from faces, taking them from their people and dropping people left empty", async () => {
      await seed();
      const dana = await people().create(owner(), 'Dana', [id(205), id(206)]);
      expect(dana).toMatchObject({ name: 'Dana', hidden: false, faceCount: 2, assetCount: 2 });
      expect(await people().face(owner(), id(205))).toMatchObject({ personId: dana.id, personName: 'Dana', assignedBy: 'user' });
      expect(await people().get(owner(), CAROL)).toBeNull();
      expect((await people().list(owner(), { withHidden: true, minFaces: 1 })).unassignedFaces).toBe(0);
      expect(await people().get(owner(), dana.id)).toEqual(dana);
    });

    it('merges people into one, moving their faces and deleting them', async () => {
      await seed();
      expect(await people().merge(owner(), ALICE, [BOB, CAROL])).toBe(3);
      expect(await people().get(owner(), BOB)).toBeNull();
      expect(await people().get(owner(), CAROL)).toBeNull();
      expect(await people().get(owner(), ALICE)).toMatchObject({ name: 'Alice', faceCount: 5, assetCount: 4 });
      expect((await people().face(owner(), id(203)))?.personId).toBe(ALICE);
    });

    it('names an unnamed person after the first named one merged into it', async () => {
      await seed();
      expect(await people().merge(owner(), BOB, [CAROL])).toBe(1);
      expect(await people().get(owner(), BOB)).toMatchObject({ name: 'Carol', faceCount: 3 });
    });

    it("lists a person's faces, best first, up to the limit", async () => {
      await seed();
      const faces = await people().faces(owner(), ALICE, 10);
      expect(idsOf(faces)).toEqual([id(201), id(202)]);
      expect(faces[0]).toEqual({ id: id(201), assetId: id(1), personId: ALICE, personName: 'Alice', box: big, score: 0.9, assignedBy: 'machine' });
      expect(idsOf(await people().faces(owner(), ALICE, 1))).toEqual([id(201)]);
      expect((await people().faces(owner(), BOB, 10)).map((f) => f.personName)).toEqual(['', '']);
      expect(await people().faces(owner(), UNKNOWN, 10)).toEqual([]);
    });

    it("lists an asset's faces from left to right; null for an unknown asset", async () => {
      await seed();
      const faces = await people().assetFaces(owner(), id(1));
      expect(idsOf(faces!)).toEqual([id(201), id(205)]);
      expect(faces![1]).toEqual({ id: id(205), assetId: id(1), personId: null, personName: null, box: FACES[5]!.box, score: 0.9, assignedBy: null });
      expect(await people().assetFaces(owner(), id(5))).toEqual([]);
      expect(await people().assetFaces(owner(), UNKNOWN)).toBeNull();
      expect(await people().face(owner(), UNKNOWN)).toBeNull();
    });

    it('tells which faces exist', async () => {
      await seed();
      expect(await people().existingFaces(owner(), [id(201), UNKNOWN, id(206)])).toEqual(new Set([id(201), id(206)]));
      expect(await people().existingFaces(owner(), [])).toEqual(new Set());
    });

    it('moves a face to a person by hand, or to nobody, dropping people left empty', async () => {
      await seed();
      await people().assignFace(owner(), id(205), ALICE);
      expect(await people().face(owner(), id(205))).toMatchObject({ personId: ALICE, personName: 'Alice', assignedBy: 'user' });
      expect(await people().get(owner(), ALICE)).toMatchObject({ faceCount: 3, assetCount: 2 });
      await people().assignFace(owner(), id(206), null);
      expect(await people().face(owner(), id(206))).toMatchObject({ personId: null, personName: null, assignedBy: null });
      expect(await people().get(owner(), CAROL)).toBeNull();
      expect((await people().list(owner(), { withHidden: true, minFaces: 1 })).unassignedFaces).toBe(1);
    });

    it("gives a face's picture when it was made", async () => {
      await seed();
      expect(await people().faceThumbnail(owner(), id(201))).toEqual(expect.any(String));
      expect(await people().faceThumbnail(owner(), id(202))).toBeNull();
      expect(await people().faceThumbnail(owner(), UNKNOWN)).toBeNull();
    });

    it('restricts the timeline to the photos a person is in', async () => {
      await seed();
      expect(await fx().assets.timelineBuckets(owner(), { personId: BOB })).toEqual([{ timeBucket: '2024-05-01', count: 2 }]);
      expect(idsOf(await fx().assets.timelineBucket(owner(), { personId: ALICE }, '2024-05-01'))).toEqual([id(2), id(1)]);
    });
  });
}
