// Groups one owner's faces into people, with core's pure clustering (face-cluster.ts) over
// Postgres. New faces are placed incrementally (the `cluster` job after `faces` jobs): they join
// the person their nearest faces vote for, or start a new person with enough similar unassigned
// faces, or wait. A full re-cluster (core's FaceClustering port) groups every face again, keeping
// named and hidden people and whatever the user placed by hand. One run per owner at a time.
import { setImmediate as nextTick } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import {
  FaceIndex, assignNewFaces, clusterAll, uuidv7, type ClusterFace, type ClusterOutcome, type FaceAnchor, type FaceClustering,
} from '@shoebox/core';
import type { ReclusterResult } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { num, type SqlDb, type SqlExec } from '../sql-exec.ts';
import type { PgMlSettings } from './ml-settings.pg.ts';

interface FaceRow {
  id: string;
  personId: string | null;
  assignedBy: 'machine' | 'user' | null;
  rejected: boolean;
  clustered: boolean;
  embedding: Float32Array;
  named: boolean;
}

/** Faces read per slice and placed per slice: each slice keeps the event loop busy a few ms. */
const READ_SLICE = 5_000;
const PLACE_SLICE = 50;

/** real[] as either driver returns it (an array, or its text form). */
function vector(value: unknown): Float32Array {
  if (Array.isArray(value)) return Float32Array.from(value as number[], Number);
  const text = String(value).replace(/^\{|\}$/g, '');
  return Float32Array.from(text ? text.split(',') : [], Number);
}

const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

export class PgFaceClusterer implements FaceClustering {
  private readonly db: SqlDb;
  private readonly settings: PgMlSettings;
  private readonly log: Logger;
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(db: SqlDb, settings: PgMlSettings, log: Logger) {
    this.db = db;
    this.settings = settings;
    this.log = log;
  }

  /** Runs `fn` after any other clustering of the same owner in this process. */
  private exclusive<T>(ownerId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.running.get(ownerId) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(fn);
    const tail = run.catch(() => undefined);
    this.running.set(ownerId, tail);
    void tail.then(() => {
      if (this.running.get(ownerId) === tail) this.running.delete(ownerId);
    });
    return run;
  }

  private async options(): Promise<{ personMatch: number; minFacesForPerson: number }> {
    const s = await this.settings.get();
    return { personMatch: s.personMatch, minFacesForPerson: s.minFacesForPerson };
  }

  private async readSlice(ownerId: string, after: string | null, limit: number): Promise<FaceRow[]> {
    const rows = await this.db.rows(sql`
      SELECT f.id, f.person_id, f.assigned_by, f.rejected, f.clustered, f.embedding,
        (p.id IS NOT NULL AND (p.name <> '' OR p.hidden)) AS named
      FROM faces f LEFT JOIN people p ON p.id = f.person_id
      WHERE f.owner_id = ${ownerId} ${after ? sql`AND f.id > ${after}` : sql``}
      ORDER BY f.id LIMIT ${limit}`);
    return rows.map((r) => ({
      id: r.id as string,
      personId: (r.person_id as string | null) ?? null,
      assignedBy: (r.assigned_by as 'machine' | 'user' | null) ?? null,
      rejected: r.rejected === true,
      clustered: r.clustered === true,
      embedding: vector(r.embedding),
      named: r.named === true,
    }));
  }

  private async readAll(ownerId: string, each: (r: FaceRow) => void): Promise<number> {
    let after: string | null = null;
    let n = 0;
    for (;;) {
      const rows = await this.readSlice(ownerId, after, READ_SLICE);
      if (rows.length === 0) break;
      for (const r of rows) each(r);
      n += rows.length;
      after = rows[rows.length - 1]!.id;
      await nextTick();
    }
    return n;
  }

  private async insertPeople(tx: SqlExec, ownerId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.rows(sql`
      INSERT INTO people (id, owner_id, name, hidden) SELECT id, ${ownerId}, '', false FROM unnest(${uuidArray(ids)}) AS id
      ON CONFLICT (id) DO NOTHING`);
  }

  private async persist(ownerId: string, outcome: ClusterOutcome, considered: readonly string[]): Promise<void> {
    await this.db.tx(async (tx) => {
      await this.insertPeople(tx, ownerId, outcome.newPeople.map((p) => p.personId));
      if (outcome.assignments.length > 0) {
        // Never over a placement the user made meanwhile, nor a face they rejected.
        await tx.rows(sql`
          UPDATE faces f SET person_id = x.person_id, assigned_by = 'machine', clustered = true
          FROM unnest(${uuidArray(outcome.assignments.map((a) => a.faceId))}, ${uuidArray(outcome.assignments.map((a) => a.personId))})
            AS x(face_id, person_id)
          WHERE f.id = x.face_id AND f.owner_id = ${ownerId} AND f.assigned_by IS DISTINCT FROM 'user' AND NOT f.rejected`);
      }
      if (considered.length > 0) {
        await tx.rows(sql`UPDATE faces SET clustered = true WHERE owner_id = ${ownerId} AND id = ANY(${uuidArray(considered)})`);
      }
      // People the assignments left empty (a face was taken by the user meanwhile) go.
      await tx.rows(sql`
        DELETE FROM people p WHERE p.owner_id = ${ownerId} AND p.name = '' AND NOT p.hidden
          AND p.id = ANY(${uuidArray(outcome.newPeople.map((x) => x.personId))})
          AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = p.id)`);
    });
  }

  /** Places the owner's faces no clustering has looked at yet. */
  runIncremental(ownerId: string): Promise<{ assigned: number; newPeople: number; waiting: number }> {
    return this.exclusive(ownerId, async () => {
      const [{ n } = { n: 0 }] = await this.db.rows<{ n: unknown }>(sql`SELECT count(*) AS n FROM faces WHERE owner_id = ${ownerId}`);
      const index = new FaceIndex(undefined, Math.max(1, num(n)));
      const fresh: string[] = [];
      await this.readAll(ownerId, (r) => {
        index.add(r.id, r.embedding, {
          personId: r.personId,
          assignedBy: r.assignedBy === 'user' ? 'user' : r.personId ? 'auto' : null,
          rejected: r.rejected,
        });
        if (!r.clustered && !r.personId && !r.rejected) fresh.push(r.id);
      });
      // Face ids are time-ordered (UUIDv7): oldest first, as they arrived.
      fresh.sort();
      const opts = await this.options();
      let assigned = 0;
      let newPeople = 0;
      let waiting = 0;
      for (let i = 0; i < fresh.length; i += PLACE_SLICE) {
        const slice = fresh.slice(i, i + PLACE_SLICE);
        const outcome = assignNewFaces(index, slice, opts, uuidv7);
        await this.persist(ownerId, outcome, slice);
        assigned += outcome.assignments.length;
        newPeople += outcome.newPeople.length;
        waiting = outcome.waiting.length;
        await nextTick();
      }
      if (fresh.length > 0) this.log.info({ faces: fresh.length, assigned, newPeople }, 'placed new faces');
      return { assigned, newPeople, waiting };
    });
  }

  reclusterAll(ownerId: string): Promise<ReclusterResult> {
    return this.exclusive(ownerId, async () => {
      const faces: ClusterFace[] = [];
      const anchors: FaceAnchor[] = [];
      await this.readAll(ownerId, (r) => {
        faces.push({ faceId: r.id, embedding: r.embedding, personId: r.personId, rejected: r.rejected });
        if (r.assignedBy === 'user' || (r.personId && r.named)) anchors.push({ faceId: r.id, personId: r.personId });
        else if (r.rejected) anchors.push({ faceId: r.id, personId: null });
      });
      const outcome = clusterAll(faces, anchors, await this.options(), uuidv7);
      const anchored = new Set(anchors.map((a) => a.faceId));
      const movable = faces.map((f) => f.faceId).filter((id) => !anchored.has(id));
      const assignments = outcome.assignments.filter((a) => !anchored.has(a.faceId));
      await this.db.tx(async (tx) => {
        if (movable.length > 0) {
          await tx.rows(sql`
            UPDATE faces SET person_id = NULL, assigned_by = NULL, clustered = true
            WHERE owner_id = ${ownerId} AND id = ANY(${uuidArray(movable)}) AND assigned_by IS DISTINCT FROM 'user'`);
        }
        await this.insertPeople(tx, ownerId, outcome.newPeople.map((p) => p.personId));
        if (assignments.length > 0) {
          await tx.rows(sql`
            UPDATE faces f SET person_id = x.person_id, assigned_by = 'machine', clustered = true
            FROM unnest(${uuidArray(assignments.map((a) => a.faceId))}, ${uuidArray(assignments.map((a) => a.personId))})
              AS x(face_id, person_id)
            WHERE f.id = x.face_id AND f.owner_id = ${ownerId} AND f.assigned_by IS DISTINCT FROM 'user'`);
        }
        await tx.rows(sql`
          DELETE FROM people p WHERE p.owner_id = ${ownerId} AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = p.id)`);
      });
      const [counts] = await this.db.rows<{ people: unknown; placed: unknown }>(sql`
        SELECT (SELECT count(*) FROM people WHERE owner_id = ${ownerId}) AS people,
          (SELECT count(*) FROM faces WHERE owner_id = ${ownerId} AND person_id IS NOT NULL) AS placed`);
      const result = { people: num(counts?.people ?? 0), faces: faces.length, assigned: num(counts?.placed ?? 0) };
      this.log.info(result, 're-clustered every face');
      return result;
    });
  }
}
