// The port-conformance fixture over the server's Postgres adapters, on PGlite or on a fresh
// database of the machine's Postgres: one migrated database per suite, emptied before each test
// and seeded by plain inserts (as the upload and metadata jobs would have left the rows).
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { monthOf, takenAtUtcMs } from '@shoebox/core';
import type { ConformanceFixture, SeedAsset, SeedEmbedding, SeedFace, SeedPerson, SeedRoot } from '@shoebox/core/testing';
import type { Db } from '../../src/db/database.ts';
import { createRepositories, type Repositories } from '../../src/repositories/index.ts';
import { openTestDatabase, type DatabaseKind } from './fresh-postgres.ts';

const OWNER = '0000000a-0000-4000-8000-000000000001';
const OTHER_OWNER = '0000000a-0000-4000-8000-000000000002';
const MODEL = 'conformance-clip';

const TABLES = 'users, sessions, api_keys, library_roots, assets, exif, derivatives, albums, album_assets, people, faces, ml_state, smart_embeddings, jobs, job_lanes, settings';

const ts = (iso: string | null): string | null => iso;

async function addOwners(db: Db): Promise<void> {
  await db.execute(sql`INSERT INTO users (id, email, name, password_hash, is_admin) VALUES
    (${OWNER}, 'owner@example.test', 'Owner', 'x', true), (${OTHER_OWNER}, 'other@example.test', 'Other', 'x', false)`);
}

async function insertAssets(db: Db, ownerId: string, rows: readonly SeedAsset[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const a of rows) {
      const taken = a.takenLocal === null ? null : new Date(takenAtUtcMs({ local: a.takenLocal, offsetMinutes: a.offsetMinutes })).toISOString();
      await tx.execute(sql`INSERT INTO assets (id, owner_id, root_id, checksum, path, dir, file_name, format, type, size, mtime, status, error,
          offline, visibility, taken_at, taken_local, tz_offset_min, taken_source, month, width, height, orientation, duration,
          is_favorite, is_archived, trashed_at, rating, description, live_photo_video_id, motion_photo, duplicate_of, sidecars, thumbhash)
        VALUES (${a.id}, ${ownerId}, ${a.rootId}, ${a.checksum}, ${a.path}, ${path.dirname(a.path)}, ${a.fileName}, ${a.exif?.fileType ?? null}::text,
          ${a.type}, ${a.size}, ${a.mtime}::timestamptz, ${a.status}, ${a.error}::text, ${a.offline}, ${a.visibility}, ${taken}::timestamptz,
          ${a.takenLocal}::text, ${a.offsetMinutes}::int, ${a.takenSource}::text, ${a.takenLocal === null ? null : monthOf(a.takenLocal)}::text,
          ${a.width}::int, ${a.height}::int, ${a.orientation}::int, ${a.duration}::float8, ${a.isFavorite}, ${a.isArchived},
          ${ts(a.trashedAt)}::timestamptz, ${a.rating}::int, ${a.description}::text, ${a.livePhotoVideoId}::uuid, ${a.motionPhoto},
          ${a.duplicateOf}::uuid, ${sql.param(a.sidecars)}::text[], ${a.thumbhash}::text)`);
      const e = a.exif;
      if (e) {
        await tx.execute(sql`INSERT INTO exif (asset_id, owner_id, make, model, lens, file_type, mime_type, latitude, longitude, iso, keywords)
          VALUES (${a.id}, ${ownerId}, ${e.make}::text, ${e.model}::text, ${e.lens}::text, ${e.fileType}::text, ${e.mimeType}::text,
            ${e.latitude}::float8, ${e.longitude}::float8, ${e.iso}::int, ${sql.param(e.keywords)}::text[])`);
      }
    }
  });
}

async function insertPeople(db: Db, ownerId: string, people: readonly SeedPerson[], faces: readonly SeedFace[]): Promise<void> {
  const embedding = sql.param(new Array<number>(128).fill(0));
  await db.transaction(async (tx) => {
    for (const p of people) {
      await tx.execute(sql`INSERT INTO people (id, owner_id, name, hidden, cover_face_id, created_at, updated_at)
        VALUES (${p.id}, ${ownerId}, ${p.name}, ${p.hidden}, ${p.coverFaceId}::uuid, ${p.createdAt}::timestamptz, ${p.createdAt}::timestamptz)`);
    }
    for (const f of faces) {
      await tx.execute(sql`INSERT INTO faces (id, owner_id, asset_id, person_id, assigned_by, rejected, clustered, x, y, width, height,
          landmarks, score, embedding, thumbnail_path)
        VALUES (${f.id}, ${ownerId}, ${f.assetId}, ${f.personId}::uuid, ${f.assignedBy}::text, false, true, ${f.box.x}, ${f.box.y},
          ${f.box.width}, ${f.box.height}, '[]'::jsonb, ${f.score}, ${embedding}::real[], ${f.thumbnailPath}::text)`);
    }
  });
}

/** A conformance fixture on one engine: the database lives as long as the suite. */
export async function pgConformanceFixture(kind: DatabaseKind): Promise<ConformanceFixture> {
  const test = await openTestDatabase(kind, 'shoebox_conf');
  const { database } = test;
  const repos: Repositories = createRepositories(database, { clipModel: () => MODEL });
  await addOwners(database.db);
  return {
    ownerId: OWNER,
    otherOwnerId: OTHER_OWNER,
    rootsAddable: false,
    assets: repos.assets,
    albums: repos.albums,
    trash: repos.trash,
    people: repos.people,
    roots: repos.roots,
    smartSearch: repos.smartSearch,
    async seedRoots(ownerId: string, roots: readonly SeedRoot[]) {
      for (const r of roots) await database.db.execute(sql`INSERT INTO library_roots (id, owner_id, path) VALUES (${r.id}, ${ownerId}, ${r.path})`);
    },
    async seedAssets(ownerId: string, rows: readonly SeedAsset[]) {
      await insertAssets(database.db, ownerId, rows);
    },
    async seedPeople(ownerId: string, people: readonly SeedPerson[], faces: readonly SeedFace[]) {
      await insertPeople(database.db, ownerId, people, faces);
    },
    async seedEmbeddings(ownerId: string, embeddings: readonly SeedEmbedding[]) {
      for (const e of embeddings) {
        if (!await repos.smartSearch.upsert(ownerId, e.assetId, MODEL, e.vector)) throw new Error(`no asset ${e.assetId} to embed`);
      }
    },
    async reset() {
      await database.db.execute(sql.raw(`TRUNCATE ${TABLES} RESTART IDENTITY CASCADE`));
      await addOwners(database.db);
    },
    async close() {
      await test.cleanup();
    },
  };
}
