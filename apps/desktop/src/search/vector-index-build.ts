// A rebuild of the index into the next generation, a deadline at a time so the main thread is
// never held for long: draw a random sample of embeddings, train the cells on it, then read every
// row once in row order, assign it to its cell and copy it into the new vec0 table, one
// transaction per slice. Rows wait in a per-cell buffer (at most 32,768 rows, 64 MB at 512 dims)
// and go in a vec0 chunk's worth at a time: a transaction that adds one row to each of dozens of
// chunks dirties a page in each (94 µs a row at 1,000,000 rows, against 58 for whole chunks), and
// a second pass reading the rows again in cell order is a random read per row. The current
// generation keeps answering until the copy is complete. A build lives in memory only: if the
// process ends first, the half-filled table is dropped later and the build starts again.
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';
import { CellTrainer, assignCell, assignScratch, type CellModel } from './vector-cells.ts';
import { VecGeneration } from './vector-generation.ts';
import { CHUNK_SIZE, createGeneration } from './vector-index.schema.ts';
import { fromBlob } from './vector-math.ts';

/** Sample vectors drawn per cell to train on (32,768 for 1,024 cells). */
export const SAMPLE_PER_CELL = 32;
/** Rows read (and assigned) between deadline checks: about 2 ms. */
const BATCH = 64;
/** Random draws between deadline checks while sampling. */
const SAMPLE_BATCH = 256;
/** Rows held back at most; beyond, the fullest cells are written first. */
const MAX_BUFFERED = 32_768;

export type BuildPhase = 'sample' | 'train' | 'copy' | 'drain' | 'ready';

export interface BuildProgress {
  generation: number;
  dims: number;
  cells: number;
  phase: BuildPhase;
  sampled: number;
  /** Rows read and assigned to a cell, and of those written into the new generation. */
  read: number;
  copied: number;
  /** Total milliseconds spent in step() so far, and the longest single step. */
  workMs: number;
  longestStepMs: number;
}

type StoredRow = [rowId: number, assetId: string, model: string, embedding: Buffer];

export class IndexBuild {
  readonly generation: number;
  readonly dims: number;
  private cells: number;
  private readonly db: Sqlite;
  private readonly seed: number;
  phase: BuildPhase;
  /** The new generation, once the copy has started. */
  target: VecGeneration | null = null;
  /** Rows up to this id have been read; later ones are read next, or copied at the swap. */
  private cursor = 0;
  private readonly sampleSize: number;
  private readonly sampleIds = new Set<number>();
  private sample: Float32Array;
  private draws = 0;
  private randomState = 0;
  private trainer: CellTrainer | null = null;
  private model: CellModel | null = null;
  private scratch: Float64Array = new Float64Array(0);
  /** Rows read but not written yet, per cell, and the cell of each. */
  private readonly buffers = new Map<number, StoredRow[]>();
  private readonly buffered = new Map<number, number>();
  /** Cells whose buffers are due to be written. */
  private readonly full = new Set<number>();
  private read = 0;
  private copied = 0;
  private workMs = 0;
  private longestStepMs = 0;
  private readonly boundsStmt: Statement<unknown[]>;
  private readonly drawStmt: Statement<unknown[]>;
  private readonly batchStmt: Statement<unknown[]>;

  /** `rows` is how many embeddings of `dims` there are about to be (it sizes the sample). */
  constructor(db: Sqlite, generation: number, dims: number, cells: number, rows: number, seed: number) {
    this.db = db;
    this.generation = generation;
    this.dims = dims;
    this.cells = cells;
    this.seed = seed;
    this.sampleSize = cells > 1 ? Math.min(rows, cells * SAMPLE_PER_CELL) : 0;
    this.sample = new Float32Array(this.sampleSize * dims);
    this.phase = cells > 1 ? 'sample' : 'copy';
    // Two subqueries: min() and max() in one select read the whole table.
    this.boundsStmt = db.prepare(`SELECT (SELECT row_id FROM smart_embeddings ORDER BY row_id LIMIT 1) AS lo,
      (SELECT row_id FROM smart_embeddings ORDER BY row_id DESC LIMIT 1) AS hi`);
    this.drawStmt = db.prepare('SELECT row_id AS rowId, embedding FROM smart_embeddings WHERE row_id >= ? AND length(embedding) = ? ORDER BY row_id LIMIT 1');
    this.batchStmt = db.prepare('SELECT row_id, asset_id, model, embedding FROM smart_embeddings WHERE row_id > ? ORDER BY row_id LIMIT ?').raw();
  }

  progress(): BuildProgress {
    return {
      generation: this.generation, dims: this.dims, cells: this.cells, phase: this.phase, sampled: this.sampleIds.size,
      read: this.read, copied: this.copied, workMs: Math.round(this.workMs), longestStepMs: Math.round(this.longestStepMs * 10) / 10,
    };
  }

  /** Works until the deadline (performance.now() milliseconds); true once every row is copied. */
  step(deadline: number): boolean {
    const started = performance.now();
    try {
      while (this.phase !== 'ready' && performance.now() < deadline) {
        if (this.phase === 'sample') this.drawSample(deadline);
        else if (this.phase === 'train') this.train(deadline);
        else this.copy(deadline);
      }
    } finally {
      const ms = performance.now() - started;
      this.workMs += ms;
      this.longestStepMs = Math.max(this.longestStepMs, ms);
    }
    return this.phase === 'ready';
  }

  /**
   * Takes a row out of the buffer (it changed or went since it was read); true when it was there.
   * The caller writes its current version into `target` itself.
   */
  unbuffer(rowId: number): boolean {
    const cell = this.buffered.get(rowId);
    if (cell === undefined) return false;
    const rows = this.buffers.get(cell)!;
    rows.splice(rows.findIndex((r) => r[0] === rowId), 1);
    this.buffered.delete(rowId);
    return true;
  }

  /** Copies the rows that arrived after the scan: the last act before the swap, in its transaction. */
  copyRest(): void {
    if (this.phase !== 'ready' || !this.target) throw new Error('the build has not finished copying');
    const before = Int32Array.from(this.target.sizes);
    for (;;) {
      const batch = this.batchStmt.all(this.cursor, BATCH) as StoredRow[];
      if (batch.length === 0) break;
      for (const row of batch) if (row[3].byteLength === this.dims * 4) this.insert(row, this.cellOf(row[3]));
      this.cursor = batch.at(-1)![0];
    }
    this.target.flushSizes(before);
  }

  private drawSample(deadline: number): void {
    const { lo, hi } = this.boundsStmt.get() as { lo: number | null; hi: number | null };
    const maxDraws = this.sampleSize * 4;
    while (lo !== null && hi !== null && this.sampleIds.size < this.sampleSize && this.draws < maxDraws) {
      for (let i = 0; i < SAMPLE_BATCH && this.sampleIds.size < this.sampleSize; i++, this.draws++) {
        const at = lo + Math.floor(this.random() * (hi - lo + 1));
        const row = this.drawStmt.get(at, this.dims * 4) as { rowId: number; embedding: Buffer } | undefined;
        if (!row || this.sampleIds.has(row.rowId)) continue;
        this.sample.set(fromBlob(row.embedding), this.sampleIds.size * this.dims);
        this.sampleIds.add(row.rowId);
      }
      if (performance.now() >= deadline) return;
    }
    // Rows deleted meanwhile can leave fewer than planned: fewer cells then, or an exact index.
    const got = this.sampleIds.size;
    if (got < this.sampleSize) this.cells = Math.max(1, Math.min(this.cells, Math.floor(got / SAMPLE_PER_CELL)));
    if (this.cells > 1) {
      this.trainer = new CellTrainer(this.sample.subarray(0, got * this.dims), got, this.dims, this.cells, this.seed);
      this.phase = 'train';
    } else {
      this.phase = 'copy';
    }
  }

  /** xorshift32 seeded from the build's seed: cheap, and builds over the same rows agree. */
  private random(): number {
    let x = this.randomState || (this.seed >>> 0) || 1;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.randomState = x >>> 0;
    return this.randomState / 4294967296;
  }

  private train(deadline: number): void {
    if (!this.trainer!.step(deadline)) return;
    this.model = this.trainer!.model();
    this.cells = this.model.cells;
    this.scratch = assignScratch(this.model);
    this.trainer = null;
    this.sample = new Float32Array(0);
    this.phase = 'copy';
  }

  private cellOf(blob: Buffer): number {
    return this.model ? assignCell(this.model, fromBlob(blob), 0, this.scratch) : 0;
  }

  /**
   * One slice of the scan (or, once it has ended, of emptying the buffers), in one transaction.
   * Full cells are written before more rows are read, and only while the slice has time left:
   * what a slice writes is what its commit pays for (a WAL page per page written).
   */
  private copy(deadline: number): void {
    if (!this.target) {
      this.db.transaction(() => createGeneration(this.db, this.generation, this.dims, this.model?.centroids ?? null, this.cells))();
      this.target = new VecGeneration(this.db, this.generation, this.dims);
    }
    const before = Int32Array.from(this.target.sizes);
    this.db.transaction(() => {
      while (performance.now() < deadline && this.phase !== 'ready') {
        const full = this.full.values().next();
        if (!full.done) this.flush(full.value);
        else if (this.phase === 'copy') this.scan();
        else this.drain();
      }
      this.target!.flushSizes(before);
    })();
  }

  /** Reads the next rows and buffers each under its cell; cells holding a vec0 chunk's worth are due. */
  private scan(): void {
    const batch = this.batchStmt.all(this.cursor, BATCH) as StoredRow[];
    for (const row of batch) {
      if (row[3].byteLength !== this.dims * 4) continue;
      const cell = this.cellOf(row[3]);
      const rows = this.buffers.get(cell) ?? [];
      if (rows.length === 0) this.buffers.set(cell, rows);
      rows.push(row);
      this.buffered.set(row[0], cell);
      this.read++;
      if (rows.length >= CHUNK_SIZE) this.full.add(cell);
    }
    if (batch.length > 0) this.cursor = batch.at(-1)![0];
    if (this.buffered.size > MAX_BUFFERED) {
      // Too much held back: the fullest cells are due too, down to three quarters.
      let over = this.buffered.size - MAX_BUFFERED * 0.75;
      for (const [cell, rows] of [...this.buffers].sort((a, b) => b[1].length - a[1].length)) {
        if (over <= 0) break;
        this.full.add(cell);
        over -= rows.length;
      }
    }
    if (batch.length < BATCH) this.phase = 'drain';
  }

  /** Writes the fullest remaining buffer; ready once none is left. */
  private drain(): void {
    let fullest: number | null = null;
    for (const [cell, rows] of this.buffers) if (rows.length > 0 && (fullest === null || rows.length > this.buffers.get(fullest)!.length)) fullest = cell;
    if (fullest === null) this.phase = 'ready';
    else this.flush(fullest);
  }

  private flush(cell: number): void {
    for (const row of this.buffers.get(cell) ?? []) {
      this.insert(row, cell);
      this.buffered.delete(row[0]);
    }
    this.buffers.delete(cell);
    this.full.delete(cell);
  }

  private insert([rowId, assetId, model, blob]: StoredRow, cell: number): void {
    this.target!.insertAt(rowId, cell, blob, assetId, model);
    this.copied++;
  }
}
