// People from face embeddings, as pure functions over a FaceIndex (the caller persists the result).
// Two faces "match" when their cosine similarity is at least `personMatch`; a person is born from
// `minFacesForPerson` matching faces, so one stray detection never becomes a person.
//
// Joining rule (both passes): a face's `voters` most similar assigned neighbours among its matches
// vote for their people with their similarities; the heaviest person wins (ties: the single most
// similar face, then the smaller id). A vote over several neighbours keeps one mislabelled or
// borderline face from pulling newcomers into the wrong person.
import { FaceIndex, type FaceMeta, type FaceNeighbour } from './face-index.ts';

export interface FaceClusterOptions {
  /** Cosine similarity from which two faces count as the same person. */
  personMatch: number;
  /** Matching faces (the face itself included) needed to start a new person. */
  minFacesForPerson: number;
  /** Assigned neighbours that vote on a face's person. */
  voters: number;
}

/**
 * Starting values from shared/models/MANIFEST.md (genuine cosine mean 0.57, min 0.33; impostor
 * mean 0.02, max 0.30): to be calibrated on real libraries.
 */
export const DEFAULT_FACE_CLUSTER_OPTIONS: Readonly<FaceClusterOptions> = {
  personMatch: 0.4,
  minFacesForPerson: 3,
  voters: 5,
};

export interface FaceAssignment {
  faceId: string;
  personId: string;
}

export interface NewPerson {
  personId: string;
  faceIds: string[];
}

export interface ClusterOutcome {
  /** Faces that got a person (new people's faces included). */
  assignments: FaceAssignment[];
  /** People to create, with their first faces. */
  newPeople: NewPerson[];
  /** Faces still without a person: pass them again with the next batch. */
  waiting: string[];
}

/** A face the clustering may move: unassigned, not rejected, and not taken out by the user. */
function isMovable(meta: Readonly<FaceMeta> | undefined): boolean {
  return meta !== undefined && meta.personId === null && !meta.rejected && meta.assignedBy !== 'user';
}

/** Vote weights per person from the first `voters` assigned faces of a best-first neighbour list. */
function votes(neighbours: readonly FaceNeighbour[], voters: number): Map<string, { weight: number; best: number }> {
  const out = new Map<string, { weight: number; best: number }>();
  let counted = 0;
  for (const n of neighbours) {
    if (n.personId === null) continue;
    const v = out.get(n.personId);
    if (v) v.weight += n.similarity;
    else out.set(n.personId, { weight: n.similarity, best: n.similarity });
    if (++counted >= voters) break;
  }
  return out;
}

function winner(tally: ReadonlyMap<string, { weight: number; best: number }>): string | null {
  let chosen: string | null = null;
  let top = { weight: -Infinity, best: -Infinity };
  for (const [personId, v] of tally) {
    const better =
      v.weight > top.weight ||
      (v.weight === top.weight && (v.best > top.best || (v.best === top.best && chosen !== null && personId < chosen)));
    if (better) {
      chosen = personId;
      top = v;
    }
  }
  return chosen;
}

/** The person a face's assigned neighbours vote for, or null when none of them matches. */
export function votePerson(neighbours: readonly FaceNeighbour[], voters = DEFAULT_FACE_CLUSTER_OPTIONS.voters): string | null {
  return winner(votes(neighbours, voters));
}

/**
 * Places new faces (already in the index) in arrival order: a face joins the person its assigned
 * neighbours vote for; failing that, it and its unassigned matching neighbours start a new person
 * when they number `minFacesForPerson`; otherwise it waits. Waiting faces of the batch are retried
 * while the batch makes progress. Pass every still-unassigned face, oldest first, each time.
 * Rejected faces, faces already in a person, and faces the user took out are never moved.
 */
export function assignNewFaces(
  index: FaceIndex,
  faceIds: readonly string[],
  options: Partial<FaceClusterOptions>,
  makePersonId: () => string,
): ClusterOutcome {
  const opts = { ...DEFAULT_FACE_CLUSTER_OPTIONS, ...options };
  const outcome: ClusterOutcome = { assignments: [], newPeople: [], waiting: [] };
  let pending = [...new Set(faceIds)].filter((id) => isMovable(index.get(id)));
  while (pending.length > 0) {
    const still: string[] = [];
    for (const faceId of pending) {
      if (!isMovable(index.get(faceId))) continue; // Taken into a new person earlier in this round.
      const neighbours = index.neighbours(index.embedding(faceId)!, opts.personMatch, Infinity, faceId);
      const personId = votePerson(neighbours, opts.voters);
      if (personId !== null) {
        index.setPerson(faceId, personId, 'auto');
        outcome.assignments.push({ faceId, personId });
        continue;
      }
      const group = [faceId, ...neighbours.filter((n) => isMovable(index.get(n.faceId))).map((n) => n.faceId)];
      if (group.length >= opts.minFacesForPerson) {
        const newId = makePersonId();
        for (const id of group) {
          index.setPerson(id, newId, 'auto');
          outcome.assignments.push({ faceId: id, personId: newId });
        }
        outcome.newPeople.push({ personId: newId, faceIds: group });
        continue;
      }
      still.push(faceId);
    }
    if (still.length === pending.length) break;
    pending = still;
  }
  outcome.waiting = pending.filter((id) => isMovable(index.get(id)));
  return outcome;
}

export interface ClusterFace {
  faceId: string;
  embedding: ArrayLike<number>;
  /** The face's current automatic person: kept for the new cluster that holds most of its faces. */
  personId?: string | null;
  rejected?: boolean;
}

export interface FaceAnchor {
  faceId: string;
  /** null: the user took the face out of every person, and it stays out. */
  personId: string | null;
}

/**
 * Re-clusters every face that is not an anchor from scratch. Anchors (user assignments, faces of
 * named or hidden people) stay put. Then:
 * 1. DBSCAN over the movable faces (eps = personMatch, min points = minFacesForPerson, the face
 *    included): core-connected components plus their border faces; the rest is noise.
 * 2. A cluster whose members' anchored neighbours vote for an anchored person joins that person.
 * 3. Noise faces join the person their labelled neighbours vote for (one pass, order-independent).
 * 4. Other clusters keep the previous automatic person id they overlap most (one-to-one, largest
 *    overlaps first), or get a new id. Faces left over wait.
 * Cost: one exact neighbour query per face (n² dot products).
 */
export function clusterAll(
  faces: readonly ClusterFace[],
  anchors: readonly FaceAnchor[],
  options: Partial<FaceClusterOptions>,
  makePersonId: () => string,
): ClusterOutcome {
  const opts = { ...DEFAULT_FACE_CLUSTER_OPTIONS, ...options };
  const anchored = new Map(anchors.map((a) => [a.faceId, a.personId]));
  const index = new FaceIndex(faces[0]?.embedding.length, faces.length);
  for (const f of faces) {
    const isAnchor = anchored.has(f.faceId);
    const personId = anchored.get(f.faceId) ?? null;
    index.add(f.faceId, f.embedding, { personId, assignedBy: isAnchor ? 'user' : null, rejected: !isAnchor && f.rejected === true });
  }
  const movable = faces.filter((f) => isMovable(index.get(f.faceId))).map((f) => f.faceId);

  // 1. DBSCAN; each face is queried once, and its anchored neighbours' votes are kept.
  const NOISE = -1;
  const cluster = new Map<string, number>();
  const anchorVotes = new Map<string, Map<string, { weight: number; best: number }>>();
  const query = (faceId: string): string[] => {
    const neighbours = index.neighbours(index.embedding(faceId)!, opts.personMatch, Infinity, faceId);
    const tally = votes(neighbours, opts.voters);
    if (tally.size > 0) anchorVotes.set(faceId, tally);
    return neighbours.filter((n) => isMovable(index.get(n.faceId))).map((n) => n.faceId);
  };
  const members: string[][] = [];
  for (const faceId of movable) {
    if (cluster.has(faceId)) continue;
    const seeds = query(faceId);
    if (seeds.length + 1 < opts.minFacesForPerson) {
      cluster.set(faceId, NOISE);
      continue;
    }
    const c = members.length;
    members.push([faceId]);
    cluster.set(faceId, c);
    for (let i = 0; i < seeds.length; i++) {
      const q = seeds[i]!;
      const previous = cluster.get(q);
      if (previous !== undefined && previous !== NOISE) continue;
      cluster.set(q, c);
      members[c]!.push(q);
      if (previous === NOISE) continue; // Already queried: a border face.
      const more = query(q);
      if (more.length + 1 >= opts.minFacesForPerson) seeds.push(...more);
    }
  }

  // 2. Clusters next to anchored people join them; 4. the others keep or get an id.
  const personOf: (string | null)[] = members.map((faceIds) => {
    const tally = new Map<string, { weight: number; best: number }>();
    for (const id of faceIds) {
      for (const [personId, v] of anchorVotes.get(id) ?? []) {
        const t = tally.get(personId);
        if (t) {
          t.weight += v.weight;
          t.best = Math.max(t.best, v.best);
        } else tally.set(personId, { ...v });
      }
    }
    return winner(tally);
  });
  const anchoredPeople = new Set([...anchored.values()].filter((p): p is string => p !== null));
  const previous = new Map(faces.map((f) => [f.faceId, f.personId ?? null]));
  const overlaps: { c: number; personId: string; count: number }[] = [];
  members.forEach((faceIds, c) => {
    if (personOf[c] !== null) return;
    const counts = new Map<string, number>();
    for (const id of faceIds) {
      const p = previous.get(id);
      if (p && !anchoredPeople.has(p)) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    for (const [personId, count] of counts) overlaps.push({ c, personId, count });
  });
  overlaps.sort((a, b) => b.count - a.count || a.c - b.c || (a.personId < b.personId ? -1 : 1));
  const reused = new Set<string>();
  const outcome: ClusterOutcome = { assignments: [], newPeople: [], waiting: [] };
  for (const { c, personId } of overlaps) {
    if (personOf[c] !== null || reused.has(personId)) continue;
    personOf[c] = personId;
    reused.add(personId);
  }
  members.forEach((faceIds, c) => {
    if (personOf[c] === null) {
      personOf[c] = makePersonId();
      outcome.newPeople.push({ personId: personOf[c]!, faceIds: [...faceIds] });
    }
    for (const id of faceIds) index.setPerson(id, personOf[c]!, 'auto');
  });

  // 3. Noise faces join by vote against the labels as they stand now.
  const noise = movable.filter((id) => cluster.get(id) === NOISE);
  const joins = noise.map((id) => votePerson(index.neighbours(index.embedding(id)!, opts.personMatch, Infinity, id), opts.voters));
  noise.forEach((id, i) => {
    const personId = joins[i] ?? null;
    if (personId !== null) index.setPerson(id, personId, 'auto');
  });

  for (const faceId of movable) {
    const personId = index.get(faceId)!.personId;
    if (personId === null) outcome.waiting.push(faceId);
    else outcome.assignments.push({ faceId, personId });
  }
  return outcome;
}
