// openDatabase on both engines: migrations at open (and again, idempotently), pgvector detection,
// ping and close, a clear error for an unreachable server, and PGlite's single connection
// serializing concurrent transactions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { rows } from '../src/repositories/pg.query.ts';
import { DATABASE_KINDS, freshPostgres, openTestDatabase, type TestDatabase } from './helpers/fresh-postgres.ts';

// Opening PGlite (a WebAssembly Postgres) takes seconds, more while other test files run beside it.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function open(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  const t = await openTestDatabase(kind, 'shoebox_repo_db');
  cleanups.push(t.cleanup);
  return t;
}

describe.each(DATABASE_KINDS)('openDatabase on %s', (kind) => {
  it('migrates at open, pings, and detects pgvector', async () => {
    const { database } = await open(kind);
    expect(database.kind).toBe(kind);
    await database.ping();
    const tables = await rows<{ name: string }>(database.db, sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'sessions', 'api_keys', 'assets', 'exif', 'derivatives',
      'albums', 'album_assets', 'library_roots', 'people', 'faces', 'ml_state', 'smart_embeddings', 'jobs', 'job_lanes', 'settings']));
    const available = await rows<{ ok: boolean }>(database.db, sql`SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS ok`);
    // PGlite bundles pgvector; the test server has none (the fallback ranking is what it tests).
    expect(database.hasVector).toBe(available[0]!.ok);
    if (kind === 'pglite') expect(database.hasVector).toBe(true);
    const column = await rows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM information_schema.columns
      WHERE table_name = 'smart_embeddings' AND column_name = 'embedding_vec'`);
    expect(column[0]!.n).toBe(database.hasVector ? 1 : 0);
  });

  it('keeps its data and migrates nothing twice when opened again', async () => {
    const t = await open(kind);
    await t.database.db.execute(sql`INSERT INTO users (email, name, password_hash) VALUES ('a@b.test', 'A', 'x')`);
    const applied = async (db: typeof t.database.db) =>
      (await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`))[0]!.n;
    const before = await applied(t.database.db);
    await t.database.close();
    await t.database.close();
    const again = await t.reopen();
    try {
      expect(await applied(again.db)).toBe(before);
      expect((await rows<{ n: number }>(again.db, sql`SELECT count(*)::int AS n FROM users`))[0]!.n).toBe(1);
    } finally {
      await again.close();
    }
  });
});

describe('openDatabase on postgres', () => {
  it('runs concurrent opens of one database through the migrations once', async () => {
    const fresh = await freshPostgres('shoebox_repo_db');
    const dirs = [0, 1, 2].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-repo-db-')));
    try {
      const opened = await Promise.all(dirs.map((dataDir) => openDatabase({ dataDir, databaseUrl: fresh.url })));
      const applied = await rows<{ n: number }>(opened[0]!.db, sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
      expect(applied[0]!.n).toBe(fs.readdirSync(new URL('../src/db/migrations', import.meta.url)).filter((f) => f.endsWith('.sql')).length);
      for (const d of opened) await d.close();
    } finally {
      await fresh.drop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('says clearly when the server cannot be reached, without the password', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-repo-db-'));
    try {
      const err = await openDatabase({ dataDir, databaseUrl: 'postgres://postgres:secret@127.0.0.1:5432/shoebox_does_not_exist' }).catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/cannot connect to the Postgres server at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/shoebox_does_not_exist/);
      expect((err as Error).message).not.toContain('secret');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('PGlite, a single connection', () => {
  it('runs concurrent transactions one at a time, and plain statements wait for them', async () => {
    const { database } = await open('pglite');
    const { db } = database;
    await db.execute(sql`CREATE TABLE counter (n int NOT NULL)`);
    await db.execute(sql`INSERT INTO counter VALUES (0)`);
    const seen: number[] = [];
    // Each transaction reads, yields to the event loop, and writes read + 1: interleaved, updates would be lost.
    const bump = () => db.transaction(async (tx) => {
      const [row] = await rows<{ n: number }>(tx, sql`SELECT n FROM counter`);
      await new Promise((r) => setTimeout(r, 2));
      await tx.execute(sql`UPDATE counter SET n = ${row!.n + 1}::int`);
    });
    const peek = async () => {
      seen.push((await rows<{ n: number }>(db, sql`SELECT n FROM counter`))[0]!.n);
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 4 === 3 ? peek() : bump())));
    expect((await rows<{ n: number }>(db, sql`SELECT n FROM counter`))[0]!.n).toBe(15);
    expect(seen).toHaveLength(5);
    // A failed transaction rolls back and leaves the connection usable.
    await expect(db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE counter SET n = 100`);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect((await rows<{ n: number }>(db, sql`SELECT n FROM counter`))[0]!.n).toBe(15);
  });
});
