// A narrow view of the drizzle database for the job system: raw SQL in, rows out, transactions.
// The queue's statements (FOR UPDATE SKIP LOCKED, ON CONFLICT on a partial index, advisory locks)
// are plain SQL; both drivers (PGlite and node-postgres) answer `execute` with `{ rows }`.
import type { SQL } from 'drizzle-orm';

export type Row = Record<string, unknown>;

export interface SqlExec {
  rows<T = Row>(query: SQL): Promise<T[]>;
}

export interface SqlDb extends SqlExec {
  /** Runs `fn` in a transaction; inside it, use only the `tx` it is given (PGlite has one connection). */
  tx<T>(fn: (tx: SqlExec) => Promise<T>): Promise<T>;
}

/** What the job system needs of a drizzle Postgres database (or transaction). */
export interface DrizzleLike {
  execute(query: SQL): PromiseLike<unknown>;
  transaction<T>(fn: (tx: never) => Promise<T>): Promise<T>;
}

interface DrizzleTx {
  execute(query: SQL): PromiseLike<unknown>;
}

function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: unknown[] }).rows ?? []) as T[];
}

function execOf(db: DrizzleTx): SqlExec {
  return { rows: async <T>(query: SQL) => rowsOf<T>(await db.execute(query)) };
}

export function sqlDb(db: DrizzleLike): SqlDb {
  const base = execOf(db);
  const transaction = db.transaction.bind(db) as unknown as <T>(fn: (tx: DrizzleTx) => Promise<T>) => Promise<T>;
  return {
    rows: base.rows,
    tx: (fn) => transaction((tx) => fn(execOf(tx))),
  };
}

/** int8 and numeric arrive as strings from node-postgres and as numbers from PGlite. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** timestamptz as an ISO string, whichever driver read it. */
export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}
