// Face index and clustering on synthetic 128-d embeddings: identities are random directions,
// their faces noisy copies (genuine cosine ≈ 0.6, impostor ≈ 0, like MobileFaceNet's figures).
import { describe, expect, it } from 'vitest';
import {
  type ClusterOutcome,
  clusterAll,
  DEFAULT_FACE_CLUSTER_OPTIONS,
  assignNewFaces,
  votePerson,
} from '../../src/ml/face-cluster.ts';
import { FaceIndex } from '../../src/ml/face-index.ts';

/** Deterministic uniform numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function unit(v: Float32Array): Float32Array {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function randomUnit(random: () => number, d = 128): Float32Array {
  return unit(Float32Array.from({ length: d }, () => gaussian(random)));
}

/** A face of an identity: its direction plus noise of total length `noise` (cosine ≈ 1/(1+noise²)). */
function faceOf(center: Float32Array, random: () => number, noise = 0.75): Float32Array {
  const n = randomUnit(random, center.length);
  return unit(center.map((c, i) => c + noise * n[i]!));
}

interface Face {
  faceId: string;
  identity: number;
  embedding: Float32Array;
}

function dataset(identities: number, perIdentity: number, strangers: number, seed: number): Face[] {
  const random = rng(seed);
  const centers = Array.from({ length: identities }, () => randomUnit(random));
  const faces: Face[] = [];
  centers.forEach((c, identity) => {
    for (let k = 0; k < perIdentity; k++) faces.push({ faceId: `f${identity}-${k}`, identity, embedding: faceOf(c, random) });
  });
  for (let k = 0; k < strangers; k++) faces.push({ faceId: `s${k}`, identity: -1 - k, embedding: randomUnit(random) });
  // Arrival order: shuffled.
  for (let i = faces.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [faces[i], faces[j]] = [faces[j]!, faces[i]!];
  }
  return faces;
}

const idMaker = (prefix = 'p') => {
  let n = 0;
  return () => `${prefix}${++n}`;
};

/** Person of each face after an outcome (faces not mentioned are unassigned). */
function partition(outcome: ClusterOutcome): Map<string, string> {
  return new Map(outcome.assignments.map((a) => [a.faceId, a.personId]));
}

/** Groups of face ids, canonical, so two partitions compare regardless of person ids. */
function groups(personOf: ReadonlyMap<string, string | null>): string[][] {
  const byPerson = new Map<string, string[]>();
  for (const [faceId, personId] of personOf) {
    if (personId === null) continue;
    byPerson.set(personId, [...(byPerson.get(personId) ?? []), faceId]);
  }
  return [...byPerson.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

function expectPureAndWhole(faces: Face[], personOf: ReadonlyMap<string, string | null>) {
  const identityOf = new Map(faces.map((f) => [f.faceId, f.identity]));
  const people = groups(personOf);
  for (const g of people) expect(new Set(g.map((id) => identityOf.get(id))).size).toBe(1); // purity 1
  const identities = [...new Set(faces.filter((f) => f.identity >= 0).map((f) => f.identity))];
  for (const identity of identities) {
    const persons = new Set(faces.filter((f) => f.identity === identity).map((f) => personOf.get(f.faceId) ?? null));
    expect(persons.size).toBe(1); // no split
    expect([...persons][0]).not.toBeNull();
  }
  for (const f of faces.filter((x) => x.identity < 0)) expect(personOf.get(f.faceId) ?? null).toBeNull(); // strangers wait
  expect(people.length).toBe(identities.length);
}

describe('FaceIndex', () => {
  it('adds, updates, removes and finds neighbours best first', () => {
    const index = new FaceIndex(4);
    index.add('a', [1, 0, 0, 0], { personId: 'p' });
    index.add('b', [2, 2, 0, 0]); // normalised: cos(a, b) = 0.7071
    index.add('c', [0, 0, 1, 0]);
    index.add('d', [0.9, 0.1, 0, 0], { rejected: true });
    expect(index.size).toBe(4);
    const hits = index.neighbours([1, 0, 0, 0], 0.5);
    expect(hits.map((h) => h.faceId)).toEqual(['a', 'b']); // d is rejected, c too far
    expect(hits[0]).toEqual({ faceId: 'a', personId: 'p', similarity: expect.closeTo(1, 6) });
    expect(hits[1]!.similarity).toBeCloseTo(Math.SQRT1_2, 6);
    expect(index.neighbours([1, 0, 0, 0], 0.5, 1)).toHaveLength(1);
    expect(index.neighbours([1, 0, 0, 0], 0.5, 5, 'a').map((h) => h.faceId)).toEqual(['b']);

    index.setPerson('b', 'q', 'user');
    expect(index.get('b')).toEqual({ personId: 'q', assignedBy: 'user', rejected: false });
    expect(index.remove('a')).toBe(true);
    expect(index.remove('a')).toBe(false);
    expect(index.has('d')).toBe(true); // the last face moved into a's slot and is still found
    index.setRejected('d', false);
    expect(index.neighbours([1, 0, 0, 0], 0.9).map((h) => h.faceId)).toEqual(['d']);
    index.add('c', [0, 1, 0, 0], { personId: 'q' }); // replaces c
    expect(index.size).toBe(3);
    expect(index.facesOf('q').sort()).toEqual(['b', 'c']);
    expect(index.movePerson('q', 'r')).toBe(2);
    expect(index.facesOf('r').sort()).toEqual(['b', 'c']);
    expect([...index.embedding('c')!]).toEqual([0, 1, 0, 0]);
    expect(() => index.add('e', [1, 2, 3])).toThrow(/expected 4/);
  });

  it('grows past its initial capacity', () => {
    const index = new FaceIndex(8, 2);
    const random = rng(5);
    for (let i = 0; i < 100; i++) index.add(`f${i}`, randomUnit(random, 8));
    for (let i = 0; i < 100; i += 9) expect(index.neighbours(index.embedding(`f${i}`)!, 0.999)[0]!.faceId).toBe(`f${i}`);
  });

  it('answers a query over 50,000 faces in a few milliseconds', () => {
    const random = rng(42);
    const index = new FaceIndex(128, 50_000);
    const v = new Float32Array(128);
    for (let i = 0; i < 50_000; i++) {
      for (let k = 0; k < 128; k++) v[k] = random() - 0.5;
      index.add(`f${i}`, v);
    }
    const query = index.embedding('f123')!;
    index.neighbours(query, 0.4); // warm-up
    const times: number[] = [];
    for (let r = 0; r < 15; r++) {
      const start = performance.now();
      const hits = index.neighbours(query, 0.4, 10);
      times.push(performance.now() - start);
      expect(hits[0]!.faceId).toBe('f123');
    }
    times.sort((a, b) => a - b);
    expect(times[7]!).toBeLessThan(15); // median; about 2 ms on a 2-core VM
  });
});

describe('votePerson', () => {
  it('weighs the nearest assigned faces and ignores unassigned ones', () => {
    const n = (personId: string | null, similarity: number) => ({ faceId: `${personId}${similarity}`, personId, similarity });
    expect(votePerson([n(null, 0.9), n('a', 0.8), n('b', 0.5), n('b', 0.45)])).toBe('b'); // 0.95 beats 0.8
    expect(votePerson([n('a', 0.8), n('b', 0.5), n('b', 0.45)], 2)).toBe('a'); // only two voters
    expect(votePerson([n(null, 0.9)])).toBeNull();
    expect(votePerson([n('b', 0.5), n('a', 0.5)])).toBe('a'); // full tie: smaller id
  });
});

describe('assignNewFaces', () => {
  it('puts well-separated identities into one person each, strangers wait', () => {
    const faces = dataset(12, 10, 15, 1);
    const index = new FaceIndex();
    const makeId = idMaker();
    const personOf = new Map<string, string | null>();
    let waiting: string[] = [];
    // Faces arrive in batches of 17; the waiting ones are passed again, oldest first.
    for (let start = 0; start < faces.length; start += 17) {
      const batch = faces.slice(start, start + 17);
      for (const f of batch) index.add(f.faceId, f.embedding);
      const outcome = assignNewFaces(index, [...waiting, ...batch.map((f) => f.faceId)], {}, makeId);
      for (const a of outcome.assignments) personOf.set(a.faceId, a.personId);
      waiting = outcome.waiting;
    }
    expectPureAndWhole(faces, personOf);
    expect(waiting.sort()).toEqual(faces.filter((f) => f.identity < 0).map((f) => f.faceId).sort());
  });

  it('lets a face wait below the threshold and join when a similar face arrives', () => {
    const d = 128;
    const axis = (angleDeg: number, wobble = 0) => {
      const v = new Float32Array(d);
      v[0] = Math.cos((angleDeg * Math.PI) / 180);
      v[1] = Math.sin((angleDeg * Math.PI) / 180);
      v[2 + wobble] = 0.05;
      return v;
    };
    const index = new FaceIndex(d);
    const makeId = idMaker();
    ['a1', 'a2', 'a3'].forEach((id, i) => index.add(id, axis(0, i)));
    const first = assignNewFaces(index, ['a1', 'a2', 'a3'], {}, makeId);
    expect(first.newPeople).toEqual([{ personId: 'p1', faceIds: ['a1', 'a2', 'a3'] }]);

    index.add('far', axis(70)); // cos 70° ≈ 0.34 to the person: below 0.4
    const second = assignNewFaces(index, ['far'], {}, makeId);
    expect(second).toEqual({ assignments: [], newPeople: [], waiting: ['far'] });

    index.add('bridge', axis(35)); // ≈ 0.82 to both
    const third = assignNewFaces(index, ['far', 'bridge'], {}, makeId);
    expect(third.assignments).toEqual([
      { faceId: 'bridge', personId: 'p1' },
      { faceId: 'far', personId: 'p1' }, // retried within the batch once the bridge joined
    ]);
    expect(third.waiting).toEqual([]);
  });

  it('starts a person only from minFacesForPerson matching faces', () => {
    const random = rng(9);
    const center = randomUnit(random);
    const index = new FaceIndex();
    const makeId = idMaker();
    index.add('x1', faceOf(center, random));
    index.add('x2', faceOf(center, random));
    expect(assignNewFaces(index, ['x1', 'x2'], {}, makeId).waiting).toEqual(['x1', 'x2']);
    expect(assignNewFaces(index, ['x1', 'x2'], { minFacesForPerson: 2 }, makeId).newPeople).toHaveLength(1);
  });

  it('never moves rejected faces, assigned faces or faces the user took out', () => {
    const random = rng(11);
    const center = randomUnit(random);
    const index = new FaceIndex();
    index.add('mine', faceOf(center, random), { personId: 'named', assignedBy: 'user' });
    index.add('out', faceOf(center, random), { personId: null, assignedBy: 'user' });
    index.add('bad', faceOf(center, random), { rejected: true });
    index.add('new', faceOf(center, random));
    const outcome = assignNewFaces(index, ['mine', 'out', 'bad', 'new'], {}, idMaker());
    expect(outcome.assignments).toEqual([{ faceId: 'new', personId: 'named' }]);
    expect(index.get('mine')!.personId).toBe('named');
    expect(index.get('out')!.personId).toBeNull();
    expect(index.get('bad')!.personId).toBeNull();
  });
});

describe('clusterAll', () => {
  it('finds the same people as the incremental pass', () => {
    const faces = dataset(15, 8, 20, 2);
    const full = clusterAll(faces, [], DEFAULT_FACE_CLUSTER_OPTIONS, idMaker('c'));
    const fullPartition = new Map<string, string | null>(partition(full));
    expectPureAndWhole(faces, fullPartition);
    expect(full.newPeople).toHaveLength(15);

    const index = new FaceIndex();
    for (const f of faces) index.add(f.faceId, f.embedding);
    const incremental = assignNewFaces(index, faces.map((f) => f.faceId), {}, idMaker());
    expect(groups(partition(incremental))).toEqual(groups(fullPartition));
    expect(full.waiting.sort()).toEqual(incremental.waiting.sort());
  });

  it('respects anchors and lets their people gather the other faces', () => {
    const faces = dataset(4, 6, 0, 3);
    const ofIdentity = (i: number) => faces.filter((f) => f.identity === i).map((f) => f.faceId);
    const [a0, a1] = ofIdentity(0) as [string, string];
    const [b0] = ofIdentity(1) as [string];
    const anchors = [
      { faceId: a0, personId: 'alice' },
      { faceId: a1, personId: 'alice' },
      { faceId: b0, personId: null }, // the user took it out: it stays out
    ];
    const outcome = clusterAll(faces, anchors, {}, idMaker());
    const personOf = partition(outcome);
    expect(personOf.has(a0) || personOf.has(a1) || personOf.has(b0)).toBe(false); // anchors are not reported
    for (const id of ofIdentity(0).slice(2)) expect(personOf.get(id)).toBe('alice');
    const bPeople = new Set(ofIdentity(1).slice(1).map((id) => personOf.get(id)));
    expect(bPeople.size).toBe(1);
    expect([...bPeople][0]).not.toBe('alice');
    expect(outcome.newPeople.map((p) => p.personId)).not.toContain('alice');
    expect(outcome.newPeople).toHaveLength(3); // identities 1, 2 and 3
  });

  it('keeps previous automatic ids for clusters that overlap them, and skips rejected faces', () => {
    const faces = dataset(3, 5, 0, 4);
    const first = clusterAll(faces, [], {}, idMaker('old'));
    const before = partition(first);
    const again = faces.map((f, i) => ({ ...f, personId: before.get(f.faceId) ?? null, rejected: i === 0 }));
    const second = clusterAll(again, [], {}, idMaker('new'));
    expect(second.newPeople).toEqual([]);
    const after = partition(second);
    expect(after.has(faces[0]!.faceId)).toBe(false);
    expect(second.waiting).not.toContain(faces[0]!.faceId);
    for (const f of faces.slice(1)) expect(after.get(f.faceId)).toBe(before.get(f.faceId));
  });
});
