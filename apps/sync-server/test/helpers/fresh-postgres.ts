// A fresh, empty database on the machine's Postgres for one test file (created through the
// `postgres` database with a random name, dropped afterwards), so test files running in parallel
// never share tables. Also: a temp data folder, and a Database opened on either engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';

/** The maintenance database of the test server (trust auth on 127.0.0.1:5432 by default). */
export const POSTGRES_ADMIN_URL = process.env.SHOEBOX_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type DatabaseKind = 'pglite' | 'postgres';
export const DATABASE_KINDS: readonly DatabaseKind[] = ['pglite', 'postgres'];

export interface FreshPostgres {
  name: string;
  /** URL of the new database (DATABASE_URL). */
  url: string;
  /** Drops it, ending any connection left open. Safe to call twice. */
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<random>` (lower-case letters, digits and _ only). */
export async function freshPostgres(prefix = 'shoebox_test'): Promise<FreshPostgres> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`bad database prefix ${prefix}`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  };
}

export interface TestDatabase {
  kind: DatabaseKind;
  database: Database;
  dataDir: string;
  /** The Postgres database's URL (postgres only). */
  url: string | undefined;
  /** Opens another Database on the same data (as a restarted server would); the caller closes it. */
  reopen(): Promise<Database>;
  /** Closes the database, drops the Postgres one and removes the data folder. */
  cleanup(): Promise<void>;
}

/** An empty, migrated database of either kind in a temp data folder. */
export async function openTestDatabase(kind: DatabaseKind, prefix = 'shoebox_test'): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix.replace(/_/g, '-')}-${kind}-`));
  const fresh = kind === 'postgres' ? await freshPostgres(prefix) : null;
  try {
    const database = await openDatabase({ dataDir, databaseUrl: fresh?.url });
    return {
      kind,
      database,
      dataDir,
      url: fresh?.url,
      reopen: () => openDatabase({ dataDir, databaseUrl: fresh?.url }),
      cleanup: async () => {
        await database.close();
        await fresh?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await fresh?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
