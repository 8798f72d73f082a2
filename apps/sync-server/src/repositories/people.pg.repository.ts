// People and faces over Postgres, scoped by owner: the people list with counts and covers, a
// person's and an asset's faces, and the hand edits (the desktop's people.sqlite.repository.ts).
// A face only ever joins a person of its own owner: every edit checks both sides.
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { Face, PeopleList, Person } from '@shoebox/core/contract';
import { uuidv7, type PeopleRepository, type PersonPatch } from '@shoebox/core';
import type { Db } from '../db/database.ts';
import { tsParam } from './asset.pg.repository.ts';
import { first, iso, isUuid, now, rows, run, uuidList } from './pg.query.ts';

interface PersonRow {
  id: string;
  name: string;
  hidden: boolean;
  cover_face_id: string | null;
  face_count: number;
  asset_count: number;
  created_at: string;
  updated_at: string;
}

interface FaceRow {
  id: string;
  asset_id: string;
  person_id: string | null;
  person_name: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  assigned_by: 'machine' | 'user' | null;
}

/** The best-detected face of a person: confident and large. */
const BEST_FACE = `(SELECT bf.id FROM faces bf WHERE bf.person_id = p.id ORDER BY bf.score * bf.width * bf.height DESC, bf.id LIMIT 1)`;

const PERSON_SELECT = `SELECT p.id, p.name, p.hidden, p.created_at, p.updated_at,
    coalesce((SELECT cf.id FROM faces cf WHERE cf.id = p.cover_face_id AND cf.person_id = p.id), ${BEST_FACE}) AS cover_face_id,
    (SELECT count(*)::int FROM faces f WHERE f.person_id = p.id) AS face_count,
    (SELECT count(DISTINCT f.asset_id)::int FROM faces f JOIN assets a ON a.id = f.asset_id
      WHERE f.person_id = p.id AND a.trashed_at IS NULL AND a.visibility <> 'removed') AS asset_count
  FROM people p`;

const FACE_SELECT = `SELECT f.id, f.asset_id, f.person_id, p.name AS person_name, f.x, f.y, f.width, f.height, f.score, f.assigned_by
  FROM faces f LEFT JOIN people p ON p.id = f.person_id`;

function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    name: r.name,
    hidden: r.hidden,
    faceCount: r.face_count,
    assetCount: r.asset_count,
    coverFaceId: r.cover_face_id,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function toFace(r: FaceRow): Face {
  return {
    id: r.id,
    assetId: r.asset_id,
    personId: r.person_id,
    personName: r.person_id ? (r.person_name ?? '') : null,
    box: { x: r.x, y: r.y, width: r.width, height: r.height },
    score: r.score,
    assignedBy: r.person_id ? r.assigned_by : null,
  };
}

/** People of the owner left without faces go (their faces were moved or their photos removed). */
export async function dropEmptyPeople(db: Db, ownerId: string): Promise<number> {
  return await run(db, sql`DELETE FROM people p WHERE p.owner_id = ${ownerId} AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = p.id)`);
}

export class PeoplePgRepository implements PeopleRepository {
  private readonly db: Db;
  private readonly dataDir: string;

  constructor(db: Db, dataDir: string) {
    this.db = db;
    this.dataDir = dataDir;
  }

  async list(ownerId: string, opts: { withHidden: boolean; minFaces: number }): Promise<PeopleList> {
    if (!isUuid(ownerId)) return { people: [], total: 0, hidden: 0, unassignedFaces: 0 };
    const found = await rows<PersonRow>(this.db, sql`SELECT * FROM (${sql.raw(PERSON_SELECT)} WHERE p.owner_id = ${ownerId}) s
      WHERE s.face_count >= ${opts.minFaces}::int ${opts.withHidden ? sql`` : sql`AND s.hidden = false`}
      ORDER BY s.hidden, (s.name = ''), s.asset_count DESC, s.face_count DESC, s.created_at, s.id`);
    const totals = await first<{ total: number; hidden: number; unassigned: number }>(this.db, sql`SELECT
        (SELECT count(*)::int FROM people WHERE owner_id = ${ownerId}) AS total,
        (SELECT count(*)::int FROM people WHERE owner_id = ${ownerId} AND hidden) AS hidden,
        (SELECT count(*)::int FROM faces WHERE owner_id = ${ownerId} AND person_id IS NULL) AS unassigned`);
    return { people: found.map(toPerson), total: totals?.total ?? 0, hidden: totals?.hidden ?? 0, unassignedFaces: totals?.unassigned ?? 0 };
  }

  async get(ownerId: string, id: string): Promise<Person | null> {
    if (!isUuid(ownerId) || !isUuid(id)) return null;
    const row = await first<PersonRow>(this.db, sql`${sql.raw(PERSON_SELECT)} WHERE p.id = ${id} AND p.owner_id = ${ownerId}`);
    return row ? toPerson(row) : null;
  }

  async create(ownerId: string, name: string, faceIds: readonly string[]): Promise<Person> {
    const id = uuidv7();
    await this.db.transaction(async (tx) => {
      const at = tsParam(now());
      await run(tx, sql`INSERT INTO people (id, owner_id, name, hidden, created_at, updated_at) VALUES (${id}, ${ownerId}, ${name}, false, ${at}, ${at})`);
      await run(tx, sql`UPDATE faces SET person_id = ${id}::uuid, assigned_by = 'user', rejected = false, clustered = true
        WHERE id = ANY(${uuidList(faceIds)}) AND owner_id = ${ownerId}`);
      await dropEmptyPeople(tx, ownerId);
    });
    const person = await this.get(ownerId, id);
    if (!person) throw new Error('the new person vanished');
    return person;
  }

  async update(ownerId: string, id: string, patch: PersonPatch): Promise<void> {
    if (!isUuid(ownerId) || !isUuid(id)) return;
    const sets: SQL[] = [];
    if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
    if (patch.hidden !== undefined) sets.push(sql`hidden = ${patch.hidden}`);
    if (patch.coverFaceId !== undefined) sets.push(sql`cover_face_id = ${isUuid(patch.coverFaceId) ? patch.coverFaceId : null}::uuid`);
    if (sets.length === 0) return;
    sets.push(sql`updated_at = ${tsParam(now())}`);
    await run(this.db, sql`UPDATE people SET ${sql.join(sets, sql`, `)} WHERE id = ${id} AND owner_id = ${ownerId}`);
  }

  async merge(ownerId: string, targetId: string, sourceIds: readonly string[]): Promise<number> {
    if (!isUuid(ownerId) || !isUuid(targetId)) return 0;
    return await this.db.transaction(async (tx) => {
      const target = await first<{ name: string }>(tx, sql`SELECT name FROM people WHERE id = ${targetId} AND owner_id = ${ownerId} FOR UPDATE`);
      if (!target) return 0;
      let moved = 0;
      for (const source of sourceIds) {
        if (!isUuid(source) || source === targetId) continue;
        const s = await first<{ name: string }>(tx, sql`SELECT name FROM people WHERE id = ${source} AND owner_id = ${ownerId}`);
        if (!s) continue;
        moved += await run(tx, sql`UPDATE faces SET person_id = ${targetId}::uuid WHERE person_id = ${source} AND owner_id = ${ownerId}`);
        await run(tx, sql`DELETE FROM people WHERE id = ${source} AND owner_id = ${ownerId}`);
        // An unnamed person takes the name of the first named one merged into it.
        if (!target.name && s.name) {
          target.name = s.name;
          await run(tx, sql`UPDATE people SET name = ${s.name} WHERE id = ${targetId}`);
        }
      }
      await run(tx, sql`UPDATE people SET updated_at = ${tsParam(now())} WHERE id = ${targetId}`);
      return moved;
    });
  }

  async faces(ownerId: string, personId: string, limit: number): Promise<Face[]> {
    if (!isUuid(ownerId) || !isUuid(personId)) return [];
    const found = await rows<FaceRow>(this.db, sql`${sql.raw(FACE_SELECT)} WHERE f.person_id = ${personId} AND f.owner_id = ${ownerId}
      ORDER BY f.score * f.width * f.height DESC, f.id LIMIT ${limit}::int`);
    return found.map(toFace);
  }

  async assetFaces(ownerId: string, assetId: string): Promise<Face[] | null> {
    if (!isUuid(ownerId) || !isUuid(assetId)) return null;
    if (!await first(this.db, sql`SELECT 1 AS ok FROM assets WHERE id = ${assetId} AND owner_id = ${ownerId} AND visibility <> 'removed'`)) return null;
    const found = await rows<FaceRow>(this.db, sql`${sql.raw(FACE_SELECT)} WHERE f.asset_id = ${assetId} AND f.owner_id = ${ownerId}
      ORDER BY f.x, f.y, f.id`);
    return found.map(toFace);
  }

  async face(ownerId: string, faceId: string): Promise<Face | null> {
    if (!isUuid(ownerId) || !isUuid(faceId)) return null;
    const row = await first<FaceRow>(this.db, sql`${sql.raw(FACE_SELECT)} WHERE f.id = ${faceId} AND f.owner_id = ${ownerId}`);
    return row ? toFace(row) : null;
  }

  async existingFaces(ownerId: string, faceIds: readonly string[]): Promise<Set<string>> {
    if (!isUuid(ownerId) || faceIds.length === 0) return new Set();
    const found = await rows<{ id: string }>(this.db, sql`SELECT id FROM faces WHERE id = ANY(${uuidList(faceIds)}) AND owner_id = ${ownerId}`);
    return new Set(found.map((r) => r.id));
  }

  async assignFace(ownerId: string, faceId: string, personId: string | null): Promise<void> {
    if (!isUuid(ownerId) || !isUuid(faceId)) return;
    await this.db.transaction(async (tx) => {
      if (personId) {
        if (!isUuid(personId)) return;
        await run(tx, sql`UPDATE faces SET person_id = ${personId}::uuid, assigned_by = 'user', rejected = false, clustered = true
          WHERE id = ${faceId} AND owner_id = ${ownerId}
            AND EXISTS (SELECT 1 FROM people WHERE id = ${personId}::uuid AND owner_id = ${ownerId})`);
      } else {
        await run(tx, sql`UPDATE faces SET person_id = NULL, assigned_by = NULL, rejected = true, clustered = true
          WHERE id = ${faceId} AND owner_id = ${ownerId}`);
      }
      await dropEmptyPeople(tx, ownerId);
    });
  }

  async faceThumbnail(ownerId: string, faceId: string): Promise<string | null> {
    if (!isUuid(ownerId) || !isUuid(faceId)) return null;
    const row = await first<{ rel: string | null }>(this.db, sql`SELECT thumbnail_path AS rel FROM faces WHERE id = ${faceId} AND owner_id = ${ownerId}`);
    return row?.rel ? path.resolve(this.dataDir, row.rel) : null;
  }

  async coverFace(ownerId: string, personId: string): Promise<string | null> {
    return (await this.get(ownerId, personId))?.coverFaceId ?? null;
  }
}
