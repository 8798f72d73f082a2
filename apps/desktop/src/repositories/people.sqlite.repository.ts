// People and faces in the SQLite catalog: the people list with counts and covers, a person's and
// an asset's faces, and the hand edits (create from faces, rename, hide, merge, move a face).
import path from 'node:path';
import type { Face, PeopleList, Person } from '@shoebox/core/contract';
import { uuidv7, type PeopleRepository, type PersonPatch } from '@shoebox/core';
import type { Sqlite } from '../db/connection.ts';

interface PersonRow {
  id: string;
  name: string;
  hidden: number;
  coverFaceId: string | null;
  faceCount: number;
  assetCount: number;
  createdAt: number;
  updatedAt: number;
}

interface FaceRow {
  id: string;
  assetId: string;
  personId: string | null;
  personName: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  assignedBy: 'machine' | 'user' | null;
}

/** The best-detected face of a person: confident and large. */
const BEST_FACE = `(SELECT bf.id FROM faces bf WHERE bf.person_id = p.id ORDER BY bf.score * bf.width * bf.height DESC, bf.id LIMIT 1)`;

const PERSON_SELECT = `SELECT p.id, p.name, p.hidden, p.created_at AS createdAt, p.updated_at AS updatedAt,
    coalesce((SELECT cf.id FROM faces cf WHERE cf.id = p.cover_face_id AND cf.person_id = p.id), ${BEST_FACE}) AS coverFaceId,
    (SELECT count(*) FROM faces f WHERE f.person_id = p.id) AS faceCount,
    (SELECT count(DISTINCT f.asset_id) FROM faces f JOIN assets a ON a.id = f.asset_id
      WHERE f.person_id = p.id AND a.trashed_at IS NULL AND a.visibility != 'removed') AS assetCount
  FROM people p`;

const FACE_SELECT = `SELECT f.id, f.asset_id AS assetId, f.person_id AS personId, p.name AS personName,
    f.x, f.y, f.width, f.height, f.score, f.assigned_by AS assignedBy
  FROM faces f LEFT JOIN people p ON p.id = f.person_id`;

function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    name: r.name,
    hidden: r.hidden === 1,
    faceCount: r.faceCount,
    assetCount: r.assetCount,
    coverFaceId: r.coverFaceId,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function toFace(r: FaceRow): Face {
  return {
    id: r.id,
    assetId: r.assetId,
    personId: r.personId,
    personName: r.personId ? (r.personName ?? '') : null,
    box: { x: r.x, y: r.y, width: r.width, height: r.height },
    score: r.score,
    assignedBy: r.personId ? r.assignedBy : null,
  };
}

export class PeopleSqliteRepository implements PeopleRepository {
  private readonly sqlite: Sqlite;
  private readonly dataDir: string;

  constructor(sqlite: Sqlite, dataDir: string) {
    this.sqlite = sqlite;
    this.dataDir = dataDir;
  }

  list(_ownerId: string, opts: { withHidden: boolean; minFaces: number }): PeopleList {
    const rows = this.sqlite.prepare(`SELECT * FROM (${PERSON_SELECT}) WHERE faceCount >= ? ${opts.withHidden ? '' : 'AND hidden = 0'}
      ORDER BY hidden, (name = ''), assetCount DESC, faceCount DESC, createdAt, id`).all(opts.minFaces) as PersonRow[];
    const totals = this.sqlite.prepare(`SELECT count(*) AS total, coalesce(sum(hidden), 0) AS hidden FROM people`).get() as { total: number; hidden: number };
    const unassigned = this.sqlite.prepare(`SELECT count(*) AS n FROM faces WHERE person_id IS NULL`).get() as { n: number };
    return { people: rows.map(toPerson), total: totals.total, hidden: totals.hidden, unassignedFaces: unassigned.n };
  }

  get(_ownerId: string, id: string): Person | null {
    const row = this.sqlite.prepare(`${PERSON_SELECT} WHERE p.id = ?`).get(id) as PersonRow | undefined;
    return row ? toPerson(row) : null;
  }

  create(ownerId: string, name: string, faceIds: readonly string[]): Person {
    const id = uuidv7();
    const now = Date.now();
    this.sqlite.transaction(() => {
      this.sqlite.prepare(`INSERT INTO people (id, name, hidden, created_at, updated_at) VALUES (?, ?, 0, ?, ?)`).run(id, name, now, now);
      const move = this.sqlite.prepare(`UPDATE faces SET person_id = ?, assigned_by = 'user', rejected = 0, clustered = 1 WHERE id = ?`);
      for (const f of faceIds) move.run(id, f);
      this.dropEmpty();
    })();
    const person = this.get(ownerId, id);
    if (!person) throw new Error('the new person vanished');
    return person;
  }

  update(_ownerId: string, id: string, patch: PersonPatch): void {
    const sets: string[] = [];
    const params: (string | number | null)[] = [];
    if (patch.name !== undefined) {
      sets.push('name = ?');
      params.push(patch.name);
    }
    if (patch.hidden !== undefined) {
      sets.push('hidden = ?');
      params.push(patch.hidden ? 1 : 0);
    }
    if (patch.coverFaceId !== undefined) {
      sets.push('cover_face_id = ?');
      params.push(patch.coverFaceId);
    }
    if (sets.length === 0) return;
    this.sqlite.prepare(`UPDATE people SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...params, Date.now(), id);
  }

  merge(_ownerId: string, targetId: string, sourceIds: readonly string[]): number {
    return this.sqlite.transaction(() => {
      let moved = 0;
      const target = this.sqlite.prepare(`SELECT name FROM people WHERE id = ?`).get(targetId) as { name: string };
      for (const source of sourceIds) {
        moved += this.sqlite.prepare(`UPDATE faces SET person_id = ? WHERE person_id = ?`).run(targetId, source).changes;
        const s = this.sqlite.prepare(`SELECT name FROM people WHERE id = ?`).get(source) as { name: string } | undefined;
        // An unnamed person takes the name of the first named one merged into it.
        if (!target.name && s?.name) {
          target.name = s.name;
          this.sqlite.prepare(`UPDATE people SET name = ? WHERE id = ?`).run(s.name, targetId);
        }
        this.sqlite.prepare(`DELETE FROM people WHERE id = ?`).run(source);
      }
      this.sqlite.prepare(`UPDATE people SET updated_at = ? WHERE id = ?`).run(Date.now(), targetId);
      return moved;
    })();
  }

  faces(_ownerId: string, personId: string, limit: number): Face[] {
    const rows = this.sqlite.prepare(`${FACE_SELECT} WHERE f.person_id = ? ORDER BY f.score * f.width * f.height DESC, f.id LIMIT ?`)
      .all(personId, limit) as FaceRow[];
    return rows.map(toFace);
  }

  assetFaces(_ownerId: string, assetId: string): Face[] | null {
    if (!this.sqlite.prepare(`SELECT 1 FROM assets WHERE id = ? AND visibility != 'removed'`).get(assetId)) return null;
    return (this.sqlite.prepare(`${FACE_SELECT} WHERE f.asset_id = ? ORDER BY f.x, f.y`).all(assetId) as FaceRow[]).map(toFace);
  }

  face(_ownerId: string, faceId: string): Face | null {
    const row = this.sqlite.prepare(`${FACE_SELECT} WHERE f.id = ?`).get(faceId) as FaceRow | undefined;
    return row ? toFace(row) : null;
  }

  existingFaces(_ownerId: string, faceIds: readonly string[]): Set<string> {
    const found = new Set<string>();
    const stmt = this.sqlite.prepare(`SELECT id FROM faces WHERE id = ?`);
    for (const id of faceIds) if (stmt.get(id)) found.add(id);
    return found;
  }

  assignFace(_ownerId: string, faceId: string, personId: string | null): void {
    this.sqlite.transaction(() => {
      if (personId) {
        this.sqlite.prepare(`UPDATE faces SET person_id = ?, assigned_by = 'user', rejected = 0, clustered = 1 WHERE id = ?`).run(personId, faceId);
      } else {
        this.sqlite.prepare(`UPDATE faces SET person_id = NULL, assigned_by = NULL, rejected = 1, clustered = 1 WHERE id = ?`).run(faceId);
      }
      this.dropEmpty();
    })();
  }

  faceThumbnail(_ownerId: string, faceId: string): string | null {
    const row = this.sqlite.prepare(`SELECT thumbnail_path AS rel FROM faces WHERE id = ?`).get(faceId) as { rel: string | null } | undefined;
    return row?.rel ? path.join(this.dataDir, row.rel) : null;
  }

  coverFace(ownerId: string, personId: string): string | null {
    return this.get(ownerId, personId)?.coverFaceId ?? null;
  }

  /** People left without faces go (their faces were moved or their photos removed). */
  dropEmpty(): number {
    return this.sqlite.prepare(`DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = people.id)`).run().changes;
  }
}
