// Small helpers the Postgres repositories share: raw statements through drizzle (rows, first row,
// rows changed), uuid guards and array parameters, and timestamps as the API writes them.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.ts';

interface RawResult<T> {
  rows: T[];
  /** node-postgres and PGlite (for INSERT, UPDATE, DELETE). */
  rowCount?: number | null;
  /** PGlite. */
  affectedRows?: number;
}

export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as RawResult<T>).rows;
}

export async function first<T>(db: Db, query: SQL): Promise<T | null> {
  return (await rows<T>(db, query))[0] ?? null;
}

/** Runs a write; answers how many rows it changed. */
export async function run(db: Db, query: SQL): Promise<number> {
  const r = (await db.execute(query)) as unknown as RawResult<unknown>;
  return r.rowCount ?? r.affectedRows ?? 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a string can be a uuid column's value. Anything else is an id that exists nowhere: the
 * repositories answer "not found" for it instead of letting Postgres reject the statement.
 */
export function isUuid(value: string | null | undefined): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The ids that can exist, once each, as one uuid[] parameter. */
export function uuidList(ids: readonly string[]): SQL {
  return sql`${sql.param([...new Set(ids.filter(isUuid).map((i) => i.toLowerCase()))])}::uuid[]`;
}

export function textList(values: readonly string[]): SQL {
  return sql`${sql.param([...values])}::text[]`;
}

/** A timestamp as the drivers hand it over (drizzle keeps them as text) in ISO 8601 UTC. */
export function iso(value: string | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function isoOrNull(value: string | Date | null | undefined): string | null {
  return value === null || value === undefined ? null : iso(value);
}

/** Every row change carries the caller's clock, as on the desktop (tests compare it with theirs). */
export const now = (): Date => new Date();
