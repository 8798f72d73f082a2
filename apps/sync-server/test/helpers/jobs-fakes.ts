// Stand-ins for the job system's tests: handlers that record their calls and answer as told, a
// silent logger, and a runner over them with short timers.
import pino from 'pino';
import type { JobName } from '@shoebox/core';
import type { JobLane } from '@shoebox/core/contract';
import { PgJobQueue } from '../../src/jobs/job.pg.queue.ts';
import { PgJobRunner } from '../../src/jobs/job.runner.ts';
import type { ClaimedJob, JobHandlers, JobOutcome } from '../../src/jobs/job.types.ts';
import { livenessSource } from '../../src/jobs/liveness-sources.ts';
import { RunnerLiveness } from '../../src/jobs/runner-liveness.ts';
import type { Database } from '../../src/db/database.ts';
import { sqlDb, type DrizzleLike } from '../../src/jobs/sql-exec.ts';

export const silentLog = pino({ level: 'silent' });

export interface Call {
  name: JobName;
  jobId: number;
  assetId: string;
  runner: string;
  attempts: number;
}

export type Behaviour = (name: JobName, payload: { assetId: string }, job: ClaimedJob) => Promise<JobOutcome> | JobOutcome;

const JOB_NAMES: JobName[] = ['metadata', 'thumbnail', 'preview', 'transcode', 'faces', 'clip', 'cluster'];

/** Handlers for every job that record each call and answer with `behaviour` (default: done, an image). */
export function recordingHandlers(calls: Call[], runner: () => string, behaviour?: Behaviour): JobHandlers {
  const make = (name: JobName) => async (payload: { assetId: string }, job: ClaimedJob): Promise<JobOutcome> => {
    calls.push({ name, jobId: job.id, assetId: payload.assetId, runner: runner(), attempts: job.attempts });
    return behaviour ? await behaviour(name, payload, job) : { facts: { assetType: 'image' } };
  };
  return Object.fromEntries(JOB_NAMES.map((n) => [n, make(n)])) as unknown as JobHandlers;
}

export function queueOf(database: Database): PgJobQueue {
  return new PgJobQueue(sqlDb(database.db as unknown as DrizzleLike));
}

export function testRunner(
  database: Database,
  queue: PgJobQueue,
  handlers: JobHandlers,
  opts: { concurrency?: Partial<Record<JobLane, number>>; wanted?: (job: JobName) => boolean; staleMs?: number } = {},
): PgJobRunner {
  return new PgJobRunner({
    queue,
    handlers,
    concurrency: opts.concurrency ?? { io: 4, media: 2, ml: 1 },
    liveness: new RunnerLiveness(livenessSource(database), silentLog),
    log: silentLog,
    pollMs: 20,
    heartbeatMs: 200,
    recoverEveryMs: 500,
    ...(opts.staleMs ? { staleMs: opts.staleMs } : {}),
    ...(opts.wanted ? { wanted: opts.wanted } : {}),
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
