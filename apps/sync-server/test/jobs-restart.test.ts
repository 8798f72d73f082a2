// Restart in the middle of processing resumes the jobs, on PGlite and on the Postgres server: a
// server process working through many uploads is killed (SIGKILL) with jobs running, a new one
// starts over the same database, and every job ends done exactly once (one row per job and asset,
// one counted attempt) with every derivative made. Also in-process: a runner dropped without
// completing, whose jobs another runner takes over.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { CORPUS } from '@shoebox/media-node/testing/corpus-manifest';
import { createJobSystem } from '../src/jobs/job-system.ts';
import { num } from '../src/jobs/sql-exec.ts';
import { insertAsset, insertUser, openTestDatabase, type DbKind, type TestDatabase } from './helpers/jobs-db.ts';
import { queueOf, silentLog, until } from './helpers/jobs-fakes.ts';

const SOURCES = ['jpeg/gps/DSCN0010.jpg', 'jpeg/cameras-small/Canon_40D.jpg', 'png/16-bit-grey-alpha.png', 'jpeg/misc/digikam.jpg'];
const COUNT = 60;
const CHILD = path.join(import.meta.dirname, 'helpers', 'jobs-child.ts');
const KINDS: DbKind[] = ['pglite', 'postgres'];

interface Progress {
  runner: string;
  queued?: number;
  running?: number;
  done?: number;
  failed?: number;
}

/** Uploads: links to corpus files (each its own path, as uploads are), queued as the upload route does. */
async function uploads(t: TestDatabase, owner: string): Promise<string[]> {
  const dir = path.join(t.dataDir, 'storage', 'library', owner);
  fs.mkdirSync(dir, { recursive: true });
  const ids: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const src = SOURCES[i % SOURCES.length]!;
    const file = path.join(dir, `photo-${i}${path.extname(src)}`);
    fs.symlinkSync(path.join(CORPUS, src), file);
    ids.push(await insertAsset(t.sql, { ownerId: owner, path: file }));
  }
  await queueOf(t.database).enqueue(ids.map((assetId) => ({ name: 'metadata' as const, payload: { assetId }, ownerId: owner })));
  return ids;
}

/** Starts the child server, kills it with SIGKILL once it is part-way through with jobs running. */
async function runAndKill(t: TestDatabase): Promise<Progress> {
  const child = spawn(process.execPath, [CHILD, t.dataDir, path.join(t.dataDir, 'storage'), t.url ?? ''], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept for the error message; the killed server's orphaned workers complain here as they go.
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let last: Progress | null = null;
  try {
    for await (const line of readline.createInterface({ input: child.stdout })) {
      const p = JSON.parse(line) as Progress;
      last = p;
      if ((p.done ?? 0) >= 30 && (p.running ?? 0) >= 2 && (p.queued ?? 0) > 0) {
        child.kill('SIGKILL');
        break;
      }
      if ((p.queued ?? 0) + (p.running ?? 0) === 0 && (p.done ?? 0) > 0) break;
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  }
  if (!last) throw new Error(`the child server reported nothing:\n${stderr}`);
  return last;
}

async function checkAllDoneOnce(t: TestDatabase, ids: readonly string[]): Promise<void> {
  const jobs = await t.sql.rows<{ asset_id: string; name: string; status: string; attempts: unknown }>(sql`
    SELECT asset_id, name, status, attempts FROM jobs ORDER BY id`);
  expect(jobs.filter((j) => j.status !== 'done')).toEqual([]);
  // One row per job and asset: nothing was queued twice; one counted attempt: nothing ran to the end twice.
  const keys = jobs.map((j) => `${j.asset_id}/${j.name}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(jobs.length).toBe(ids.length * 3);
  expect(jobs.filter((j) => num(j.attempts) !== 1)).toEqual([]);
  const assets = await t.sql.rows<{ status: string; thumbnail_path: string | null; preview_path: string | null; taken_local: string | null }>(sql`
    SELECT a.status, a.taken_local, d.thumbnail_path, d.preview_path FROM assets a LEFT JOIN derivatives d ON d.asset_id = a.id`);
  expect(assets).toHaveLength(ids.length);
  for (const a of assets) {
    expect(a.status).toBe('ok');
    expect(a.taken_local).toBeTruthy();
    expect(fs.existsSync(path.resolve(t.dataDir, a.thumbnail_path!))).toBe(true);
    expect(fs.existsSync(path.resolve(t.dataDir, a.preview_path!))).toBe(true);
  }
}

async function finishInProcess(t: TestDatabase): Promise<{ recovered: number }> {
  const jobs = createJobSystem({
    database: t.database, storageRoot: path.join(t.dataDir, 'storage'), dataDir: t.dataDir, log: silentLog, workers: 2,
    modelsDir: path.join(t.dataDir, 'no-models'), timing: { pollMs: 50 },
  });
  const before = await t.sql.rows<{ n: unknown }>(sql`SELECT count(*) AS n FROM jobs WHERE status = 'running'`);
  await jobs.start();
  await jobs.whenIdle();
  await jobs.stop();
  return { recovered: num(before[0]?.n ?? 0) };
}

describe.each(KINDS)('restart in the middle of processing (%s)', (kind) => {
  let t: TestDatabase | undefined;

  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('resumes after the server process is killed: every job done exactly once', async () => {
    t = await openTestDatabase(kind);
    const owner = await insertUser(t.sql);
    const ids = await uploads(t, owner);
    // PGlite is one process's: the child server takes the data folder over.
    if (kind === 'pglite') await t.database.close();
    const killed = await runAndKill(t);
    expect(killed.done, 'killed part-way').toBeLessThan(ids.length * 3);
    expect(killed.running, 'with jobs running').toBeGreaterThan(0);
    if (kind === 'pglite') await t.reopen();
    const left = await t.sql.rows<{ status: string; n: unknown }>(sql`SELECT status, count(*) AS n FROM jobs GROUP BY status`);
    expect(num(left.find((r) => r.status === 'running')?.n ?? 0), 'jobs left running by the dead server').toBeGreaterThan(0);
    const { recovered } = await finishInProcess(t);
    expect(recovered).toBeGreaterThan(0);
    await checkAllDoneOnce(t, ids);
  }, 180_000);

  it('another runner takes over the jobs of a runner dropped without completing', async () => {
    t = await openTestDatabase(kind);
    const owner = await insertUser(t.sql);
    const ids = await uploads(t, owner);
    const storageRoot = path.join(t.dataDir, 'storage');
    const first = createJobSystem({
      database: t.database, storageRoot, dataDir: t.dataDir, log: silentLog, workers: 2,
      modelsDir: path.join(t.dataDir, 'no-models'), timing: { pollMs: 50 },
    });
    await first.start();
    const db = t.sql;
    await until(async () => {
      const [r] = await db.rows<{ done: unknown; running: unknown }>(sql`
        SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'running') AS running FROM jobs`);
      return num(r!.done) >= 20 && num(r!.running) >= 2;
    }, 60_000, 'part of the work done');
    // As if the process died: nothing more is written, the lock's connection goes.
    await first.runner.abandon();
    const running = await db.rows(sql`SELECT id FROM jobs WHERE status = 'running'`);
    expect(running.length).toBeGreaterThan(0);
    // PGlite: the database goes with the process; a Postgres server sees the lock gone at once.
    if (kind === 'pglite') await t.reopen();
    const { recovered } = await finishInProcess(t);
    await first.stop();
    expect(recovered).toBeGreaterThan(0);
    await checkAllDoneOnce(t, ids);
  }, 180_000);
});
