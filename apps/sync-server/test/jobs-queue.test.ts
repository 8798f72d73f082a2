// The Postgres job queue and runner on PGlite and on the machine's Postgres server: dedupe,
// claims, follow-ups by asset type, retries with backoff, failures, pause and retry from the jobs
// routes, jobs queued again while they run, recovery of dead runners' jobs, and several runners
// on one database never running a job twice.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers, PermanentJobError, type ApiServices } from '@shoebox/core';
import { JobsStatus } from '@shoebox/core/contract';
import { dedupeKeyOf, type PgJobQueue } from '../src/jobs/job.pg.queue.ts';
import { num } from '../src/jobs/sql-exec.ts';
import { openDatabase } from '../src/db/database.ts';
import { insertAsset, insertUser, openTestDatabase, type DbKind, type TestDatabase } from './helpers/jobs-db.ts';
import { queueOf, recordingHandlers, sleep, testRunner, until, type Call } from './helpers/jobs-fakes.ts';

const KINDS: DbKind[] = ['pglite', 'postgres'];

interface JobRowView {
  id: number;
  name: string;
  status: string;
  attempts: number;
  rerun: boolean;
  error: string | null;
  locked_by: string | null;
  run_after_ms: number;
}

async function jobRows(t: TestDatabase, where = sql`true`): Promise<JobRowView[]> {
  const rows = await t.sql.rows(sql`
    SELECT id, name, status, attempts, rerun, error, locked_by,
      (extract(epoch FROM run_after - now()) * 1000)::float8 AS run_after_ms
    FROM jobs WHERE ${where} ORDER BY id`);
  return rows.map((r) => ({ ...r, id: num(r.id), attempts: num(r.attempts), run_after_ms: num(r.run_after_ms) }) as JobRowView);
}

describe.each(KINDS)('job queue on %s', (kind) => {
  let t: TestDatabase;
  let queue: PgJobQueue;
  let owner: string;
  let other: string;
  const file = (n: number): string => path.join('/nonexistent/storage', `file-${n}.jpg`);
  let counter = 0;
  const asset = async (type: 'image' | 'video' = 'image', who?: string): Promise<string> =>
    insertAsset(t.sql, { ownerId: who ?? owner, path: file(counter++), type });

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    queue = queueOf(t.database);
    owner = await insertUser(t.sql);
    other = await insertUser(t.sql);
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  const clear = async (): Promise<void> => {
    await t.sql.rows(sql`DELETE FROM jobs`);
    await t.sql.rows(sql`DELETE FROM job_lanes`);
  };

  it('queues a job once per key and owner, and drops jobs of assets that do not exist', async () => {
    await clear();
    const a = await asset();
    expect(await queue.enqueue([{ name: 'metadata', payload: { assetId: a }, ownerId: owner }])).toBe(1);
    expect(await queue.enqueue([{ name: 'metadata', payload: { assetId: a }, ownerId: owner }])).toBe(0);
    expect(await queue.enqueue([{ name: 'thumbnail', payload: { assetId: a }, ownerId: owner }])).toBe(1);
    // cluster is one job per owner's library, whatever asset asked for it.
    const b = await asset('image', other);
    expect(await queue.enqueue([
      { name: 'cluster', payload: { assetId: a }, ownerId: owner },
      { name: 'cluster', payload: { assetId: b }, ownerId: owner },
      { name: 'cluster', payload: { assetId: b }, ownerId: other },
    ])).toBe(2);
    expect(await queue.enqueue([{ name: 'metadata', payload: { assetId: '01900000-0000-7000-8000-000000000000' }, ownerId: owner }])).toBe(0);
    const rows = await jobRows(t);
    expect(rows.map((r) => r.name)).toEqual(['metadata', 'thumbnail', 'cluster', 'cluster']);
    expect(rows.every((r) => r.status === 'queued' && r.attempts === 0)).toBe(true);
    expect(dedupeKeyOf('cluster', { assetId: a }, owner)).toBe(`${owner}/cluster`);
    // A bad payload is refused before it reaches the table.
    await expect(queue.enqueue([{ name: 'metadata', payload: { assetId: 'nope' }, ownerId: owner }])).rejects.toThrow();
  });

  it('claims due jobs of a lane in order, at most the limit, and never the same job twice', async () => {
    await clear();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await asset());
    await queue.enqueue(ids.map((assetId) => ({ name: 'metadata' as const, payload: { assetId }, ownerId: owner })));
    await queue.enqueue([{ name: 'thumbnail', payload: { assetId: ids[0]! }, ownerId: owner }]);
    const first = await queue.claim('io', 3, 'r1');
    const second = await queue.claim('io', 3, 'r2');
    expect(first.map((j) => j.payload)).toEqual(ids.slice(0, 3).map((assetId) => ({ assetId })));
    expect(second.map((j) => j.payload)).toEqual(ids.slice(3).map((assetId) => ({ assetId })));
    expect(first[0]).toMatchObject({ name: 'metadata', lane: 'io', ownerId: owner, assetId: ids[0], attempts: 1, maxAttempts: 3 });
    expect(await queue.claim('io', 3, 'r3')).toEqual([]);
    const rows = await jobRows(t, sql`lane = 'io'`);
    expect(rows.every((r) => r.status === 'running')).toBe(true);
    expect(rows.filter((r) => r.locked_by === 'r1')).toHaveLength(3);
    // The media lane is its own.
    expect((await queue.claim('media', 5, 'r1')).map((j) => j.name)).toEqual(['thumbnail']);
  });

  it('keeps a paused lane from claiming, and resumes it (persisted in job_lanes)', async () => {
    await clear();
    const a = await asset();
    await queue.enqueue([{ name: 'metadata', payload: { assetId: a }, ownerId: owner }]);
    await queue.setPaused('io', true);
    expect(await queue.claim('io', 5, 'r1')).toEqual([]);
    expect([...await queueOf(t.database).pausedLanes()]).toEqual(['io']);
    const status = JobsStatus.parse(await queue.status(5));
    expect(status.lanes.find((l) => l.lane === 'io')).toMatchObject({ paused: true, queued: 1 });
    await queue.setPaused('io', false);
    expect(await queue.claim('io', 5, 'r1')).toHaveLength(1);
  });

  it('retries a transient failure with exponential backoff, then fails the job and its asset', async () => {
    await clear();
    const a = await asset();
    await queue.enqueue([{ name: 'metadata', payload: { assetId: a }, ownerId: owner }]);
    const backoffs: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await queue.claim('io', 1, 'r1');
      expect(job?.attempts).toBe(attempt);
      const result = await queue.markFailed(queue.db, job!, 'r1', `boom ${attempt}`, false);
      expect(result).toBe(attempt < 3 ? 'retry' : 'failed');
      const [row] = await jobRows(t);
      if (attempt < 3) {
        expect(row).toMatchObject({ status: 'queued', error: `boom ${attempt}`, locked_by: null });
        backoffs.push(row!.run_after_ms);
        // Not due yet.
        expect(await queue.claim('io', 1, 'r1')).toEqual([]);
        await t.sql.rows(sql`UPDATE jobs SET run_after = now()`);
      } else {
        expect(row).toMatchObject({ status: 'failed', error: 'boom 3', attempts: 3 });
      }
    }
    // metadata: 2 s, then 4 s.
    expect(backoffs[0]).toBeGreaterThan(1_500);
    expect(backoffs[0]).toBeLessThanOrEqual(2_000);
    expect(backoffs[1]).toBeGreaterThan(3_500);
    expect(backoffs[1]).toBeLessThanOrEqual(4_000);
    const [assetRow] = await t.sql.rows(sql`SELECT status, error FROM assets WHERE id = ${a}`);
    expect(assetRow).toMatchObject({ status: 'failed', error: 'boom 3' });
  });

  it('answers the shared jobs routes: status with failures, lane pause, retry of failed jobs', async () => {
    await clear();
    const a = await asset();
    await queue.enqueue([{ name: 'metadata', payload: { assetId: a }, ownerId: owner }]);
    const [job] = await queue.claim('io', 1, 'r1');
    expect(await queue.markFailed(queue.db, job!, 'r1', 'broken file', true)).toBe('failed');
    const handlers = createApiHandlers({ jobs: queue } as unknown as ApiServices);
    const ctx = { ownerId: owner, isAdmin: true };
    const status = JobsStatus.parse(await handlers.getJobsStatus({ query: { failures: 10 } } as never, ctx));
    expect(status.lanes.map((l) => l.lane)).toEqual(['io', 'media', 'ml', 'sync']);
    expect(status.lanes[0]).toMatchObject({ failed: 1, queued: 0, running: 0, perMinute: 1 });
    expect(status.recentFailures).toEqual([
      expect.objectContaining({ jobId: job!.id, name: 'metadata', lane: 'io', assetId: a, error: 'broken file', attempts: 1, path: file(counter - 1) }),
    ]);
    const lane = await handlers.setLanePaused({ params: { lane: 'media' }, body: { paused: true } } as never, ctx);
    expect(lane).toMatchObject({ lane: 'media', paused: true });
    expect(await handlers.retryFailedJobs({ body: { lane: 'media' } } as never, ctx)).toEqual({ requeued: 0 });
    expect(await handlers.retryFailedJobs({ body: {} } as never, ctx)).toEqual({ requeued: 1 });
    const [row] = await jobRows(t);
    expect(row).toMatchObject({ status: 'queued', attempts: 0, error: null });
    await queue.setPaused('media', false);
  });

  it('runs a job queued again while it ran once more afterwards, and merges what regenerate asks for', async () => {
    await clear();
    const a = await asset();
    await queue.enqueue([{ name: 'thumbnail', payload: { assetId: a }, ownerId: owner }]);
    expect(await queue.enqueue([{ name: 'thumbnail', payload: { assetId: a, force: ['images'] }, ownerId: owner }])).toBe(0);
    expect((await t.sql.rows(sql`SELECT payload FROM jobs`))[0]!.payload).toEqual({ assetId: a, force: ['images'] });
    const [job] = await queue.claim('media', 1, 'r1');
    expect(await queue.enqueue([{ name: 'thumbnail', payload: { assetId: a }, ownerId: owner }])).toBe(0);
    expect((await jobRows(t))[0]).toMatchObject({ status: 'running', rerun: true });
    await queue.db.tx(async (tx) => {
      expect(await queue.hold(tx, job!.id, 'r1')).toBe(true);
      await queue.markDone(tx, job!.id);
    });
    expect((await jobRows(t))[0]).toMatchObject({ status: 'queued', rerun: false, attempts: 0, locked_by: null });
    const [again] = await queue.claim('media', 1, 'r1');
    await queue.db.tx(async (tx) => queue.markDone(tx, again!.id));
    expect((await jobRows(t))[0]).toMatchObject({ status: 'done' });
  });

  it('queues again the jobs of runners that are gone, or whose claims went stale, but not those of live runners', async () => {
    await clear();
    const ids = [await asset(), await asset(), await asset()];
    await queue.enqueue(ids.map((assetId) => ({ name: 'metadata' as const, payload: { assetId }, ownerId: owner })));
    const calls: Call[] = [];
    const live = testRunner(t.database, queue, recordingHandlers(calls, () => 'live'), { concurrency: { media: 1 } });
    await live.start();
    // One claimed by a runner that holds its lock, one by a dead runner (no lock), one stale.
    const [a] = await queue.claim('io', 1, live.id);
    const [b] = await queue.claim('io', 1, '4242:elsewhere:1');
    const [c] = await queue.claim('io', 1, live.id);
    await t.sql.rows(sql`UPDATE jobs SET locked_at = now() - interval '10 minutes' WHERE id = ${c!.id}`);
    const { runnerAliveSql } = await import('../src/jobs/runner-liveness.ts');
    expect(await queue.recover(runnerAliveSql, 120_000)).toBe(2);
    const rows = await jobRows(t);
    expect(rows.find((r) => r.id === a!.id)).toMatchObject({ status: 'running', locked_by: live.id });
    expect(rows.find((r) => r.id === b!.id)).toMatchObject({ status: 'queued', attempts: 0, locked_by: null });
    expect(rows.find((r) => r.id === c!.id)).toMatchObject({ status: 'queued', attempts: 0 });
    // The live runner's claim that was taken away cannot be completed by it any more.
    await queue.db.tx(async (tx) => expect(await queue.hold(tx, c!.id, live.id)).toBe(false));
    expect(await queue.markFailed(queue.db, c!, live.id, 'late', false)).toBe('lost');
    await live.stop();
    // Stopping released the lock: what it still held in the table is now abandoned.
    expect(await queue.recover(runnerAliveSql, 120_000)).toBe(1);
  });

  it('runs the pipeline: follow-ups by asset type, ML only when wanted, failures recorded', async () => {
    await clear();
    const image = await asset('image');
    const video = await asset('video');
    const broken = await asset('image');
    const calls: Call[] = [];
    const handlers = recordingHandlers(calls, () => 'r', (name, payload) => {
      if (payload.assetId === broken && name === 'metadata') return { failed: 'not a picture' };
      if (payload.assetId === video && name === 'transcode') throw new PermanentJobError('no ffmpeg');
      return { facts: { assetType: payload.assetId === video ? 'video' : 'image' } };
    });
    const runner = testRunner(t.database, queue, handlers, { wanted: (job) => job !== 'faces' });
    await runner.start();
    await queue.enqueue([image, video, broken].map((assetId) => ({ name: 'metadata' as const, payload: { assetId }, ownerId: owner })));
    await runner.whenIdle();
    await runner.stop();
    const seq = (id: string): string[] => calls.filter((c) => c.assetId === id).map((c) => c.name);
    expect(seq(image)).toEqual(['metadata', 'thumbnail', 'preview', 'clip']);
    expect(seq(video).sort()).toEqual(['clip', 'metadata', 'preview', 'thumbnail', 'transcode']);
    expect(seq(broken)).toEqual(['metadata']);
    const status = JobsStatus.parse(await queue.status(10));
    const io = status.lanes.find((l) => l.lane === 'io')!;
    const media = status.lanes.find((l) => l.lane === 'media')!;
    expect(io).toMatchObject({ done: 2, failed: 1, queued: 0, running: 0 });
    expect(media).toMatchObject({ done: 4, failed: 1, queued: 0, running: 0 });
    expect(status.recentFailures.map((f) => f.error).sort()).toEqual(['no ffmpeg', 'not a picture']);
    // Each job exactly once.
    expect(new Set(calls.map((c) => c.jobId)).size).toBe(calls.length);
  });

  it('several runners on one database run every job exactly once', async () => {
    await clear();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await asset());
    const calls: Call[] = [];
    // On a Postgres server each runner has its own pool, as separate processes would.
    const own = kind === 'postgres' ? [t.database, ...await Promise.all([1, 2].map(() => openDatabase({ dataDir: t.dataDir, databaseUrl: t.url })))] : [t.database, t.database, t.database];
    const runners = [0, 1, 2].map((i) => {
      const db = own[i]!;
      const r = testRunner(db, queueOf(db), recordingHandlers(calls, () => `r${i}`, async () => {
        await sleep(2 + Math.random() * 8);
        return { facts: { assetType: 'image' } };
      }), { wanted: (job) => job !== 'faces' && job !== 'clip', concurrency: { io: 4, media: 3 } });
      return r;
    });
    await Promise.all(runners.map((r) => r.start()));
    // Queued from elsewhere (no poke): the runners find the jobs by polling.
    await queueOf(t.database).enqueue(ids.map((assetId) => ({ name: 'metadata' as const, payload: { assetId }, ownerId: owner })));
    await until(async () => (await jobRows(t, sql`status = 'done'`)).length === ids.length * 3, 20_000, 'all jobs done').catch(async (e: unknown) => {
      console.log(JSON.stringify((await queue.status(3))), calls.length);
      throw e;
    });
    await Promise.all(runners.map((r) => r.stop()));
    for (const db of own.slice(1)) if (db !== t.database) await db.close();
    expect(calls).toHaveLength(ids.length * 3);
    expect(new Set(calls.map((c) => c.jobId)).size).toBe(calls.length);
    const perRunner = new Map<string, number>();
    for (const c of calls) perRunner.set(c.runner, (perRunner.get(c.runner) ?? 0) + 1);
    // The work was shared.
    expect(perRunner.size).toBeGreaterThanOrEqual(2);
    const rows = await jobRows(t);
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
  }, 90_000);

  it('stops gracefully: running jobs finish and are recorded, or go back to the queue', async () => {
    await clear();
    const quick = await asset();
    const slow = await asset();
    const calls: Call[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const runner = testRunner(t.database, queue, recordingHandlers(calls, () => 'r', async (_name, payload) => {
      if (payload.assetId === slow) await gate;
      else await sleep(50);
      return {};
    }));
    await runner.start();
    await queue.enqueue([quick, slow].map((assetId) => ({ name: 'metadata' as const, payload: { assetId }, ownerId: owner })));
    await until(() => calls.length === 2, 10_000, 'both running');
    await runner.stop({ timeoutMs: 500 });
    release();
    const rows = await jobRows(t);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([['done', 1], ['queued', 0]]);
  });
});
