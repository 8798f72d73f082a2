// A rebuild of the index into the next generation, a deadline at a time so the main thread is
// never held for long: draw a random sample of embeddings, train the cells on it, assign every row
// to its cell, then copy the rows cell by cell into the new vec0 table, one transaction per slice.
// Copying in cell order fills each vec0 chunk in one go: at 1,000,000 rows it measured 58 µs a
// row against 94 in row order, whose every transaction dirtied a page in dozens of chunks. The
// current generation keeps answering until the copy is complete. A build lives in memory only:
// if the process ends first, the half-filled table is dropped later and the build starts again.
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';
import { CellTrainer, assignCell, assignScratch, type CellModel } from './vector-cells.ts';
import { VecGeneration } from './vector-generation.ts';
import { createGeneration } from './vector-index.schema.ts';
import { fromBlob } from './vector-math.ts';

/** Sample vectors drawn per cell to train on (32,768 for 1,024 cells). */
export const SAMPLE_PER_CELL = 32;
/** Rows read (and assigned, or copied) between deadline checks: 1 to 3 ms. */
const BATCH = 64;
/** Random draws between deadline checks while sampling. */
const SAMPLE_BATCH = 256;

export type BuildPhase = 'sample' | 'train' | 'assign' | 'copy' | 'ready';

export interface BuildProgress {
  generation: number;
  dims: number;
  cells: number;
  phase: BuildPhase;
  sampled: number;
  assigned: number;
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
  /** Rows up to this id are planned (or, in an exact build, copied); later ones are copied last. */
  private cursor = 0;
  private readonly sampleSize: number;
  private readonly sampleIds = new Set<number>();
  private sample: Float32Array;
  private draws = 0;
  private randomState = 0;
  private trainer: CellTrainer | null = null;
  private model: CellModel | null = null;
  private scratch: Float64Array = new Float64Array(0);
  /** The copy plan: row ids and their cells, gathered in row order, then sorted by cell. */
  private planIds: number[] = [];
  private planCells: number[] = [];
  private order: Int32Array = new Int32Array(0);
  private copied = 0;
  private workMs = 0;
  private longestStepMs = 0;
  private readonly boundsStmt: Statement<unknown[]>;
  private readonly drawStmt: Statement<unknown[]>;
  private readonly batchStmt: Statement<unknown[]>;
  private readonly fetchStmt: Statement<unknown[]>;

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
    this.fetchStmt = db.prepare('SELECT row_id, asset_id, model, embedding FROM smart_embeddings WHERE row_id IN (SELECT value FROM json_each(?))').raw();
  }

  progress(): BuildProgress {
    return {
      generation: this.generation, dims: this.dims, cells: this.cells, phase: this.phase, sampled: this.sampleIds.size,
      assigned: this.planIds.length, copied: this.copied, workMs: Math.round(this.workMs), longestStepMs: Math.round(this.longestStepMs * 10) / 10,
    };
  }

  /** Works until the deadline (performance.now() milliseconds); true once every row is copied. */
  step(deadline: number): boolean {
    const started = performance.now();
    try {
      while (this.phase !== 'ready' && performance.now() < deadline) {
        if (this.phase === 'sample') this.drawSample(deadline);
        else if (this.phase === 'train') this.train(deadline);
        else if (this.phase === 'assign') this.assign(deadline);
        else this.copy(deadline);
      }
    } finally {
      const ms = performance.now() - started;
      this.workMs += ms;
      this.longestStepMs = Math.max(this.longestStepMs, ms);
    }
    return this.phase === 'ready';
  }

  /** Copies the rows that arrived after the plan was made: the last act before the swap, in its transaction. */
  copyRest(): void {
    if (this.phase !== 'ready' || !this.target) throw new Error('the build has not finished copying');
    const before = Int32Array.from(this.target.sizes);
    for (;;) {
      const batch = this.batchStmt.all(this.cursor, BATCH) as StoredRow[];
      if (batch.length === 0) break;
      const rows = batch.filter((r) => r[3].byteLength === this.dims * 4);
      this.insert(rows, rows.map(([, , , blob]) => this.cellOf(blob)));
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
    this.phase = 'assign';
  }

  private cellOf(blob: Buffer): number {
    return this.model ? assignCell(this.model, fromBlob(blob), 0, this.scratch) : 0;
  }

  /** Reads every row in row order and notes its cell; then orders the plan by cell. */
  private assign(deadline: number): void {
    while (performance.now() < deadline) {
      const batch = this.batchStmt.all(this.cursor, BATCH) as StoredRow[];
      for (const [rowId, , , blob] of batch) {
        if (blob.byteLength !== this.dims * 4) continue;
        this.planIds.push(rowId);
        this.planCells.push(this.cellOf(blob));
      }
      if (batch.length > 0) this.cursor = batch.at(-1)![0];
      if (batch.length < BATCH) {
        const cells = this.planCells;
        this.order = Int32Array.from(cells.keys()).sort((a, b) => cells[a]! - cells[b]! || a - b);
        this.phase = 'copy';
        return;
      }
    }
  }

  private copy(deadline: number): void {
    if (!this.target) {
      this.db.transaction(() => createGeneration(this.db, this.generation, this.dims, this.model?.centroids ?? null, this.cells))();
      this.target = new VecGeneration(this.db, this.generation, this.dims);
    }
    const target = this.target;
    const before = Int32Array.from(target.sizes);
    this.db.transaction(() => {
      while (this.phase === 'copy') {
        if (this.model) this.copyPlanned();
        else this.copyInRowOrder();
        if (performance.now() >= deadline) break;
      }
      target.flushSizes(before);
    })();
  }

  /** The next rows of the plan, cell by cell; rows deleted since are gone, changed ones read as they are now. */
  private copyPlanned(): void {
    const entries = this.order.subarray(this.copied, this.copied + BATCH);
    const rows = this.fetchStmt.all(JSON.stringify(Array.from(entries, (e) => this.planIds[e]!))) as StoredRow[];
    const byId = new Map(rows.map((r) => [r[0], r]));
    const found: StoredRow[] = [];
    const cells: number[] = [];
    for (const e of entries) {
      const row = byId.get(this.planIds[e]!);
      if (!row || row[3].byteLength !== this.dims * 4) continue;
      found.push(row);
      cells.push(this.planCells[e]!);
    }
    this.insert(found, cells);
    this.copied += entries.length;
    if (this.copied >= this.order.length) this.phase = 'ready';
  }

  /** An exact build: one cell, filled in row order. */
  private copyInRowOrder(): void {
    const batch = this.batchStmt.all(this.cursor, BATCH) as StoredRow[];
    const rows = batch.filter((r) => r[3].byteLength === this.dims * 4);
    this.insert(rows, rows.map(() => 0));
    this.copied += rows.length;
    if (batch.length > 0) this.cursor = batch.at(-1)![0];
    if (batch.length < BATCH) this.phase = 'ready';
  }

  private insert(rows: StoredRow[], cells: number[]): void {
    rows.forEach(([rowId, assetId, model, blob], i) => this.target!.insertAt(rowId, cells[i]!, blob, assetId, model));
  }
}
