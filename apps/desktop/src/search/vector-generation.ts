// One generation of the index: a vec0 table partitioned by cell and its rows table (asset, model,
// cell per row), with the centroids and cell sizes kept in memory (read at every search and
// insert). Writes keep the sizes in clip_index_cells up to date in the caller's transaction.
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';
import { CELLS_TABLE, rowsTableName, vecTableName } from './vector-index.schema.ts';
import { fromBlob, nearestInRange, scoreRange } from './vector-math.ts';

/** A row found by a KNN in one cell: its smart_embeddings row id and cosine distance. */
export interface CellHit {
  rowId: number;
  distance: number;
}

export class VecGeneration {
  readonly generation: number;
  readonly dims: number;
  readonly cells: number;
  /** The table of (row_id, asset_id, model, cell) that filters are checked through. */
  readonly rowsTable: string;
  /** `cells × dims` unit centroids; empty when the generation is exact (one cell). */
  readonly centroids: Float32Array;
  readonly sizes: Int32Array;
  private readonly scratch: Float64Array;
  private readonly insertStmt: Statement<unknown[]>;
  private readonly insertRowStmt: Statement<unknown[]>;
  private readonly deleteStmt: Statement<unknown[]>;
  private readonly deleteRowStmt: Statement<unknown[]>;
  private readonly resizeStmt: Statement<unknown[]>;
  private readonly knnStmt: Statement<unknown[]>;

  constructor(db: Sqlite, generation: number, dims: number) {
    this.generation = generation;
    this.dims = dims;
    const rows = db.prepare(`SELECT cell, centroid, rows FROM ${CELLS_TABLE} WHERE generation = ? ORDER BY cell`)
      .all(generation) as { cell: number; centroid: Buffer | null; rows: number }[];
    if (rows.length === 0) throw new Error(`clip index generation ${generation} has no cells`);
    this.cells = rows.length;
    this.sizes = Int32Array.from(rows, (r) => r.rows);
    this.centroids = new Float32Array(this.cells > 1 ? this.cells * dims : 0);
    if (this.cells > 1) rows.forEach((r, c) => this.centroids.set(fromBlob(r.centroid!), c * dims));
    this.scratch = new Float64Array(this.cells);
    const table = vecTableName(generation);
    this.rowsTable = rowsTableName(generation);
    this.insertStmt = db.prepare(`INSERT INTO ${table} (row_id, cell, embedding) VALUES (?, ?, ?)`);
    this.insertRowStmt = db.prepare(`INSERT INTO ${this.rowsTable} (row_id, asset_id, model, cell) VALUES (?, ?, ?, ?)`);
    this.deleteStmt = db.prepare(`DELETE FROM ${table} WHERE row_id = ?`);
    this.deleteRowStmt = db.prepare(`DELETE FROM ${this.rowsTable} WHERE row_id = ? RETURNING cell`).pluck();
    this.resizeStmt = db.prepare(`UPDATE ${CELLS_TABLE} SET rows = rows + ? WHERE generation = ? AND cell = ?`);
    // One cell per statement: selecting the partition column instead costs a lookup per hit
    // (measured 2.5 against 1.6 µs a scanned row at k = 100).
    this.knnStmt = db.prepare(`SELECT row_id AS rowId, distance FROM ${table} WHERE embedding MATCH ? AND k = ? AND cell = ?`);
  }

  /** Rows held, over all cells. */
  get rows(): number {
    let n = 0;
    for (const s of this.sizes) n += s;
    return n;
  }

  /** The nearest cell by centroid (every centroid scored: 1,024 dots take about 0.3 ms). */
  nearestCell(v: Float32Array): number {
    return this.cells === 1 ? 0 : nearestInRange(v, 0, this.centroids, 0, this.cells, this.dims, this.scratch);
  }

  /** Every cell, most similar centroid first. */
  cellOrder(q: Float32Array): Int32Array {
    const order = Int32Array.from({ length: this.cells }, (_, c) => c);
    if (this.cells === 1) return order;
    const scores = new Float64Array(this.cells);
    scoreRange(q, 0, this.centroids, 0, this.cells, this.dims, scores);
    return order.sort((a, b) => scores[b]! - scores[a]!);
  }

  /** Adds a row to a cell (the row must not be in this generation). Sizes are persisted by `flushSizes`. */
  insertAt(rowId: number, cell: number, blob: Buffer, assetId: string, model: string): void {
    this.insertStmt.run(BigInt(rowId), BigInt(cell), blob);
    this.insertRowStmt.run(rowId, assetId, model, cell);
    this.sizes[cell]!++;
  }

  /** Adds a row to its nearest cell and records the cell's new size. */
  insert(rowId: number, v: Float32Array, assetId: string, model: string): void {
    const cell = this.nearestCell(v);
    this.insertAt(rowId, cell, Buffer.from(v.buffer, v.byteOffset, v.byteLength), assetId, model);
    this.resizeStmt.run(1, this.generation, cell);
  }

  /** Removes a row when present; true when it was. */
  delete(rowId: number): boolean {
    const cell = this.deleteRowStmt.get(rowId) as number | undefined;
    if (cell === undefined) return false;
    this.deleteStmt.run(BigInt(rowId));
    this.sizes[cell]!--;
    this.resizeStmt.run(-1, this.generation, cell);
    return true;
  }

  /** Persists cell sizes grown by `insertAt` since `before` (a copy of `sizes`). */
  flushSizes(before: Int32Array): void {
    for (let c = 0; c < this.cells; c++) {
      const delta = this.sizes[c]! - before[c]!;
      if (delta !== 0) this.resizeStmt.run(delta, this.generation, c);
    }
  }

  /** The `k` nearest rows of a cell, nearest first. */
  knn(q: Buffer, cell: number, k: number): CellHit[] {
    return this.knnStmt.all(q, k, BigInt(cell)) as CellHit[];
  }
}
