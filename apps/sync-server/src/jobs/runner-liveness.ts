// Which runners are alive. Each runner holds a session advisory lock keyed by its id for as long
// as it runs, on a connection of its own: when its process dies (a crash, kill -9, a lost machine)
// the database drops the connection and the lock with it. Any runner can then tell, in SQL, that
// the jobs it left `running` belong to nobody and queue them again. PGlite is one connection in
// one process: the lock lives as long as the database is open there, which is as long as a runner
// can live. Heartbeats (locked_at) cover what locks cannot see (a runner that hangs).
import os from 'node:os';
import { randomInt } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { SqlExec } from './sql-exec.ts';

/** First key of the runners' advisory locks ("SBOX"); the second is the runner's own number. */
export const RUNNER_LOCK_CLASS = 0x53424f58;

/** A connection that stays open while the runner lives (its lock goes when it closes). */
export interface LockConnection {
  exec: SqlExec;
  close(): Promise<void>;
  /** True once the connection broke: the lock is gone and must be taken again. */
  lost(): boolean;
}

export interface LivenessSource {
  /** Opens the connection the lock lives on (Postgres: one out of the pool; PGlite: the database). */
  connect(): Promise<LockConnection>;
}

/** SQL saying whether the runner named in `lockedBy` (`<key>:<host>:<pid>`) holds its lock. */
export function runnerAliveSql(lockedBy: SQL): SQL {
  return sql`EXISTS (
    SELECT 1 FROM pg_locks l
    WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ${RUNNER_LOCK_CLASS}::oid AND l.objsubid = 2
      AND l.objid::text = split_part(${lockedBy}, ':', 1)
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))`;
}

export class RunnerLiveness {
  private readonly source: LivenessSource;
  private readonly log: Logger;
  private conn: LockConnection | null = null;
  private key = 0;
  runnerId = '';

  constructor(source: LivenessSource, log: Logger) {
    this.source = source;
    this.log = log;
  }

  /** Takes a fresh runner id and its lock (a number no live runner holds). */
  async acquire(): Promise<string> {
    this.conn ??= await this.source.connect();
    for (let i = 0; i < 16; i++) {
      const key = randomInt(1, 2 ** 31 - 1);
      const rows = await this.conn.exec.rows<{ ok: boolean }>(
        sql`SELECT pg_try_advisory_lock(${RUNNER_LOCK_CLASS}, ${key}) AS ok`);
      if (rows[0]?.ok) {
        this.key = key;
        this.runnerId = `${key}:${os.hostname()}:${process.pid}`;
        return this.runnerId;
      }
    }
    throw new Error('could not take a runner lock');
  }

  /**
   * Checks the lock's connection; when it broke, takes the same lock again on a new one so the
   * runner keeps its id. False when that fails (another runner may already have requeued its jobs).
   */
  async ensure(): Promise<boolean> {
    if (this.conn && !this.conn.lost()) return true;
    try {
      await this.conn?.close().catch(() => undefined);
      this.conn = await this.source.connect();
      const rows = await this.conn.exec.rows<{ ok: boolean }>(
        sql`SELECT pg_try_advisory_lock(${RUNNER_LOCK_CLASS}, ${this.key}) AS ok`);
      if (rows[0]?.ok) this.log.warn('the runner lock connection was lost and is back');
      return rows[0]?.ok === true;
    } catch (error) {
      this.log.error({ err: error }, 'could not take the runner lock again');
      return false;
    }
  }

  /** Closes the lock's connection without unlocking (as a dying process would). */
  async drop(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    await conn?.close().catch(() => undefined);
  }

  async release(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    if (!conn) return;
    try {
      if (!conn.lost()) await conn.exec.rows(sql`SELECT pg_advisory_unlock(${RUNNER_LOCK_CLASS}, ${this.key})`);
    } catch {
      // The connection is going away: so is the lock.
    }
    await conn.close().catch(() => undefined);
  }
}
