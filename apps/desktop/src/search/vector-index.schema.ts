// The CLIP index's own tables. They are not in the drizzle migrations: the vector tables are
// sqlite-vec virtual tables (only a connection that has loaded the extension can create, write or
// read them), and everything here can be rebuilt from smart_embeddings, the source of truth.
//   clip_index_state      one JSON row: the active generation (dims, cells) and the next number
//   clip_index_cells      per generation and cell: the unit centroid and how many rows it holds
//   clip_index_dirty      smart_embeddings rows changed behind the index's back
//   clip_index_vec_<gen>  the vectors (vec0, a partition per cell), one table per generation so
//                         that a rebuild fills the next one while the current one answers
//   clip_index_rows_<gen> per row: its asset, model and cell. Checking candidates against a filter
//                         through it reads small rows, not smart_embeddings' 2 KB ones (7 µs a
//                         row from a cold cache), and a delete finds the cell without vec0.
// Triggers on smart_embeddings note every insert, update and delete (an asset's ON DELETE CASCADE
// included) in clip_index_dirty. They write a plain table, so a connection without sqlite-vec
// (a worker, a CLI) can still delete assets; the index applies the notes before it next searches.
import type { Sqlite } from '../db/connection.ts';

export const CELLS_TABLE = 'clip_index_cells';
export const DIRTY_TABLE = 'clip_index_dirty';
const STATE_TABLE = 'clip_index_state';
const VEC_PREFIX = 'clip_index_vec_';

/** Rows per vec0 chunk: cells hold hundreds of rows, and the default 1,024 would mostly be padding. */
export const CHUNK_SIZE = 64;

export function vecTableName(generation: number): string {
  return `${VEC_PREFIX}${generation}`;
}

export function rowsTableName(generation: number): string {
  return `clip_index_rows_${generation}`;
}

/** The generation that answers searches. `cells` is 1 for an exact (unpartitioned) index. */
export interface ActiveGeneration {
  generation: number;
  dims: number;
  cells: number;
  /** Rows the cells were trained on (or copied, when exact): the base of the rebuild thresholds. */
  trainedRows: number;
  builtAt: number;
}

/** A build in progress, refreshed at every slice so that another instance leaves it alone. */
export interface BuildClaim {
  generation: number;
  heartbeat: number;
}

export interface IndexState {
  active: ActiveGeneration | null;
  nextGeneration: number;
  building: BuildClaim | null;
  /** Generations replaced or abandoned, emptied a slice at a time and then dropped. */
  retired: number[];
}

/** Creates what is missing: tables, triggers. Safe to run at every start. */
export function ensureIndexSchema(db: Sqlite): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS ${CELLS_TABLE} (
      generation INTEGER NOT NULL, cell INTEGER NOT NULL, centroid BLOB, rows INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (generation, cell));
    CREATE TABLE IF NOT EXISTS ${DIRTY_TABLE} (row_id INTEGER PRIMARY KEY);
  `);
  // Not INSERT OR IGNORE: an upsert's ON CONFLICT clause overrides the conflict policy of the
  // statements in its triggers. A trigger whose text differs from this version's is replaced.
  const note = (row: string): string =>
    `INSERT INTO ${DIRTY_TABLE} (row_id) SELECT ${row} WHERE NOT EXISTS (SELECT 1 FROM ${DIRTY_TABLE} WHERE row_id = ${row});`;
  const triggers: Record<string, string> = {
    clip_index_note_insert: `AFTER INSERT ON smart_embeddings BEGIN ${note('NEW.row_id')} END`,
    clip_index_note_update: `AFTER UPDATE OF embedding, row_id ON smart_embeddings BEGIN ${note('OLD.row_id')} ${note('NEW.row_id')} END`,
    clip_index_note_delete: `AFTER DELETE ON smart_embeddings BEGIN ${note('OLD.row_id')} END`,
  };
  const existing = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`).pluck();
  for (const [name, body] of Object.entries(triggers)) {
    const sql = `CREATE TRIGGER ${name} ${body}`;
    if (existing.get(name) === sql) continue;
    db.exec(`DROP TRIGGER IF EXISTS ${name}; ${sql}`);
  }
}

export function readState(db: Sqlite): IndexState {
  const raw = db.prepare(`SELECT value FROM ${STATE_TABLE} WHERE id = 1`).pluck().get() as string | undefined;
  const state = raw ? (JSON.parse(raw) as Partial<IndexState>) : {};
  return { active: state.active ?? null, nextGeneration: state.nextGeneration ?? 1, building: state.building ?? null, retired: state.retired ?? [] };
}

export function writeState(db: Sqlite, state: IndexState): void {
  db.prepare(`INSERT INTO ${STATE_TABLE} (id, value) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value`)
    .run(JSON.stringify(state));
}

/** Creates a generation's vector table and its cells (centroids null when exact). */
export function createGeneration(db: Sqlite, generation: number, dims: number, centroids: Float32Array | null, cells: number): void {
  db.exec(`CREATE VIRTUAL TABLE ${vecTableName(generation)} USING vec0(
    row_id INTEGER PRIMARY KEY, cell INTEGER PARTITION KEY,
    embedding float[${dims}] distance_metric=cosine, chunk_size=${CHUNK_SIZE})`);
  db.exec(`CREATE TABLE ${rowsTableName(generation)} (
    row_id INTEGER PRIMARY KEY, asset_id TEXT NOT NULL, model TEXT NOT NULL, cell INTEGER NOT NULL)`);
  const insert = db.prepare(`INSERT INTO ${CELLS_TABLE} (generation, cell, centroid, rows) VALUES (?, ?, ?, 0)`);
  for (let c = 0; c < cells; c++) {
    const centroid = centroids ? Buffer.from(centroids.buffer, centroids.byteOffset + c * dims * 4, dims * 4) : null;
    insert.run(generation, c, centroid);
  }
}

/** Generations that have a vector table. */
export function listGenerations(db: Sqlite): number[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ? AND sql LIKE 'CREATE VIRTUAL TABLE%'`)
    .pluck().all(`${VEC_PREFIX}[0-9]*`) as string[];
  return tables.map((name) => Number(name.slice(VEC_PREFIX.length))).filter((g) => Number.isInteger(g));
}

/** Rows deleted per statement while emptying a retired generation (about 2 ms each). */
const DISMANTLE_CHUNKS = 8;
const DISMANTLE_ROWS = 2_000;

/**
 * Empties a retired generation's vector chunks (vec0's bulk: 2 KB a row) and its rows table a
 * few rows at a time, then drops it: a DROP TABLE frees every page in one go, measured 111 ms
 * for 100,000 vectors and so over a second at 1,000,000. vec0's other shadow tables (a few bytes
 * a row) go with the DROP: SQLite's defensive mode, on in better-sqlite3, protects them from
 * direct writes. True once the generation is gone.
 */
export function dismantleStep(db: Sqlite, generation: number, deadline: number): boolean {
  const table = vecTableName(generation);
  const bulky = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND (name GLOB ? OR name = ?)`)
    .pluck().all(`${table}_vector_chunks[0-9]*`, rowsTableName(generation)) as string[];
  for (const name of bulky) {
    const batch = name.includes('_vector_chunks') ? DISMANTLE_CHUNKS : DISMANTLE_ROWS;
    const del = db.prepare(`DELETE FROM "${name}" WHERE rowid IN (SELECT rowid FROM "${name}" LIMIT ?)`);
    while (del.run(batch).changes > 0) if (performance.now() >= deadline) return false;
  }
  db.exec(`DROP TABLE IF EXISTS ${table}`);
  db.exec(`DROP TABLE IF EXISTS ${rowsTableName(generation)}`);
  db.prepare(`DELETE FROM ${CELLS_TABLE} WHERE generation = ?`).run(generation);
  return true;
}
