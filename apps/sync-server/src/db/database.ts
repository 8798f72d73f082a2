// Opens the server's database: embedded PGlite in <dataDir>/db by default, a Postgres server
// (15 or newer) when a URL is given. Runs the migrations at open, detects pgvector, and hands out
// one drizzle instance typed over the schema that the repositories use the same way on both.
//
// PGlite is a single connection. Its query() and transaction() share one queue, so a transaction
// runs alone: statements from elsewhere wait until it commits (test/repositories.database.test.ts
// checks this). The flip side: inside `db.transaction(async (tx) => …)`, use `tx` only. A
// statement on `db` there waits for the transaction that is waiting for it, forever.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';
import { VECTOR_STEP } from './vector.sql.ts';

export type Schema = typeof schema;
/** The drizzle instance (or a transaction in it): the same API over PGlite and node-postgres. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** pgvector is installed: smart_embeddings has its generated `embedding_vec` column. */
  hasVector: boolean;
  /** The server's data folder; relative derivative and face paths are resolved against it. */
  dataDir: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  dataDir: string;
  /** postgres:// URL of a server; without it the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Connections in the pool (Postgres only). */
  poolSize?: number | undefined;
}

export const MIGRATIONS_FOLDER = path.join(import.meta.dirname, 'migrations');
export const MIN_SERVER_VERSION = 150000;

/** Serializes migrations of several servers starting at once against one database. */
const MIGRATION_LOCK = 0x5b0e_0001;

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? await openPostgres(opts.dataDir, opts.databaseUrl, opts.poolSize ?? 10) : await openPglite(opts.dataDir);
}

async function openPglite(dataDir: string): Promise<Database> {
  const dir = path.join(dataDir, 'db');
  fs.mkdirSync(dir, { recursive: true });
  // Extensions load only with a data folder on disk (PGlite 0.5 in memory does not unpack them).
  const client = await PGlite.create(dir, { extensions: { vector } });
  try {
    const pdb = drizzlePglite(client, { schema });
    await migratePglite(pdb, { migrationsFolder: MIGRATIONS_FOLDER });
    const db = pdb as unknown as Db;
    const hasVector = await applyVectorStep(db);
    return {
      kind: 'pglite',
      db,
      hasVector,
      dataDir,
      ping: async () => {
        await client.query('SELECT 1');
      },
      close: async () => {
        if (!client.closed) await client.close();
      },
    };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
}

async function openPostgres(dataDir: string, url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c TimeZone=UTC' });
  // An idle connection that drops (a server restart) must not crash the process: the next
  // query gets a fresh connection or a clear error.
  pool.on('error', () => undefined);
  try {
    const version = await pool.query<{ v: string }>('SELECT current_setting(\'server_version_num\') AS v').catch((err: unknown) => {
      throw new Error(`cannot connect to the Postgres server at ${redact(url)}: ${(err as Error).message}`, { cause: err });
    });
    const num = Number(version.rows[0]?.v ?? 0);
    if (num < MIN_SERVER_VERSION) {
      throw new Error(`Postgres 15 or newer is required; the server at ${redact(url)} runs ${formatVersion(num)}`);
    }
    const db = drizzlePg(pool, { schema });
    await migrateLocked(pool, () => migratePg(db, { migrationsFolder: MIGRATIONS_FOLDER }));
    const hasVector = await applyVectorStep(db as unknown as Db);
    return {
      kind: 'postgres',
      db: db as unknown as Db,
      hasVector,
      dataDir,
      ping: async () => {
        await pool.query('SELECT 1');
      },
      close: async () => {
        if (!pool.ended) await pool.end();
      },
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}

/** Runs the migrations holding a session advisory lock, so two servers never migrate at once. */
async function migrateLocked(pool: pg.Pool, run: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await run();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/**
 * Installs pgvector's part when the extension can be had; false when it cannot (not available on
 * the server, or not ours to create), and the server ranks without it.
 */
async function applyVectorStep(db: Db): Promise<boolean> {
  const available = await rowsOf<{ ok: boolean }>(db, sql`SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS ok`);
  if (!available[0]?.ok) return false;
  try {
    await db.transaction(async (tx) => {
      for (const statement of VECTOR_STEP) await tx.execute(sql.raw(statement));
    });
    return true;
  } catch {
    return false;
  }
}

async function rowsOf<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}

function formatVersion(num: number): string {
  return num >= 100000 ? `${Math.floor(num / 10000)}.${num % 10000}` : `${Math.floor(num / 10000)}.${Math.floor(num / 100) % 100}`;
}
