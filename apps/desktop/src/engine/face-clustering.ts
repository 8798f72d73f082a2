// Groups faces into people. New faces are placed incrementally (the `cluster` job, after each
// batch of `faces` jobs): they join the person their nearest faces vote for, or start a new person
// with enough similar unassigned faces, or wait. A full re-cluster groups every face again,
// keeping named and hidden people and whatever the user placed by hand.
import { setImmediate as nextTick } from 'node:timers/promises';
import {
  FaceIndex, assignNewFaces, clusterAll, uuidv7, type ClusterFace, type ClusterOutcome, type FaceAnchor, type FaceClustering,
} from '@shoebox/core';
import type { ReclusterResult } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { Sqlite } from '../db/connection.ts';
import type { MlSettingsStore } from '../ml/ml-settings.ts';

interface FaceRow {
  id: string;
  personId: string | null;
  assignedBy: 'machine' | 'user' | null;
  rejected: number;
  clustered: number;
  embedding: Buffer;
  named: number;
}

/** Faces read per slice and placed per slice: each slice keeps the main thread busy a few ms. */
const READ_SLICE = 5_000;
const PLACE_SLICE = 50;

function vector(buf: Buffer): Float32Array {
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export class FaceClusterer implements FaceClustering {
  private readonly sqlite: Sqlite;
  private readonly settings: MlSettingsStore;
  private readonly log: Logger;

  constructor(sqlite: Sqlite, settings: MlSettingsStore, log: Logger) {
    this.sqlite = sqlite;
    this.settings = settings;
    this.log = log;
  }

  private options(): { personMatch: number; minFacesForPerson: number } {
    const s = this.settings.get();
    return { personMatch: s.personMatch, minFacesForPerson: s.minFacesForPerson };
  }

  private readSlice(after: string, limit: number): FaceRow[] {
    return this.sqlite.prepare(`SELECT f.id, f.person_id AS personId, f.assigned_by AS assignedBy, f.rejected, f.clustered, f.embedding,
        (p.name != '' OR p.hidden = 1) AS named
      FROM faces f LEFT JOIN people p ON p.id = f.person_id WHERE f.id > ? ORDER BY f.id LIMIT ?`).all(after, limit) as FaceRow[];
  }

  /** Every face into an index, read in slices with a pause between them. */
  private async loadIndex(): Promise<{ index: FaceIndex; fresh: string[] }> {
    const total = (this.sqlite.prepare(`SELECT count(*) AS n FROM faces`).get() as { n: number }).n;
    const index = new FaceIndex(undefined, Math.max(1, total));
    const fresh: string[] = [];
    let after = '';
    for (;;) {
      const rows = this.readSlice(after, READ_SLICE);
      if (rows.length === 0) break;
      for (const r of rows) {
        index.add(r.id, vector(r.embedding), {
          personId: r.personId,
          assignedBy: r.assignedBy === 'user' ? 'user' : r.personId ? 'auto' : null,
          rejected: r.rejected === 1,
        });
        if (!r.clustered && !r.personId && !r.rejected) fresh.push(r.id);
      }
      after = rows[rows.length - 1]!.id;
      await nextTick();
    }
    // Face ids are time-ordered (UUIDv7): oldest first, as they arrived.
    fresh.sort();
    return { index, fresh };
  }

  private persist(outcome: ClusterOutcome, considered: readonly string[]): void {
    const now = Date.now();
    const insertPerson = this.sqlite.prepare(`INSERT OR IGNORE INTO people (id, name, hidden, created_at, updated_at) VALUES (?, '', 0, ?, ?)`);
    const assign = this.sqlite.prepare(`UPDATE faces SET person_id = ?, assigned_by = 'machine', clustered = 1 WHERE id = ? AND assigned_by IS NOT 'user' AND rejected = 0`);
    const seen = this.sqlite.prepare(`UPDATE faces SET clustered = 1 WHERE id = ?`);
    this.sqlite.transaction(() => {
      for (const p of outcome.newPeople) insertPerson.run(p.personId, now, now);
      for (const a of outcome.assignments) assign.run(a.personId, a.faceId);
      for (const id of considered) seen.run(id);
    })();
  }

  /** Places the faces no clustering has looked at yet. */
  async runIncremental(): Promise<{ assigned: number; newPeople: number; waiting: number }> {
    const { index, fresh } = await this.loadIndex();
    const opts = this.options();
    let assigned = 0;
    let newPeople = 0;
    let waiting = 0;
    for (let i = 0; i < fresh.length; i += PLACE_SLICE) {
      const slice = fresh.slice(i, i + PLACE_SLICE);
      const outcome = assignNewFaces(index, slice, opts, uuidv7);
      this.persist(outcome, slice);
      assigned += outcome.assignments.length;
      newPeople += outcome.newPeople.length;
      waiting = outcome.waiting.length;
      await nextTick();
    }
    if (fresh.length > 0) this.log.info({ faces: fresh.length, assigned, newPeople }, 'placed new faces');
    return { assigned, newPeople, waiting };
  }

  reclusterAll(): ReclusterResult {
    const faces: ClusterFace[] = [];
    const anchors: FaceAnchor[] = [];
    let after = '';
    for (;;) {
      const rows = this.readSlice(after, READ_SLICE);
      if (rows.length === 0) break;
      for (const r of rows) {
        faces.push({ faceId: r.id, embedding: vector(r.embedding), personId: r.personId, rejected: r.rejected === 1 });
        if (r.assignedBy === 'user' || (r.personId && r.named)) anchors.push({ faceId: r.id, personId: r.personId });
        else if (r.rejected) anchors.push({ faceId: r.id, personId: null });
      }
      after = rows[rows.length - 1]!.id;
    }
    const outcome = clusterAll(faces, anchors, this.options(), uuidv7);
    const anchored = new Set(anchors.map((a) => a.faceId));
    const now = Date.now();
    this.sqlite.transaction(() => {
      const clear = this.sqlite.prepare(`UPDATE faces SET person_id = NULL, assigned_by = NULL, clustered = 1 WHERE id = ?`);
      for (const f of faces) if (!anchored.has(f.faceId)) clear.run(f.faceId);
      const insertPerson = this.sqlite.prepare(`INSERT OR IGNORE INTO people (id, name, hidden, created_at, updated_at) VALUES (?, '', 0, ?, ?)`);
      for (const p of outcome.newPeople) insertPerson.run(p.personId, now, now);
      const assign = this.sqlite.prepare(`UPDATE faces SET person_id = ?, assigned_by = 'machine', clustered = 1 WHERE id = ?`);
      for (const a of outcome.assignments) if (!anchored.has(a.faceId)) assign.run(a.personId, a.faceId);
      this.sqlite.prepare(`DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = people.id)`).run();
    })();
    const people = (this.sqlite.prepare(`SELECT count(*) AS n FROM people`).get() as { n: number }).n;
    const placed = (this.sqlite.prepare(`SELECT count(*) AS n FROM faces WHERE person_id IS NOT NULL`).get() as { n: number }).n;
    this.log.info({ faces: faces.length, people, placed }, 're-clustered every face');
    return { people, faces: faces.length, assigned: placed };
  }
}
