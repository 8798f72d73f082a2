// The persistent job queue: one SQLite table, one row per (job, subject). Claiming flips rows to
// running in one statement; a restart turns rows left running back into queued ones. It is also
// the jobs page's control: pausing lanes (the runner reads them before every claim) and retries.
import type { JobLane, JobsStatus } from '@shoebox/core/contract';
import { jobCatalog, type JobControl, type JobName } from '@shoebox/core';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';

export interface JobRow {
  id: number;
  name: JobName;
  lane: JobLane;
  payload: string;
  asset_id: string | null;
  attempts: number;
  max_attempts: number;
}

export interface NewJob {
  name: JobName;
  payload: unknown;
}

const LANES: JobLane[] = ['io', 'media', 'ml', 'sync'];

/** The window of the jobs page's rate. */
const RATE_WINDOW_MS = 60_000;

export class JobQueue implements JobControl {
  private readonly sqlite: Sqlite;
  private readonly upsert;
  private readonly claimStmt;
  private readonly doneStmt;
  private readonly retryStmt;
  private readonly failStmt;
  private readonly pausedStmt;
  private readonly hasWorkStmt;
  private readonly countsStmt;
  private readonly failuresStmt;
  private readonly finishedStmt;
  private readonly pauseStmt;
  private readonly retryFailedStmt;
  private readonly retryLaneStmt;
  private readonly wakeListeners: (() => void)[] = [];
  private readonly dueStmts = new Map<string, Statement<unknown[]>>();
  private readonly queuedPayloadStmt;
  private readonly setPayloadStmt;

  constructor(sqlite: Sqlite) {
    this.sqlite = sqlite;
    this.upsert = sqlite.prepare(`
      INSERT INTO jobs (name, lane, payload, asset_id, dedupe_key, state, attempts, max_attempts, run_after_ms, created_at, updated_at)
      VALUES (@name, @lane, @payload, @assetId, @key, 'queued', 0, @maxAttempts, 0, @now, @now)
      ON CONFLICT(dedupe_key) DO UPDATE SET
        rerun = (jobs.state = 'running'),
        state = CASE WHEN jobs.state = 'running' THEN 'running' ELSE 'queued' END,
        attempts = CASE WHEN jobs.state = 'running' THEN jobs.attempts ELSE 0 END,
        payload = excluded.payload, run_after_ms = 0, last_error = NULL,
        updated_at = excluded.updated_at, finished_at = NULL
      WHERE jobs.state != 'queued'`);
    this.claimStmt = sqlite.prepare(`
      UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = @now
      WHERE id IN (
        SELECT id FROM jobs WHERE lane = @lane AND state = 'queued' AND run_after_ms <= @now ORDER BY id LIMIT @limit)
      RETURNING id, name, lane, payload, asset_id, attempts, max_attempts`);
    // A job queued again while it ran goes back to the queue instead of finishing.
    this.doneStmt = sqlite.prepare(`
      UPDATE jobs SET state = CASE WHEN rerun THEN 'queued' ELSE 'done' END,
        attempts = CASE WHEN rerun THEN 0 ELSE attempts END, rerun = 0, last_error = NULL,
        updated_at = @now, finished_at = CASE WHEN rerun THEN NULL ELSE @now END
      WHERE id = @id`);
    this.retryStmt = sqlite.prepare(
      `UPDATE jobs SET state = 'queued', last_error = @error, run_after_ms = @runAfter, updated_at = @now WHERE id = @id`);
    this.failStmt = sqlite.prepare(`
      UPDATE jobs SET state = CASE WHEN rerun THEN 'queued' ELSE 'failed' END,
        attempts = CASE WHEN rerun THEN 0 ELSE attempts END, rerun = 0, last_error = @error,
        updated_at = @now, finished_at = CASE WHEN rerun THEN NULL ELSE @now END
      WHERE id = @id`);
    this.queuedPayloadStmt = sqlite.prepare(`SELECT payload FROM jobs WHERE dedupe_key = ? AND state = 'queued'`).pluck();
    this.setPayloadStmt = sqlite.prepare(`UPDATE jobs SET payload = ?, updated_at = ? WHERE dedupe_key = ? AND state = 'queued'`);
    this.pausedStmt = sqlite.prepare(`SELECT lane FROM lane_state WHERE paused = 1`);
    this.countsStmt = sqlite.prepare(`SELECT lane, state, count(*) AS n FROM jobs GROUP BY lane, state`);
    this.finishedStmt = sqlite.prepare(
      `SELECT lane, count(*) AS n FROM jobs WHERE finished_at IS NOT NULL AND finished_at >= ? AND state IN ('done', 'failed') GROUP BY lane`);
    this.pauseStmt = sqlite.prepare(
      `INSERT INTO lane_state (lane, paused) VALUES (?, ?) ON CONFLICT(lane) DO UPDATE SET paused = excluded.paused`);
    const requeue = `UPDATE jobs SET state = 'queued', attempts = 0, run_after_ms = @now, last_error = NULL, finished_at = NULL,
      updated_at = @now WHERE state = 'failed'`;
    this.retryFailedStmt = sqlite.prepare(requeue);
    this.retryLaneStmt = sqlite.prepare(`${requeue} AND lane = @lane`);
    this.failuresStmt = sqlite.prepare(`
      SELECT j.id, j.name, j.lane, j.asset_id, a.path, j.last_error, j.attempts, j.finished_at
      FROM jobs j LEFT JOIN assets a ON a.id = j.asset_id
      WHERE j.state = 'failed' ORDER BY j.finished_at DESC, j.id DESC LIMIT ?`);
    this.hasWorkStmt = sqlite.prepare(
      `SELECT 1 FROM jobs WHERE state IN ('queued', 'running') AND lane NOT IN (SELECT lane FROM lane_state WHERE paused = 1) LIMIT 1`);
  }

  /** Queues jobs (call inside the caller's transaction for atomicity with its own writes). */
  enqueue(items: readonly NewJob[], now = Date.now()): number {
    let added = 0;
    for (const item of items) {
      const def = jobCatalog[item.name];
      const payload = def.payload.parse(item.payload);
      const key = def.dedupeKey(payload);
      const changes = this.upsert.run({
        name: item.name,
        lane: def.lane,
        payload: JSON.stringify(payload),
        assetId: def.assetId(payload),
        key,
        maxAttempts: def.maxAttempts,
        now,
      }).changes;
      added += changes;
      // Already waiting: what `regenerate` asks to remake joins what it was going to do.
      const force = (payload as { force?: string[] }).force;
      if (changes === 0 && force?.length) this.mergeForce(key, force, now);
    }
    return added;
  }

  private mergeForce(key: string, force: string[], now: number): void {
    const raw = this.queuedPayloadStmt.get(key) as string | undefined;
    if (!raw) return;
    const queued = JSON.parse(raw) as { force?: string[] };
    const merged = [...new Set([...(queued.force ?? []), ...force])].sort();
    if (merged.length === (queued.force?.length ?? 0)) return;
    this.setPayloadStmt.run(JSON.stringify({ ...queued, force: merged }), now, key);
  }

  claim(lane: JobLane, limit: number, now = Date.now()): JobRow[] {
    if (limit <= 0) return [];
    return this.claimStmt.all({ lane, limit, now }) as JobRow[];
  }

  markDone(id: number, now = Date.now()): void {
    this.doneStmt.run({ id, now });
  }

  /** A transient failure is retried with exponential backoff until the attempts run out. */
  markFailed(job: JobRow, error: string, permanent: boolean, now = Date.now()): 'retry' | 'failed' {
    if (!permanent && job.attempts < job.max_attempts) {
      const base = jobCatalog[job.name].backoffMs;
      this.retryStmt.run({ id: job.id, error, runAfter: now + base * 2 ** (job.attempts - 1), now });
      return 'retry';
    }
    this.failStmt.run({ id: job.id, error, now });
    return 'failed';
  }

  /** After a crash: whatever was running is queued again (handlers are idempotent). */
  recoverRunning(): number {
    return this.sqlite
      .prepare(`UPDATE jobs SET state = 'queued', rerun = 0, attempts = max(attempts - 1, 0) WHERE state = 'running'`)
      .run().changes;
  }

  /** Calls `listener` when work may have become claimable (a lane resumed, failed jobs requeued). */
  onWake(listener: () => void): void {
    this.wakeListeners.push(listener);
  }

  private wake(): void {
    for (const l of this.wakeListeners) l();
  }

  /** Failed jobs (of one lane, or all) run again from their first attempt. */
  retryFailed(lane?: JobLane, now = Date.now()): number {
    const n = (lane ? this.retryLaneStmt.run({ lane, now }) : this.retryFailedStmt.run({ now })).changes;
    if (n > 0) this.wake();
    return n;
  }

  /** Milliseconds until the next queued job of an unpaused lane may run; null when none waits. */
  nextDueIn(lanes: readonly JobLane[], now = Date.now()): number | null {
    if (lanes.length === 0) return null;
    const key = lanes.join(',');
    let stmt = this.dueStmts.get(key);
    if (!stmt) {
      stmt = this.sqlite.prepare(`SELECT min(run_after_ms) AS at FROM jobs WHERE state = 'queued' AND lane IN (${lanes.map(() => '?').join(',')})`);
      this.dueStmts.set(key, stmt);
    }
    const row = stmt.get(...lanes) as { at: number | null };
    return row.at === null ? null : Math.max(0, row.at - now);
  }

  pausedLanes(): Set<JobLane> {
    const rows = this.pausedStmt.all() as { lane: JobLane }[];
    return new Set(rows.map((r) => r.lane));
  }

  /** A paused lane claims nothing new (its running jobs finish); resuming wakes the runner. */
  setPaused(lane: JobLane, paused: boolean): void {
    this.pauseStmt.run(lane, paused ? 1 : 0);
    if (!paused) this.wake();
  }

  status(failures: number, now = Date.now()): JobsStatus {
    const paused = this.pausedLanes();
    const counts = this.countsStmt.all() as { lane: JobLane; state: 'queued' | 'running' | 'done' | 'failed'; n: number }[];
    const finished = this.finishedStmt.all(now - RATE_WINDOW_MS) as { lane: JobLane; n: number }[];
    const lanes = LANES.map((lane) => {
      const perMinute = finished.find((r) => r.lane === lane)?.n ?? 0;
      const c = { lane, queued: 0, running: 0, done: 0, failed: 0, paused: paused.has(lane), perMinute };
      for (const row of counts) if (row.lane === lane) c[row.state] = row.n;
      return c;
    });
    const rows = this.failuresStmt.all(failures) as {
        id: number; name: string; lane: JobLane; asset_id: string | null; path: string | null;
        last_error: string | null; attempts: number; finished_at: number | null;
      }[];
    return {
      lanes,
      recentFailures: rows.map((r) => ({
        jobId: r.id,
        name: r.name,
        lane: r.lane,
        assetId: r.asset_id,
        path: r.path,
        error: r.last_error ?? 'unknown error',
        attempts: r.attempts,
        finishedAt: new Date(r.finished_at ?? 0).toISOString(),
      })),
    };
  }

  /** True while any job is queued or running in a lane that is not paused. */
  hasWork(): boolean {
    return this.hasWorkStmt.get() !== undefined;
  }
}
