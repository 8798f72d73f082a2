// Runs the Postgres queue: per lane, claims as many jobs as the lane's concurrency allows, runs
// their handlers (which hand the heavy work to worker processes) and records each outcome in one
// transaction with its writes and follow-ups. It polls with a short idle delay (other processes
// queue work too) and is poked at once by jobs queued here. Everything is asynchronous: the event
// loop only schedules, and the database and the workers do the work.
import { PermanentJobError, jobCatalog, type JobName } from '@shoebox/core';
import type { JobLane } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { PoolClosedError } from '@shoebox/media-node/workers/worker.protocol';
import type { PgJobQueue } from './job.pg.queue.ts';
import type { ClaimedJob, JobHandlers, JobOutcome, NewJob, SettledEvent, SettledResult } from './job.types.ts';
import { runnerAliveSql, type RunnerLiveness } from './runner-liveness.ts';

export interface JobRunnerOptions {
  queue: PgJobQueue;
  handlers: JobHandlers;
  /** Jobs run at once per lane (a lane left out, or 0, is not run here). */
  concurrency: Partial<Record<JobLane, number>>;
  liveness: RunnerLiveness;
  log: Logger;
  /** Follow-ups not wanted now (ML jobs while their models are missing) are not queued. */
  wanted?: (job: JobName) => boolean | Promise<boolean>;
  /**
   * While it answers true (uploads streaming in), no new job is claimed: on a small machine the
   * CPU goes to receiving files first, and the jobs catch up after. Running jobs finish; after
   * `holdMaxMs` of holding, one round is claimed anyway, so processing never starves.
   */
  holdWhile?: () => boolean;
  holdMaxMs?: number;
  /** How often an idle runner looks for work queued elsewhere (default 500 ms). */
  pollMs?: number;
  /** How often the runner refreshes its claims' locked_at (default 10 s). */
  heartbeatMs?: number;
  /** A claim not refreshed for this long belongs to a runner presumed dead (default 2 min). */
  staleMs?: number;
  /** How often running jobs of dead runners are looked for (default 30 s; also at start). */
  recoverEveryMs?: number;
}

interface Settled {
  outcome?: JobOutcome;
  error?: unknown;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Errors of the database or connection that are worth another try (serialization, deadlock, network). */
function transientDbError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('40') || code.startsWith('08') || code === '57P01' || code === 'ECONNRESET');
}

export class PgJobRunner {
  private readonly opts: Required<Omit<JobRunnerOptions, 'wanted' | 'holdWhile'>> & Pick<JobRunnerOptions, 'wanted' | 'holdWhile'>;
  /** When the runner last claimed (or found nothing to hold for): the starvation guard of holdWhile. */
  private lastClaimAt = Date.now();
  private readonly lanes: JobLane[];
  private readonly inflight: Record<JobLane, number> = { io: 0, media: 0, ml: 0, sync: 0 };
  /** Jobs this runner holds, by id. */
  private readonly held = new Map<number, ClaimedJob>();
  private runnerId = '';
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private pumping = false;
  private again = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private recoverTimer: NodeJS.Timeout | null = null;
  private idleWaiters: (() => void)[] = [];
  private listeners: ((e: SettledEvent) => void)[] = [];

  constructor(opts: JobRunnerOptions) {
    this.opts = { pollMs: 500, holdMaxMs: 10_000, heartbeatMs: 10_000, staleMs: 120_000, recoverEveryMs: 30_000, ...opts };
    this.lanes = (Object.keys(opts.concurrency) as JobLane[]).filter((l) => (opts.concurrency[l] ?? 0) > 0);
    opts.queue.onWake(() => this.poke());
  }

  get id(): string {
    return this.runnerId;
  }

  onSettled(listener: (e: SettledEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Takes the runner's lock, queues again what dead runners left running, and starts claiming. */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.runnerId = await this.opts.liveness.acquire();
    this.state = 'running';
    await this.recover();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.opts.heartbeatMs).unref();
    this.recoverTimer = setInterval(() => void this.recover(), this.opts.recoverEveryMs).unref();
    this.poke();
  }

  private async recover(): Promise<void> {
    try {
      const n = await this.opts.queue.recover(runnerAliveSql, this.opts.staleMs);
      if (n > 0) this.opts.log.info({ requeued: n }, 'requeued jobs left running by a runner that is gone');
    } catch (error) {
      this.opts.log.error({ err: error }, 'could not look for abandoned jobs');
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'stopping') return;
    try {
      if (!(await this.opts.liveness.ensure())) return;
      await this.opts.queue.heartbeat(this.runnerId, [...this.held.keys()]);
    } catch (error) {
      this.opts.log.warn({ err: error }, 'job heartbeat failed');
    }
  }

  /** Looks for work now (jobs were queued, a lane resumed). */
  poke(): void {
    if (this.state !== 'running') return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    setImmediate(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        if (this.holding()) break;
        this.lastClaimAt = Date.now();
        for (const lane of this.lanes) {
          if (this.state !== 'running') break;
          const free = (this.opts.concurrency[lane] ?? 0) - this.inflight[lane];
          if (free <= 0) continue;
          for (const job of await this.opts.queue.claim(lane, free, this.runnerId)) this.execute(job);
        }
      } while (this.again && this.state === 'running');
    } catch (error) {
      this.opts.log.error({ err: error }, 'could not claim jobs');
    } finally {
      this.pumping = false;
    }
    this.schedulePoll();
    void this.checkIdle();
  }

  private holding(): boolean {
    if (!this.opts.holdWhile?.()) return false;
    return Date.now() - this.lastClaimAt < this.opts.holdMaxMs;
  }

  private schedulePoll(): void {
    if (this.state !== 'running') return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      this.poke();
    }, this.opts.pollMs).unref();
  }

  private execute(job: ClaimedJob): void {
    this.inflight[job.lane]++;
    this.held.set(job.id, job);
    const run = (async (): Promise<JobOutcome> => {
      let payload: unknown;
      try {
        payload = (jobCatalog[job.name] as { payload: { parse(v: unknown): unknown } }).payload.parse(job.payload);
      } catch (error) {
        throw new PermanentJobError(`bad job payload: ${message(error)}`);
      }
      const handler = this.opts.handlers[job.name] as (p: unknown, j: ClaimedJob) => Promise<JobOutcome>;
      if (!handler) throw new PermanentJobError(`no handler for ${job.name}`);
      return await handler(payload, job);
    })();
    run
      .then((outcome) => this.record(job, { outcome }), (error: unknown) => this.record(job, { error }))
      .then((e) => this.emit(e))
      .catch((error: unknown) => this.opts.log.error({ err: error, jobId: job.id }, 'could not record a job'))
      .finally(() => {
        this.inflight[job.lane]--;
        this.held.delete(job.id);
        this.poke();
        void this.checkIdle();
      });
  }

  /** Writes one job's outcome; nothing once the runner has stopped or the job was taken from it. */
  private async record(job: ClaimedJob, s: Settled): Promise<SettledEvent> {
    if (this.state === 'stopped' || !this.held.has(job.id)) return { job, result: 'lost' };
    const q = this.opts.queue;
    if (!s.outcome) {
      const error = s.error;
      // Cut short by shutdown: back to the queue, not counted as an attempt.
      if (error instanceof PoolClosedError || this.state !== 'running') {
        await q.release([job.id], this.runnerId);
        return { job, result: 'released', error: message(error) };
      }
      const result = await q.markFailed(q.db, job, this.runnerId, message(error), error instanceof PermanentJobError);
      return { job, result, error: message(error) };
    }
    const outcome = s.outcome;
    const followUps = outcome.facts && !outcome.failed ? await this.followUps(job, outcome) : [];
    try {
      const result = await q.db.tx(async (tx): Promise<SettledResult> => {
        if (!(await q.hold(tx, job.id, this.runnerId))) return 'lost';
        if (outcome.commit) await outcome.commit(tx);
        if (outcome.failed) return await q.markFailed(tx, job, this.runnerId, outcome.failed, true);
        await q.markDone(tx, job.id);
        if (followUps.length > 0) await q.enqueue(followUps, tx);
        return 'done';
      });
      if (followUps.length > 0) q.wake();
      return outcome.failed ? { job, result, error: outcome.failed } : { job, result };
    } catch (error) {
      const text = `could not save the result: ${message(error)}`;
      const result = await q.markFailed(q.db, job, this.runnerId, text, !transientDbError(error));
      return { job, result, error: text };
    }
  }

  private async followUps(job: ClaimedJob, outcome: JobOutcome): Promise<NewJob[]> {
    const type = outcome.facts!.assetType;
    const skip = outcome.skipFollowUps ?? [];
    const next: NewJob[] = [];
    for (const f of jobCatalog[job.name].followUps) {
      if ((f.when && f.when !== type) || skip.includes(f.job)) continue;
      const name = f.job as JobName;
      if (this.opts.wanted && !(await this.opts.wanted(name))) continue;
      next.push({ name, payload: job.payload, ownerId: job.ownerId });
    }
    return next;
  }

  private emit(e: SettledEvent): void {
    const log = this.opts.log;
    // A broken file is an expected outcome (recorded on the asset); a retry is worth a warning.
    if (e.result === 'failed') log.info({ job: e.job.name, jobId: e.job.id, error: e.error }, 'job failed');
    else if (e.result === 'retry') log.warn({ job: e.job.name, jobId: e.job.id, error: e.error }, 'job will be retried');
    else if (e.result === 'lost') log.warn({ job: e.job.name, jobId: e.job.id }, 'job was taken over elsewhere; result dropped');
    for (const l of this.listeners) l(e);
  }

  private totalInflight(): number {
    return this.inflight.io + this.inflight.media + this.inflight.ml + this.inflight.sync;
  }

  private async checkIdle(): Promise<void> {
    if (this.idleWaiters.length === 0 || this.totalInflight() > 0 || this.pumping) return;
    try {
      if (await this.opts.queue.hasWork()) return;
    } catch {
      return;
    }
    if (this.totalInflight() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once no job is queued or running anywhere (paused lanes excepted). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.poke();
      void this.checkIdle();
    });
  }

  inflightCount(): number {
    return this.totalInflight();
  }

  private clearTimers(): void {
    for (const t of [this.pollTimer, this.heartbeatTimer, this.recoverTimer]) if (t) clearTimeout(t);
    this.pollTimer = this.heartbeatTimer = this.recoverTimer = null;
  }

  /**
   * Stops claiming and lets the jobs in flight finish and be recorded; those still running after
   * `timeoutMs` go back to the queue (their results, when they come, are dropped). Then the
   * runner's lock is released.
   */
  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    this.clearTimers();
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    while ((this.totalInflight() > 0 || this.pumping) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const left = [...this.held.keys()];
    if (left.length > 0) {
      try {
        const n = await this.opts.queue.release(left, this.runnerId);
        this.opts.log.info({ released: n }, 'returned unfinished jobs to the queue');
      } catch (error) {
        this.opts.log.error({ err: error }, 'could not return unfinished jobs to the queue; the next start will');
      }
    }
    this.held.clear();
    this.state = 'stopped';
    await this.opts.liveness.release();
  }

  /**
   * As if the process died (tests): stops at once and writes nothing more; the lock's connection
   * is dropped without unlocking, so other runners see the jobs it held as abandoned.
   */
  async abandon(): Promise<void> {
    this.state = 'stopped';
    this.clearTimers();
    this.held.clear();
    await this.opts.liveness.drop();
  }
}
