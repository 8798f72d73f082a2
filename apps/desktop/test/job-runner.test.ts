// The SQLite job queue and its runner on a real catalog: retries with backoff, permanent failures,
// batched outcomes, dedupe, pause, and a worker pool that survives a killed worker.
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@shoebox/core';
import { openCatalog } from '../src/db/connection.ts';
import { JobQueue } from '../src/jobs/job.queue.ts';
import { JobRunner, type JobHandlers } from '../src/jobs/job.runner.ts';
import { WorkerPool } from '@shoebox/media-node/workers/worker-pool';
import { MEDIA_WORKER_ENTRY } from '@shoebox/media-node/worker-entries';
import { CORPUS, tempDir } from './helpers/cli.ts';

const log = pino({ level: 'silent' });
const lanes = { io: 2, media: 1, ml: 1, sync: 1 };

const unexpected = async (): Promise<never> => {
  throw new Error('not expected in this test');
};

function setup(handlers: Partial<JobHandlers>) {
  const catalog = openCatalog(tempDir('jobs'));
  const queue = new JobQueue(catalog.sqlite);
  const all: JobHandlers = {
    metadata: unexpected, thumbnail: unexpected, preview: unexpected, transcode: unexpected,
    faces: unexpected, clip: unexpected, cluster: unexpected, ...handlers,
  };
  const runner = new JobRunner(catalog.sqlite, queue, all, lanes, log);
  return { catalog, queue, runner };
}

describe('job queue and runner', () => {
  it('retries transient failures with exponential backoff, then succeeds', async () => {
    const calls = new Map<string, number[]>();
    const { catalog, queue, runner } = setup({
      metadata: async ({ assetId }) => {
        const seen = [...(calls.get(assetId) ?? []), Date.now()];
        calls.set(assetId, seen);
        if (seen.length < 3) throw new Error(`flaky ${seen.length}`);
        return {};
      },
    });
    const id = uuidv7();
    queue.enqueue([{ name: 'metadata', payload: { assetId: id } }]);
    runner.start();
    await runner.whenIdle();
    await runner.stop();
    const times = calls.get(id)!;
    expect(times).toHaveLength(3);
    // Backoff doubles: ~2 s then ~4 s (jobCatalog.metadata.backoffMs = 2000).
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1900);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(3900);
    const row = catalog.sqlite.prepare(`SELECT state, attempts, last_error FROM jobs`).get();
    expect(row).toEqual({ state: 'done', attempts: 3, last_error: null });
    catalog.close();
  }, 30_000);

  it('records permanent failures at once with their reason, and runs commits in one batch', async () => {
    const { catalog, queue, runner } = setup({
      metadata: async ({ assetId }) => ({
        commit: () => catalog.sqlite.prepare(`INSERT INTO meta (key, value) VALUES (?, 'seen')`).run(assetId),
        ...(assetId.endsWith('0') ? { failed: 'broken file' } : {}),
      }),
    });
    const ids = Array.from({ length: 40 }, () => uuidv7());
    queue.enqueue(ids.map((assetId) => ({ name: 'metadata' as const, payload: { assetId } })));
    // Queuing the same subject again while it waits is a no-op.
    expect(queue.enqueue([{ name: 'metadata', payload: { assetId: ids[0]! } }])).toBe(0);
    runner.start();
    await runner.whenIdle();
    await runner.stop();
    const status = queue.status(100);
    const io = status.lanes.find((l) => l.lane === 'io')!;
    const broken = ids.filter((i) => i.endsWith('0')).length;
    expect(io).toMatchObject({ queued: 0, running: 0, done: 40 - broken, failed: broken });
    expect(status.recentFailures.every((f) => f.error === 'broken file' && f.attempts === 1)).toBe(true);
    expect(catalog.sqlite.prepare(`SELECT count(*) AS n FROM meta WHERE value = 'seen'`).get()).toEqual({ n: 40 });
    // A retry of the failed ones queues them again.
    expect(queue.retryFailed()).toBe(broken);
    catalog.close();
  });

  it('queues the follow-ups the catalog declares, by asset type, carrying the payload on', async () => {
    const seen: string[] = [];
    const types = new Map<string, 'image' | 'video'>();
    const record = (name: string) => async ({ assetId, force }: { assetId: string; force?: string[] | undefined }) => {
      seen.push(`${name}:${types.get(assetId)}:${force?.join('+') ?? '-'}`);
      // A thumbnail that made the preview on the way skips the preview job.
      const skip = name === 'thumbnail' && types.get(assetId) === 'image' ? { skipFollowUps: ['preview'] } : {};
      return { facts: { assetType: types.get(assetId)! }, ...skip };
    };
    const { catalog, queue, runner } = setup({
      metadata: record('metadata'), thumbnail: record('thumbnail'), preview: record('preview'), transcode: record('transcode'),
      faces: record('faces'), clip: record('clip'), cluster: record('cluster'),
    });
    const image = uuidv7();
    const video = uuidv7();
    types.set(image, 'image').set(video, 'video');
    queue.enqueue([
      { name: 'metadata', payload: { assetId: image } },
      { name: 'metadata', payload: { assetId: video, force: ['videos'] } },
    ]);
    runner.start();
    await runner.whenIdle();
    await runner.stop();
    expect(seen.sort()).toEqual([
      // The ML jobs follow the preview; the cluster job follows the faces job.
      'clip:video:videos', 'cluster:video:videos', 'faces:video:videos',
      'metadata:image:-', 'metadata:video:videos', 'preview:video:videos', 'thumbnail:image:-', 'thumbnail:video:videos',
      'transcode:video:videos',
    ]);
    catalog.close();
  });

  it('merges what regenerate forces into a job that is already waiting', () => {
    const { catalog, queue } = setup({});
    const assetId = uuidv7();
    queue.enqueue([{ name: 'thumbnail', payload: { assetId } }]);
    expect(queue.enqueue([{ name: 'thumbnail', payload: { assetId, force: ['images'] } }])).toBe(0);
    queue.enqueue([{ name: 'thumbnail', payload: { assetId, force: ['videos'] } }]);
    const payload = catalog.sqlite.prepare(`SELECT payload FROM jobs`).pluck().get() as string;
    expect(JSON.parse(payload)).toEqual({ assetId, force: ['images', 'videos'] });
    catalog.close();
  });

  it('leaves a paused lane alone and requeues jobs left running by a crash', async () => {
    const { catalog, queue, runner } = setup({ metadata: async () => ({}) });
    queue.enqueue([{ name: 'metadata', payload: { assetId: uuidv7() } }]);
    catalog.sqlite.prepare(`UPDATE jobs SET state = 'running', attempts = 1`).run();
    queue.setPaused('io', true);
    runner.start();
    expect(catalog.sqlite.prepare(`SELECT state, attempts FROM jobs`).get()).toEqual({ state: 'queued', attempts: 0 });
    await runner.whenIdle();
    expect(catalog.sqlite.prepare(`SELECT state FROM jobs`).get()).toEqual({ state: 'queued' });
    queue.setPaused('io', false);
    await runner.whenIdle();
    await runner.stop();
    expect(catalog.sqlite.prepare(`SELECT state FROM jobs`).get()).toEqual({ state: 'done' });
    catalog.close();
  });
});

/** One real media worker. */
function mediaPool(): WorkerPool {
  return new WorkerPool({
    entry: MEDIA_WORKER_ENTRY,
    size: 1,
    init: { exiftoolProcs: 1 },
    perWorker: 4,
    log,
  });
}

describe('worker pool', () => {
  it('replaces a worker killed mid-request; the request fails and later ones succeed', async () => {
    const pool = mediaPool();
    try {
      const file = path.join(CORPUS, 'jpeg/gps/DSCN0010.jpg');
      const first = await pool.call<{ ok: boolean }>({ type: 'metadata', path: file, sidecars: [] });
      expect(first.ok).toBe(true);
      const [pid] = pool.pids();
      const pending = pool.call({ type: 'metadata', path: file, sidecars: [] });
      process.kill(pid!, 'SIGKILL');
      await expect(pending).rejects.toThrow(/worker exited/);
      const again = await pool.call<{ ok: boolean; metadata: { make: string } }>({ type: 'metadata', path: file, sidecars: [] });
      expect(again.metadata.make).toBe('NIKON');
      expect(pool.restarts).toBe(1);
      expect(pool.pids()[0]).not.toBe(pid);
    } finally {
      await pool.close();
    }
  });

  it('fails a request past its time limit and replaces its stuck worker', async () => {
    const pool = mediaPool();
    try {
      const file = path.join(CORPUS, 'jpeg/digicam/Canon_EOS-RP__MG_0631.JPG');
      await pool.call({ type: 'metadata', path: file, sidecars: [] });
      const [pid] = pool.pids();
      const slow = pool.call({ type: 'metadata', path: file, sidecars: [] }, { timeoutMs: 1 });
      await expect(slow).rejects.toThrow(/took longer than/);
      const again = await pool.call<{ ok: boolean }>({ type: 'metadata', path: file, sidecars: [] });
      expect(again.ok).toBe(true);
      expect(pool.pids()[0]).not.toBe(pid);
    } finally {
      await pool.close();
    }
  });
});
