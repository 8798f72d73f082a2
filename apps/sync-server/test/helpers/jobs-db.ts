// Databases for the job system's tests: a PGlite data folder, or a fresh database on the machine's
// Postgres (fresh-postgres.ts: created through the `postgres` database, dropped afterwards) that
// can be closed and opened again in place (a restart), plus rows the jobs need (a user, assets
// pointing at files) inserted directly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { uuidv7 } from '@shoebox/core';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { sqlDb, type DrizzleLike, type SqlDb } from '../../src/jobs/sql-exec.ts';
import { freshPostgres } from './fresh-postgres.ts';

export type DbKind = 'pglite' | 'postgres';

export interface TestDatabase {
  kind: DbKind;
  dataDir: string;
  /** The Postgres URL (postgres only). */
  url: string | undefined;
  database: Database;
  sql: SqlDb;
  /** Closes and opens the database again (as a restarted server would). */
  reopen(): Promise<void>;
  /** Closes, drops the Postgres database and removes the data folder. */
  cleanup(): Promise<void>;
}

export async function openTestDatabase(kind: DbKind): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `shoebox-jobs-${kind}-`));
  const pgdb = kind === 'postgres' ? await freshPostgres('shoebox_jobs') : null;
  const open = () => openDatabase({ dataDir, databaseUrl: pgdb?.url });
  const t: TestDatabase = {
    kind,
    dataDir,
    url: pgdb?.url,
    database: await open(),
    sql: null as unknown as SqlDb,
    reopen: async () => {
      await t.database.close();
      t.database = await open();
      t.sql = sqlDb(t.database.db as unknown as DrizzleLike);
    },
    cleanup: async () => {
      await t.database.close().catch(() => undefined);
      await pgdb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  t.sql = sqlDb(t.database.db as unknown as DrizzleLike);
  return t;
}

export async function insertUser(db: SqlDb, email = `u${randomBytes(4).toString('hex')}@example.test`): Promise<string> {
  const rows = await db.rows<{ id: string }>(sql`
    INSERT INTO users (email, name, password_hash) VALUES (${email}, 'Test', 'x') RETURNING id`);
  return rows[0]!.id;
}

export interface TestAssetInput {
  ownerId: string;
  path: string;
  type?: 'image' | 'video';
  checksum?: string;
  mimeType?: string | null;
  /** The client's modification time (default: now). */
  mtime?: Date;
}

/** An uploaded asset as the upload route leaves it: pending, no capture time yet. */
export async function insertAsset(db: SqlDb, a: TestAssetInput): Promise<string> {
  const id = uuidv7();
  const checksum = a.checksum ?? randomBytes(20).toString('hex');
  const size = fs.existsSync(a.path) ? fs.statSync(a.path).size : 0;
  await db.rows(sql`
    INSERT INTO assets (id, owner_id, checksum, path, dir, file_name, mime_type, type, size, mtime)
    VALUES (${id}, ${a.ownerId}, ${checksum}, ${a.path}, ${path.dirname(a.path)}, ${path.basename(a.path)},
      ${a.mimeType ?? null}, ${a.type ?? 'image'}, ${size}, ${(a.mtime ?? new Date()).toISOString()}::timestamptz)`);
  return id;
}
