// The Postgres job queue: one `jobs` row per (job, subject). Runners claim with FOR UPDATE SKIP
// LOCKED, so any number of runners (processes, machines) share one database and never take the
// same job; every state change after the claim is guarded by the claimant's id, so a job taken
// away from a runner (it was presumed dead) can never be completed by it. It is also the jobs
// page's control (core's JobControl): lane pause (persisted in job_lanes), retries and counts.
import { sql, type SQL } from 'drizzle-orm';
import { jobCatalog, type JobControl, type JobName } from '@shoebox/core';
import type { JobLane, JobsStatus } from '@shoebox/core/contract';
import type { ClaimedJob, NewJob } from './job.types.ts';
import { iso, num, type Row, type SqlDb, type SqlExec } from './sql-exec.ts';

export const LANES: readonly JobLane[] = ['io', 'media', 'ml', 'sync'];

/** The window of the jobs page's rate. */
const RATE_WINDOW_MS = 60_000;

/** The unique key of a job: the catalog's, per owner (`cluster` is one job per owner's library). */
export function dedupeKeyOf(name: JobName, payload: unknown, ownerId: string | null): string {
  const def = jobCatalog[name] as { dedupeKey: (p: unknown) => string };
  return `${ownerId ?? '-'}/${def.dedupeKey(payload)}`;
}

function toClaimed(r: Row): ClaimedJob {
  return {
    id: num(r.id),
    name: r.name as JobName,
    lane: r.lane as JobLane,
    payload: r.payload,
    ownerId: (r.owner_id as string | null) ?? null,
    assetId: (r.asset_id as string | null) ?? null,
    attempts: num(r.attempts),
    maxAttempts: num(r.max_attempts),
  };
}

export class PgJobQueue implements JobControl {
  readonly db: SqlDb;
  private readonly wakeListeners: (() => void)[] = [];

  constructor(db: SqlDb) {
    this.db = db;
  }

  /** Calls `listener` when work may have become claimable (jobs queued, a lane resumed, failures requeued). */
  onWake(listener: () => void): void {
    this.wakeListeners.push(listener);
  }

  wake(): void {
    for (const l of this.wakeListeners) l();
  }

  /**
   * Queues jobs; returns how many rows were added. A job whose key is already queued is not
   * added again (what a regenerate asks to remake joins it); one whose key is running is marked
   * to run once more when it ends. A job about an asset that no longer exists is dropped.
   * Pass `tx` to queue inside the caller's transaction (the caller then wakes the runners).
   */
  async enqueue(items: readonly NewJob[], tx?: SqlExec): Promise<number> {
    if (items.length === 0) return 0;
    const run = async (exec: SqlExec): Promise<number> => {
      let added = 0;
      for (const item of items) added += await this.enqueueOne(exec, item);
      return added;
    };
    if (tx) return await run(tx);
    const added = items.length === 1 ? await run(this.db) : await this.db.tx(run);
    this.wake();
    return added;
  }

  private async enqueueOne(exec: SqlExec, item: NewJob): Promise<number> {
    const def = jobCatalog[item.name] as unknown as {
      lane: JobLane; payload: { parse(v: unknown): unknown }; maxAttempts: number; assetId: (p: unknown) => string | null;
    };
    const payload = def.payload.parse(item.payload);
    const key = dedupeKeyOf(item.name, payload, item.ownerId);
    const assetId = def.assetId(payload);
    const rows = await exec.rows<{ inserted: boolean }>(sql`
      INSERT INTO jobs (name, lane, payload, owner_id, asset_id, dedupe_key, max_attempts)
      SELECT ${item.name}, ${def.lane}, ${JSON.stringify(payload)}::jsonb, ${item.ownerId}::uuid, ${assetId}::uuid, ${key}, ${def.maxAttempts}
      WHERE ${assetId}::uuid IS NULL OR EXISTS (SELECT 1 FROM assets WHERE id = ${assetId}::uuid)
      ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') DO UPDATE SET
        rerun = jobs.rerun OR jobs.status = 'running',
        payload = CASE WHEN jsonb_exists(excluded.payload, 'force') THEN jsonb_set(jobs.payload, '{force}', (
            SELECT coalesce(jsonb_agg(DISTINCT f ORDER BY f), '[]'::jsonb)
            FROM jsonb_array_elements_text(coalesce(jobs.payload->'force', '[]'::jsonb) || (excluded.payload->'force')) AS f))
          ELSE jobs.payload END,
        updated_at = now()
      WHERE jobs.status = 'running' OR jsonb_exists(excluded.payload, 'force')
      RETURNING (xmax = 0) AS inserted`);
    return rows.filter((r) => r.inserted).length;
  }

  /** Takes up to `limit` due jobs of an unpaused lane for `runnerId`, oldest first, skipping rows others hold. */
  async claim(lane: JobLane, limit: number, runnerId: string): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const rows = await this.db.rows(sql`
      WITH picked AS (
        SELECT id FROM jobs
        WHERE lane = ${lane} AND status = 'queued' AND run_after <= now()
          AND NOT EXISTS (SELECT 1 FROM job_lanes WHERE lane = ${lane} AND paused)
        ORDER BY id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, locked_at = now(), locked_by = ${runnerId},
        updated_at = now()
      FROM picked WHERE j.id = picked.id
      RETURNING j.id, j.name, j.lane, j.payload, j.owner_id, j.asset_id, j.attempts, j.max_attempts`);
    return rows.map(toClaimed).sort((a, b) => a.id - b.id);
  }

  /**
   * Locks the job's row for its completing transaction; false when `runnerId` no longer holds it
   * (it was requeued as stale): the caller must then write nothing.
   */
  async hold(tx: SqlExec, jobId: number, runnerId: string): Promise<boolean> {
    const rows = await tx.rows(sql`
      SELECT id FROM jobs WHERE id = ${jobId} AND status = 'running' AND locked_by = ${runnerId} FOR UPDATE`);
    return rows.length > 0;
  }

  /** Marks a held job done; a job queued again while it ran goes back to the queue instead. */
  async markDone(tx: SqlExec, jobId: number): Promise<void> {
    await tx.rows(sql`
      UPDATE jobs SET status = CASE WHEN rerun THEN 'queued' ELSE 'done' END,
        attempts = CASE WHEN rerun THEN 0 ELSE attempts END, rerun = false, error = NULL,
        locked_by = NULL, locked_at = NULL, run_after = now(), updated_at = now(),
        finished_at = CASE WHEN rerun THEN NULL ELSE now() END
      WHERE id = ${jobId}`);
  }

  /**
   * A failed run: a transient failure is retried after an exponential backoff until the attempts
   * run out; then (or at once when `permanent`) the job is failed with its error, and its asset,
   * if still pending, carries the reason. Guarded by the claimant; returns what happened.
   */
  async markFailed(
    exec: SqlExec, job: ClaimedJob, runnerId: string, error: string, permanent: boolean,
  ): Promise<'retry' | 'failed' | 'lost'> {
    if (!permanent && job.attempts < job.maxAttempts) {
      const delayMs = (jobCatalog[job.name] as { backoffMs: number }).backoffMs * 2 ** (job.attempts - 1);
      const rows = await exec.rows(sql`
        UPDATE jobs SET status = 'queued', error = ${error}, run_after = now() + make_interval(secs => ${delayMs / 1000}),
          locked_by = NULL, locked_at = NULL, updated_at = now()
        WHERE id = ${job.id} AND status = 'running' AND locked_by = ${runnerId}
        RETURNING id`);
      return rows.length > 0 ? 'retry' : 'lost';
    }
    const rows = await exec.rows<{ rerun: boolean }>(sql`
      UPDATE jobs SET status = CASE WHEN rerun THEN 'queued' ELSE 'failed' END,
        attempts = CASE WHEN rerun THEN 0 ELSE attempts END, rerun = false, error = ${error},
        locked_by = NULL, locked_at = NULL, run_after = now(), updated_at = now(),
        finished_at = CASE WHEN rerun THEN NULL ELSE now() END
      WHERE id = ${job.id} AND status = 'running' AND locked_by = ${runnerId}
      RETURNING (status = 'failed') AS failed`);
    if (rows.length === 0) return 'lost';
    if (job.assetId) {
      // Out of retries: the asset carries the reason, so the failed filter lists it.
      await exec.rows(sql`
        UPDATE assets SET status = 'failed', error = ${error}, updated_at = now()
        WHERE id = ${job.assetId} AND status = 'pending'`);
    }
    return 'failed';
  }

  /** Returns jobs a stopping runner still holds to the queue, without counting the attempt. */
  async release(jobIds: readonly number[], runnerId: string): Promise<number> {
    if (jobIds.length === 0) return 0;
    const rows = await this.db.rows(sql`
      UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL, locked_at = NULL,
        updated_at = now()
      WHERE id = ANY(${`{${jobIds.join(',')}}`}::bigint[]) AND status = 'running' AND locked_by = ${runnerId}
      RETURNING id`);
    return rows.length;
  }

  /**
   * Tells the database the runner still works on the jobs it holds. Only those: a row left
   * running under its id that it no longer holds (its outcome could not be written) goes stale.
   */
  async heartbeat(runnerId: string, jobIds: readonly number[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.db.rows(sql`
      UPDATE jobs SET locked_at = now()
      WHERE id = ANY(${`{${jobIds.join(',')}}`}::bigint[]) AND status = 'running' AND locked_by = ${runnerId}`);
  }

  /**
   * After a crash or kill: jobs left running by a runner that is gone (`aliveRunner` says, in SQL,
   * whether `locked_by` is alive) or whose lock is older than `staleMs` go back to the queue. The
   * interrupted attempt does not count (handlers are idempotent). Returns how many.
   */
  async recover(aliveRunner: (lockedBy: SQL) => SQL, staleMs: number): Promise<number> {
    const rows = await this.db.rows(sql`
      UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL, locked_at = NULL,
        updated_at = now()
      WHERE status = 'running' AND (
        locked_by IS NULL OR locked_at IS NULL
        OR locked_at < now() - make_interval(secs => ${staleMs / 1000})
        OR NOT (${aliveRunner(sql`jobs.locked_by`)}))
      RETURNING id`);
    if (rows.length > 0) this.wake();
    return rows.length;
  }

  /** A paused lane claims nothing new (its running jobs finish); resuming wakes the runners. */
  async setPaused(lane: JobLane, paused: boolean): Promise<void> {
    await this.db.rows(sql`
      INSERT INTO job_lanes (lane, paused) VALUES (${lane}, ${paused})
      ON CONFLICT (lane) DO UPDATE SET paused = excluded.paused`);
    if (!paused) this.wake();
  }

  async pausedLanes(): Promise<Set<JobLane>> {
    const rows = await this.db.rows<{ lane: JobLane }>(sql`SELECT lane FROM job_lanes WHERE paused`);
    return new Set(rows.map((r) => r.lane));
  }

  /**
   * Failed jobs (of one lane, or all) run again from their first attempt: per key the latest
   * failure, unless the key is queued or running already; the failures it supersedes go.
   */
  async retryFailed(lane: JobLane | undefined): Promise<number> {
    const laneFilter = lane ? sql`AND lane = ${lane}` : sql``;
    const rows = await this.db.tx(async (tx) => {
      const requeued = await tx.rows(sql`
        UPDATE jobs j SET status = 'queued', attempts = 0, run_after = now(), error = NULL, finished_at = NULL,
          updated_at = now()
        FROM (
          SELECT DISTINCT ON (coalesce(dedupe_key, id::text)) id FROM jobs
          WHERE status = 'failed' ${laneFilter}
          ORDER BY coalesce(dedupe_key, id::text), id DESC
        ) pick
        WHERE j.id = pick.id AND (j.dedupe_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM jobs o WHERE o.dedupe_key = j.dedupe_key AND o.status IN ('queued', 'running')))
        RETURNING j.id`);
      await tx.rows(sql`
        DELETE FROM jobs f WHERE f.status = 'failed' ${laneFilter} AND f.dedupe_key IS NOT NULL AND EXISTS (
          SELECT 1 FROM jobs o WHERE o.dedupe_key = f.dedupe_key AND o.status IN ('queued', 'running'))`);
      return requeued;
    });
    if (rows.length > 0) this.wake();
    return rows.length;
  }

  /** Counts per lane and state, the rate of the last minute, and the latest failures. */
  async status(failures: number): Promise<JobsStatus> {
    const paused = await this.pausedLanes();
    const counts = await this.db.rows<{ lane: JobLane; status: 'queued' | 'running' | 'done' | 'failed'; n: unknown }>(sql`
      SELECT lane, status, count(*) AS n FROM jobs GROUP BY lane, status`);
    const finished = await this.db.rows<{ lane: JobLane; n: unknown }>(sql`
      SELECT lane, count(*) AS n FROM jobs
      WHERE finished_at >= now() - make_interval(secs => ${RATE_WINDOW_MS / 1000}) AND status IN ('done', 'failed')
      GROUP BY lane`);
    const lanes = LANES.map((lane) => {
      const perMinute = num(finished.find((r) => r.lane === lane)?.n ?? 0);
      const c = { lane, queued: 0, running: 0, done: 0, failed: 0, paused: paused.has(lane), perMinute };
      for (const row of counts) if (row.lane === lane) c[row.status] = num(row.n);
      return c;
    });
    const rows = failures > 0
      ? await this.db.rows(sql`
        SELECT j.id, j.name, j.lane, j.asset_id, a.path, j.error, j.attempts, coalesce(j.finished_at, j.updated_at) AS finished_at
        FROM jobs j LEFT JOIN assets a ON a.id = j.asset_id
        WHERE j.status = 'failed' ORDER BY j.finished_at DESC NULLS LAST, j.id DESC LIMIT ${failures}`)
      : [];
    return {
      lanes,
      recentFailures: rows.map((r) => ({
        jobId: num(r.id),
        name: r.name as string,
        lane: r.lane as JobLane,
        assetId: (r.asset_id as string | null) ?? null,
        path: (r.path as string | null) ?? null,
        error: (r.error as string | null) ?? 'unknown error',
        attempts: num(r.attempts),
        finishedAt: iso(r.finished_at),
      })),
    };
  }

  /** True while any job is queued or running in a lane that is not paused. */
  async hasWork(): Promise<boolean> {
    const rows = await this.db.rows(sql`
      SELECT 1 FROM jobs WHERE status IN ('queued', 'running')
        AND lane NOT IN (SELECT lane FROM job_lanes WHERE paused) LIMIT 1`);
    return rows.length > 0;
  }

  /** Milliseconds until the next queued job of these lanes may run; null when none waits. */
  async nextDueIn(lanes: readonly JobLane[]): Promise<number | null> {
    if (lanes.length === 0) return null;
    const rows = await this.db.rows<{ ms: unknown }>(sql`
      SELECT greatest(0, extract(epoch FROM (min(run_after) - now())) * 1000) AS ms FROM jobs
      WHERE status = 'queued' AND lane = ANY(${`{${lanes.join(',')}}`}::text[])`);
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? null : num(ms);
  }
}
