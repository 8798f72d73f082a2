// The CLIP image embeddings and their vector index on the catalog connection. smart_embeddings is
// the source of truth (unit float32 vectors); the index (sqlite-vec vec0 tables, see
// vector-index.schema.ts) is derived from it and can always be rebuilt. Below `exactBelowRows` the
// index is one cell, searched exhaustively; above, rows are spread over about sqrt(rows) cells
// trained by k-means and a search reads the nearest few (vector-search.ts). maintain() retrains
// when the library has doubled or shrunk to a quarter since the last training, in short slices.
// One writer per catalog is assumed (the engine's connection); another instance follows its swaps.
import * as sqliteVec from 'sqlite-vec';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';
import { IndexBuild, SAMPLE_PER_CELL, type BuildProgress } from './vector-index-build.ts';
import { VecGeneration } from './vector-generation.ts';
import {
  DIRTY_TABLE, createGeneration, dropGeneration, dropOtherGenerations, ensureIndexSchema, readState, writeState,
  type IndexState,
} from './vector-index.schema.ts';
import { fromBlob, normalised, toBlob } from './vector-math.ts';
import { SEARCH_PLAN, VectorSearch, type SearchHit, type SearchOptions } from './vector-search.ts';

export type { SearchFilter, SearchHit, SearchOptions } from './vector-search.ts';

/** When the index changes shape. */
export const INDEX_PLAN = {
  /** Fewer rows than this: one cell, exact search (20,000 rows scan in about 22 ms). */
  exactBelowRows: 20_000,
  /** Retrain once the rows have grown this many times, or shrunk by this factor, since training. */
  regrowFactor: 2,
  shrinkFactor: 4,
  minCells: 64,
  maxCells: 4_096,
  /** Pending changes a search applies first; a larger backlog waits for maintain(). */
  syncOnSearch: 256,
  /** A build another instance touched this recently is left alone. */
  staleBuildMs: 5 * 60_000,
} as const;

/** Cells for a library of `rows`: about sqrt(rows), a power of two (256 at 100,000, 1,024 at 1,000,000). */
export function planCells(rows: number): number {
  if (rows < INDEX_PLAN.exactBelowRows) return 1;
  const cells = 2 ** Math.round(Math.log2(Math.sqrt(rows)));
  return Math.max(INDEX_PLAN.minCells, Math.min(INDEX_PLAN.maxCells, cells, Math.floor(rows / SAMPLE_PER_CELL)));
}

export interface ClipIndexStats {
  /** Embeddings stored (smart_embeddings rows). */
  rows: number;
  /** Rows in the generation that answers searches. */
  indexedRows: number;
  /** Changes made behind the index's back, not applied yet. */
  pendingChanges: number;
  mode: 'none' | 'exact' | 'cells';
  generation: number | null;
  dims: number | null;
  cells: number;
  trainedRows: number;
  build: BuildProgress | null;
  plan: {
    exactBelowRows: number;
    rebuildAboveRows: number | null;
    rebuildBelowRows: number | null;
    nprobe: number;
    maxWiden: number;
    exactFilteredRows: number;
  };
}

interface BuildClaim {
  generation: number;
  heartbeat: number;
}

export class ClipVectorIndex {
  private readonly db: Sqlite;
  private readonly searcher: VectorSearch;
  private state: IndexState & { building?: BuildClaim | null };
  private active: VecGeneration | null = null;
  private build: IndexBuild | null = null;
  /** The dimensions of the newest embedding, when they differ from the active generation's. */
  private wantDims: number | null = null;
  private readonly upsertStmt: Statement<unknown[]>;
  private readonly getStmt: Statement<unknown[]>;
  private readonly countStmt: Statement<unknown[]>;
  private readonly stateStmt: Statement<unknown[]>;
  private readonly pendingStmt: Statement<unknown[]>;
  private readonly clearStmt: Statement<unknown[]>;
  private readonly rowsStmt: Statement<unknown[]>;
  private readonly deleteStmt: Statement<unknown[]>;

  constructor(db: Sqlite) {
    this.db = db;
    if (!hasSqliteVec(db)) sqliteVec.load(db);
    ensureIndexSchema(db);
    this.searcher = new VectorSearch(db);
    this.upsertStmt = db.prepare(`INSERT INTO smart_embeddings (asset_id, model, embedding) VALUES (?, ?, ?)
      ON CONFLICT (asset_id) DO UPDATE SET model = excluded.model, embedding = excluded.embedding RETURNING row_id`).pluck();
    this.getStmt = db.prepare('SELECT embedding FROM smart_embeddings WHERE asset_id = ?').pluck();
    this.countStmt = db.prepare('SELECT count(*) FROM smart_embeddings').pluck();
    this.stateStmt = db.prepare(`SELECT value FROM clip_index_state WHERE id = 1`).pluck();
    this.pendingStmt = db.prepare(`SELECT row_id FROM ${DIRTY_TABLE} ORDER BY row_id LIMIT ?`).pluck();
    this.clearStmt = db.prepare(`DELETE FROM ${DIRTY_TABLE} WHERE row_id = ?`);
    this.rowsStmt = db.prepare('SELECT row_id AS rowId, embedding FROM smart_embeddings WHERE row_id IN (SELECT value FROM json_each(?))');
    this.deleteStmt = db.prepare('DELETE FROM smart_embeddings WHERE asset_id IN (SELECT value FROM json_each(?)) RETURNING row_id').pluck();
    this.state = readState(db);
    this.follow();
    const claim = this.state.building;
    const claimed = claim && Date.now() - claim.heartbeat < INDEX_PLAN.staleBuildMs ? claim.generation : null;
    if (claimed === null) dropOtherGenerations(db, this.state.active?.generation ?? null);
    const newest = db.prepare('SELECT length(embedding) FROM smart_embeddings ORDER BY row_id DESC LIMIT 1').pluck().get() as number | undefined;
    if (newest !== undefined && this.active && newest / 4 !== this.active.dims) this.wantDims = newest / 4;
  }

  /** Stores an asset's embedding (normalised), replacing any, and indexes it, in the caller's transaction if any. */
  upsert(assetId: string, model: string, embedding: Float32Array): void {
    const v = normalised(embedding);
    this.refresh();
    this.db.transaction(() => {
      const wasEmpty = !this.active && !this.build && this.countStmt.get() === 0;
      const rowId = this.upsertStmt.get(assetId, model, toBlob(v)) as number;
      if (wasEmpty) this.startExact(v.length);
      if (this.active && this.active.dims !== v.length) this.wantDims = v.length;
      this.applyRow(rowId, v);
      this.clearStmt.run(rowId);
    })();
  }

  /** Deletes the embeddings of these assets (an asset's deletion removes its own by cascade). */
  remove(assetIds: readonly string[]): void {
    if (assetIds.length === 0) return;
    this.refresh();
    const del = this.deleteStmt;
    this.db.transaction(() => {
      for (let i = 0; i < assetIds.length; i += 500) {
        for (const rowId of del.all(JSON.stringify(assetIds.slice(i, i + 500))) as number[]) {
          this.applyRow(rowId, null);
          this.clearStmt.run(rowId);
        }
      }
    })();
  }

  /** The stored (unit) embedding of an asset. */
  get(assetId: string): Float32Array | null {
    const blob = this.getStmt.get(assetId) as Buffer | undefined;
    return blob ? Float32Array.from(fromBlob(blob)) : null;
  }

  count(): number {
    return this.countStmt.get() as number;
  }

  /**
   * The assets most similar to `query`, by cosine similarity, best first. `filter` is SQL over
   * `assets a` (timelineFilterSql, preferably its 'lookup' form). Vectors of other dimensions
   * than the query's are never compared with it.
   */
  search(query: Float32Array, opts: SearchOptions): SearchHit[] {
    if (!(opts.limit >= 1)) return [];
    this.refresh();
    if (this.pendingStmt.all(INDEX_PLAN.syncOnSearch + 1).length <= INDEX_PLAN.syncOnSearch) this.applyPending(Infinity);
    const q = normalised(query);
    const gen = this.active?.dims === q.length ? this.active : null;
    return this.searcher.search(gen, q, opts);
  }

  /**
   * Applies pending changes, then starts or continues a rebuild when the library's size calls
   * for one, working for about `budgetMs`. Returns whether more work remains: call again (after
   * yielding to the event loop) until it returns false.
   */
  maintain(budgetMs = 8): boolean {
    const deadline = performance.now() + budgetMs;
    this.refresh();
    if (!this.applyPending(deadline)) return true;
    if (!this.build) {
      if (performance.now() >= deadline) return this.needsBuild() !== null;
      const plan = this.needsBuild();
      if (!plan || !this.claimBuild()) return false;
      this.build = new IndexBuild(this.db, this.state.building!.generation, plan.dims, plan.cells, plan.rows, plan.rows);
    }
    const ready = this.build.step(deadline);
    if (ready) this.swap();
    else this.heartbeat();
    return !ready || this.needsBuild() !== null;
  }

  stats(): ClipIndexStats {
    this.refresh();
    const active = this.state.active;
    const trained = active?.trainedRows ?? 0;
    const cells = active?.cells ?? 0;
    return {
      rows: this.count(),
      indexedRows: this.active?.rows ?? 0,
      pendingChanges: this.db.prepare(`SELECT count(*) FROM ${DIRTY_TABLE}`).pluck().get() as number,
      mode: !active ? 'none' : cells === 1 ? 'exact' : 'cells',
      generation: active?.generation ?? null,
      dims: active?.dims ?? null,
      cells,
      trainedRows: trained,
      build: this.build?.progress() ?? null,
      plan: {
        exactBelowRows: INDEX_PLAN.exactBelowRows,
        rebuildAboveRows: !active ? null : cells === 1 ? INDEX_PLAN.exactBelowRows : trained * INDEX_PLAN.regrowFactor,
        rebuildBelowRows: !active || cells === 1 ? null : Math.floor(trained / INDEX_PLAN.shrinkFactor),
        nprobe: SEARCH_PLAN.nprobe,
        maxWiden: SEARCH_PLAN.maxWiden,
        exactFilteredRows: SEARCH_PLAN.exactFilteredRows,
      },
    };
  }

  /** Writes a row's current vector (or its absence) into every generation that should hold it. */
  private applyRow(rowId: number, v: Float32Array | null): void {
    if (this.active) {
      this.active.delete(rowId);
      if (v && v.length === this.active.dims) this.active.insert(rowId, v);
    }
    const target = this.build?.target;
    if (target && rowId <= this.build!.cursor) {
      target.delete(rowId);
      if (v && v.length === target.dims) target.insert(rowId, v);
    }
  }

  /** Applies changes noted by the triggers until the deadline; true once none are left. */
  private applyPending(deadline: number): boolean {
    for (;;) {
      const ids = this.pendingStmt.all(256) as number[];
      if (ids.length === 0) return true;
      this.db.transaction(() => {
        const rows = this.rowsStmt.all(JSON.stringify(ids)) as { rowId: number; embedding: Buffer }[];
        const vectors = new Map(rows.map((r) => [r.rowId, r.embedding]));
        for (const id of ids) {
          const blob = vectors.get(id);
          const v = blob && blob.byteLength > 0 && blob.byteLength % 4 === 0 ? normalisedOrNull(fromBlob(blob)) : null;
          if (v && this.active && v.length !== this.active.dims) this.wantDims = v.length;
          this.applyRow(id, v);
          this.clearStmt.run(id);
        }
      })();
      if (performance.now() >= deadline) return this.pendingStmt.all(1).length === 0;
    }
  }

  /** The build the library's size calls for, if any. */
  private needsBuild(): { dims: number; cells: number; rows: number } | null {
    const active = this.active;
    if (!active || this.wantDims !== null) {
      const rows = this.count();
      if (rows === 0) return null;
      const dims = this.wantDims ?? this.newestDims();
      return dims === null ? null : { dims, cells: planCells(rows), rows };
    }
    const rows = active.rows;
    const trained = this.state.active!.trainedRows;
    const grown = active.cells === 1 ? rows >= INDEX_PLAN.exactBelowRows : rows >= trained * INDEX_PLAN.regrowFactor;
    const shrunk = active.cells > 1 && rows < trained / INDEX_PLAN.shrinkFactor;
    return grown || shrunk ? { dims: active.dims, cells: planCells(rows), rows } : null;
  }

  private newestDims(): number | null {
    const bytes = this.db.prepare('SELECT length(embedding) FROM smart_embeddings ORDER BY row_id DESC LIMIT 1').pluck().get() as number | undefined;
    return bytes === undefined ? null : bytes / 4;
  }

  /** Takes the next generation number for a build, unless another instance is building. */
  private claimBuild(): boolean {
    return this.db.transaction(() => {
      this.state = readState(this.db);
      const claim = this.state.building;
      if (claim && Date.now() - claim.heartbeat < INDEX_PLAN.staleBuildMs) return false;
      dropOtherGenerations(this.db, this.state.active?.generation ?? null);
      const generation = this.state.nextGeneration;
      this.state = { ...this.state, nextGeneration: generation + 1, building: { generation, heartbeat: Date.now() } };
      writeState(this.db, this.state);
      return true;
    }).immediate();
  }

  private heartbeat(): void {
    if (!this.build) return;
    this.state = { ...this.state, building: { generation: this.build.generation, heartbeat: Date.now() } };
    writeState(this.db, this.state);
  }

  /** Makes the finished build the active generation and drops the old one, in one transaction. */
  private swap(): void {
    const build = this.build!;
    this.db.transaction(() => {
      build.copyRest();
      const target = build.target!;
      const old = this.state.active?.generation;
      this.state = {
        active: { generation: build.generation, dims: build.dims, cells: target.cells, trainedRows: target.rows, builtAt: Date.now() },
        nextGeneration: this.state.nextGeneration,
        building: null,
      };
      writeState(this.db, this.state);
      if (old !== undefined) dropGeneration(this.db, old);
      this.active = target;
      if (this.wantDims === build.dims) this.wantDims = null;
    })();
    this.build = null;
  }

  /** An empty exact generation for a library's first embedding. */
  private startExact(dims: number): void {
    const generation = this.state.nextGeneration;
    createGeneration(this.db, generation, dims, null, 1);
    this.state = {
      active: { generation, dims, cells: 1, trainedRows: 0, builtAt: Date.now() },
      nextGeneration: generation + 1,
      building: null,
    };
    writeState(this.db, this.state);
    this.active = new VecGeneration(this.db, generation, dims);
    this.wantDims = null;
  }

  /** Re-reads the state when another instance may have swapped generations. */
  private refresh(): void {
    const raw = this.stateStmt.get() as string | undefined;
    // No row: a transaction that created the first generation was rolled back.
    const state = raw ? (JSON.parse(raw) as ClipVectorIndex['state']) : { active: null, nextGeneration: this.state.nextGeneration };
    if (state.active?.generation === this.state.active?.generation && this.active) return;
    this.state = { ...state, building: this.build ? this.state.building : state.building };
    this.follow();
  }

  private follow(): void {
    const a = this.state.active;
    if (this.active?.generation === a?.generation) return;
    this.active = a ? new VecGeneration(this.db, a.generation, a.dims) : null;
  }
}

function hasSqliteVec(db: Sqlite): boolean {
  try {
    db.prepare('SELECT vec_version()').get();
    return true;
  } catch {
    return false;
  }
}

function normalisedOrNull(v: Float32Array): Float32Array | null {
  try {
    return normalised(v);
  } catch {
    return null;
  }
}
