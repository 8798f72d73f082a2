// A rebuild of the index into the next generation, a deadline at a time so the main thread is
// never held for long: draw a random sample of embeddings, train the cells on it, then copy every
// row into its cell in the new vec0 table, one transaction per slice. The current generation keeps
// answering until the copy is complete. A build lives in memory only: if the process ends first,
// the half-filled table is dropped at the next start and the build starts again.
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';
import { CellTrainer, assignCell, assignScratch, type CellModel } from './vector-cells.ts';
import { VecGeneration } from './vector-generation.ts';
import { createGeneration } from './vector-index.schema.ts';
import { fromBlob } from './vector-math.ts';

/** Sample vectors drawn per cell to train on (32,768 for 1,024 cells). */
export const SAMPLE_PER_CELL = 32;
/** Rows read and copied between deadline checks (about 3 ms at 512 dims and 1,024 cells). */
const COPY_BATCH = 64;
/** Random draws between deadline checks while sampling. */
const SAMPLE_BATCH = 256;

export type BuildPhase = 'sample' | 'train' | 'copy' | 'ready';

export interface BuildProgress {
  generation: number;
  dims: number;
  cells: number;
  phase: BuildPhase;
  sampled: number;
  copied: number;
  /** Total milliseconds spent in step() so far, and the longest single step. */
  workMs: number;
  longestStepMs: number;
}

export class IndexBuild {
  readonly generation: number;
  readonly dims: number;
  private cells: number;
  private readonly db: Sqlite;
  private readonly seed: number;
  phase: BuildPhase;
  /** The new generation, once the copy has started. */
  target: VecGeneration | null = null;
  /** Rows up to this row id have been copied (later changes to them must be applied to `target`). */
  cursor = 0;
  private copied = 0;
  private readonly sampleSize: number;
  private readonly sampleIds = new Set<number>();
  private sample: Float32Array;
  private draws = 0;
  private randomState = 0;
  private trainer: CellTrainer | null = null;
  private model: CellModel | null = null;
  private scratch: Float64Array = new Float64Array(0);
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
    this.boundsStmt = db.prepare('SELECT min(row_id) AS lo, max(row_id) AS hi FROM smart_embeddings');
    this.drawStmt = db.prepare('SELECT row_id AS rowId, embedding FROM smart_embeddings WHERE row_id >= ? AND length(embedding) = ? ORDER BY row_id LIMIT 1');
    this.batchStmt = db.prepare('SELECT row_id AS rowId, embedding FROM smart_embeddings WHERE row_id > ? ORDER BY row_id LIMIT ?').raw();
  }

  progress(): BuildProgress {
    return {
      generation: this.generation, dims: this.dims, cells: this.cells, phase: this.phase, sampled: this.sampleIds.size,
      copied: this.copied, workMs: Math.round(this.workMs), longestStepMs: Math.round(this.longestStepMs * 10) / 10,
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

  /** Copies whatever arrived since the last step: the last act before the swap, in its transaction. */
  copyRest(): void {
    if (this.phase !== 'ready') throw new Error('the build has not finished copying');
    this.phase = 'copy';
    this.copy(Infinity);
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

  private random(): number {
    // xorshift32 seeded from the build's seed: cheap, and builds over the same rows agree.
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
    this.trainer = null;
    this.sample = new Float32Array(0);
    this.phase = 'copy';
  }

  private copy(deadline: number): void {
    if (!this.target) {
      this.db.transaction(() => createGeneration(this.db, this.generation, this.dims, this.model?.centroids ?? null, this.cells))();
      this.target = new VecGeneration(this.db, this.generation, this.dims);
      if (this.model) this.scratch = assignScratch(this.model);
    }
    const target = this.target;
    const before = Int32Array.from(target.sizes);
    this.db.transaction(() => {
      for (;;) {
        const batch = this.batchStmt.all(this.cursor, COPY_BATCH) as [number, Buffer][];
        const rows: { rowId: number; cell: number; blob: Buffer }[] = [];
        for (const [rowId, blob] of batch) {
          if (blob.byteLength !== this.dims * 4) continue;
          const cell = this.model ? assignCell(this.model, fromBlob(blob), 0, this.scratch) : 0;
          rows.push({ rowId, cell, blob });
        }
        // Rows of a cell together: vec0 appends to the cell's last chunk, fewer pages touched.
        rows.sort((a, b) => a.cell - b.cell);
        for (const r of rows) target.insertAt(r.rowId, r.cell, r.blob);
        this.copied += rows.length;
        if (batch.length > 0) this.cursor = batch.at(-1)![0];
        if (batch.length < COPY_BATCH) {
          this.phase = 'ready';
          break;
        }
        if (performance.now() >= deadline) break;
      }
      target.flushSizes(before);
    })();
  }
}
