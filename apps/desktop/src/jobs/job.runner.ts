// Runs the queue: per lane, claims as many jobs as the lane's concurrency allows, runs their
// handlers (which hand the heavy work to worker processes) and writes the outcomes in batched
// transactions, so the main thread only schedules and writes.
import type { JobLane } from '@shoebox/core/contract';
import { PermanentJobError, jobCatalog, type JobName, type JobPayload } from '@shoebox/core';
import type { Logger } from 'pino';
import type { Sqlite } from '../db/connection.ts';
import type { JobQueue, JobRow } from './job.queue.ts';

/** What a handler hands back: writes to run in the batch transaction, and an optional failure. */
export interface JobOutcome {
  commit?: () => void;
  /** The job failed for good (the file is broken); the commit still runs. */
  failed?: string;
  /**
   * What the job learnt about its asset. A successful job with facts queues the follow-ups the
   * catalog declares for it (filtered by asset type); without facts (the asset is gone) none.
   */
  facts?: { assetType: 'image' | 'video' };
  /** Follow-ups this run made unnecessary (it did their work on the way). */
  skipFollowUps?: readonly string[];
}

export type JobHandlers = {
  [N in JobName]: (payload: JobPayload<N>, job: JobRow) => Promise<JobOutcome>;
};

interface Settled {
  job: JobRow;
  outcome?: JobOutcome;
  error?: unknown;
}

const FLUSH_AT = 256;
const FLUSH_AFTER_MS = 20;

export class JobRunner {
  private readonly sqlite: Sqlite;
  private readonly queue: JobQueue;
  private readonly handlers: JobHandlers;
  private readonly concurrency: Record<JobLane, number>;
  private readonly log: Logger;
  private readonly inflight: Record<JobLane, number> = { io: 0, media: 0, ml: 0, sync: 0 };
  private settled: Settled[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private running = false;
  private pumping = false;
  private idleWaiters: (() => void)[] = [];
  private readonly failAsset;
  private listeners: ((e: { job: JobRow; result: 'done' | 'retry' | 'failed'; error?: string }) => void)[] = [];

  /** Follow-ups the engine does not want now (ML jobs while ML is off or its models are missing). */
  private readonly wanted: (job: JobName) => boolean;

  constructor(
    sqlite: Sqlite, queue: JobQueue, handlers: JobHandlers, concurrency: Record<JobLane, number>, log: Logger,
    wanted: (job: JobName) => boolean = () => true,
  ) {
    this.wanted = wanted;
    this.sqlite = sqlite;
    this.queue = queue;
    this.handlers = handlers;
    this.concurrency = concurrency;
    this.log = log;
    // A lane resumed or failed jobs requeued over the API: claim them now.
    queue.onWake(() => this.poke());
    this.failAsset = sqlite.prepare(
      `UPDATE assets SET status = 'failed', error = @error, updated_at = @now WHERE id = @id AND status = 'pending'`);
  }

  onSettled(listener: (e: { job: JobRow; result: 'done' | 'retry' | 'failed'; error?: string }) => void): void {
    this.listeners.push(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const recovered = this.queue.recoverRunning();
    if (recovered) this.log.info({ recovered }, 'requeued jobs left running by an earlier process');
    this.poke();
  }

  /** Wakes the scheduler (new jobs were queued or a lane was resumed). */
  poke(): void {
    if (!this.running || this.pumping) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      this.pump();
    });
  }

  private totalInflight(): number {
    return this.inflight.io + this.inflight.media + this.inflight.ml + this.inflight.sync;
  }

  private pump(): void {
    if (!this.running) return;
    const paused = this.queue.pausedLanes();
    const active = (Object.keys(this.concurrency) as JobLane[]).filter((l) => !paused.has(l));
    for (const lane of active) {
      const free = this.concurrency[lane] - this.inflight[lane];
      if (free <= 0) continue;
      for (const job of this.queue.claim(lane, free)) this.execute(job);
    }
    this.scheduleWake(active);
    this.checkIdle();
  }

  private scheduleWake(active: JobLane[]): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const due = this.queue.nextDueIn(active);
    if (due !== null && due > 0) this.wakeTimer = setTimeout(() => this.poke(), Math.min(due, 60_000));
  }

  private execute(job: JobRow): void {
    this.inflight[job.lane]++;
    let run: Promise<JobOutcome>;
    try {
      const def = jobCatalog[job.name];
      const payload = def.payload.parse(JSON.parse(job.payload));
      const handler = this.handlers[job.name] as (p: unknown, j: JobRow) => Promise<JobOutcome>;
      run = handler(payload, job);
    } catch (error) {
      run = Promise.reject(error instanceof Error ? new PermanentJobError(`bad job payload: ${error.message}`) : error);
    }
    run.then(
      (outcome) => this.settle({ job, outcome }),
      (error: unknown) => this.settle({ job, error }),
    );
  }

  private settle(s: Settled): void {
    this.inflight[s.job.lane]--;
    this.settled.push(s);
    if (this.settled.length >= FLUSH_AT) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    // A lane with nothing left in flight claims its next job now rather than after the flush: a
    // lane of one (the ML worker) would otherwise idle for the flush delay after every job.
    if (this.inflight[s.job.lane] === 0) this.poke();
  }

  /** Writes every settled job's outcome and state in one transaction, then schedules more work. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.settled.length === 0) return;
    const batch = this.settled;
    this.settled = [];
    const events: { job: JobRow; result: 'done' | 'retry' | 'failed'; error?: string }[] = [];
    const now = Date.now();
    try {
      this.sqlite.transaction(() => {
        for (const s of batch) events.push(this.record(s, now));
      }).immediate();
    } catch (error) {
      // The batch did not land: its jobs stay `running` in the catalog and a restart requeues
      // them. Never let a write error escape a timer and take the engine down.
      this.log.error({ err: error, jobs: batch.length }, 'could not record job outcomes');
      return;
    }
    for (const e of events) {
      // A broken file is an expected outcome (recorded on the asset), a retry is worth a warning.
      if (e.result === 'failed') this.log.info({ job: e.job.name, jobId: e.job.id, error: e.error }, 'job failed');
      if (e.result === 'retry') this.log.warn({ job: e.job.name, jobId: e.job.id, error: e.error }, 'job will be retried');
      for (const l of this.listeners) l(e);
    }
    this.poke();
  }

  /** One job's outcome, in its own savepoint so that one failing write cannot undo the others. */
  private record({ job, outcome, error }: Settled, now: number): { job: JobRow; result: 'done' | 'retry' | 'failed'; error?: string } {
    if (outcome) {
      try {
        if (outcome.commit) this.sqlite.transaction(outcome.commit)();
      } catch (commitError) {
        const message = `could not save the result: ${commitError instanceof Error ? commitError.message : String(commitError)}`;
        this.queue.markFailed(job, message, true, now);
        return { job, result: 'failed', error: message };
      }
      if (outcome.failed) {
        this.queue.markFailed(job, outcome.failed, true, now);
        return { job, result: 'failed', error: outcome.failed };
      }
      this.queue.markDone(job.id, now);
      if (outcome.facts) this.queueFollowUps(job, outcome.facts.assetType, outcome.skipFollowUps ?? [], now);
      return { job, result: 'done' };
    }
    const message = error instanceof Error ? error.message : String(error);
    // Cut short by shutdown: the row stays `running`, and the next start queues it again without
    // counting the attempt.
    if (!this.running) return { job, result: 'retry', error: `interrupted: ${message}` };
    const result = this.queue.markFailed(job, message, error instanceof PermanentJobError, now);
    // Out of retries: the file's asset carries the reason, so `assets --failed` lists it.
    if (result === 'failed' && job.asset_id) this.failAsset.run({ id: job.asset_id, error: message, now });
    return { job, result, error: message };
  }

  private queueFollowUps(job: JobRow, assetType: 'image' | 'video', skip: readonly string[], now: number): void {
    const next = jobCatalog[job.name].followUps
      .filter((f) => (!f.when || f.when === assetType) && !skip.includes(f.job) && this.wanted(f.job as JobName));
    if (next.length === 0) return;
    const payload = JSON.parse(job.payload) as unknown;
    this.queue.enqueue(next.map((f) => ({ name: f.job as JobName, payload })), now);
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0) return;
    if (this.totalInflight() > 0 || this.settled.length > 0) return;
    if (this.queue.hasWork()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once no job is queued, running or waiting to be written (paused lanes excepted). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.poke();
    });
  }

  /** Stops claiming, waits for the jobs in flight and writes their outcomes. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    while (this.totalInflight() > 0) await new Promise((r) => setTimeout(r, 10));
    this.flush();
  }

  inflightCount(): number {
    return this.totalInflight();
  }
}
