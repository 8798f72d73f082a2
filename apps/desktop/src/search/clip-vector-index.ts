// The CLIP image embeddings and their vector index on the catalog connection. smart_embeddings is
// the source of truth (unit float32 vectors); the index (sqlite-vec vec0 tables, see
// vector-index.schema.ts) is derived from it and can always be rebuilt. Below `exactBelowRows` the
// index is one cell, searched exhaustively; above, rows are spread over about sqrt(rows) cells
// trained by k-means and a search reads the nearest few (vector-search.ts). maintain() retrains
// when the library has doubled or shrunk to a quarter since the last training, in short slices.
// One writer per catalog is expected (the engine's connection); another instance follows swaps.
import * as sqliteVec from 'sqlite-vec';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';
import { IndexBuild, SAMPLE_PER_CELL, type BuildProgress } from './vector-index-build.ts';
import { VecGeneration } from './vector-generation.ts';
import {
  DIRTY_TABLE, createGeneration, dismantleStep, ensureIndexSchema, listGenerations, readState, writeState, type IndexState,
} from './vector-index.schema.ts';
import { fromBlob, normalised, toBlob } from './vector-math.ts';
import { SEARCH_PLAN, VectorSearch, type SearchHit, type SearchOptions } from './vector-search.ts';
import { unpackedPath } from '@shoebox/media-node/media/unpacked-path';

export type { SearchFilter, SearchHit, SearchOptions } from './vector-search.ts';

/** When the index changes shape. */
export const INDEX_PLAN = {
  /** Fewer rows than this: one cell, exact search (a scan of 10,000 rows takes about 15 ms). */
  exactBelowRows: 10_000,
  /** Retrain once the rows have grown this many times, or shrunk by this factor, since training. */
  regrowFactor: 2,
  shrinkFactor: 4,
  minCells: 64,
  maxCells: 4_096,
  /** Pending changes a search applies first; a larger backlog waits for maintain(). */
  syncOnSearch: 256,
  /** A build nobody has worked on for this long is abandoned (its process has ended). */
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
  retiredGenerations: number;
  plan: {
    exactBelowRows: number;
    rebuildAboveRows: number | null;
    rebuildBelowRows: number | null;
    /** Rows a search reads first (nearest cells first), and at most while widening. */
    probeRows: number;
    maxProbeRows: number;
    exactFilteredRows: number;
  };
}

export class ClipVectorIndex {
  private readonly db: Sqlite;
  private readonly searcher: VectorSearch;
  private state: IndexState;
  private active: VecGeneration | null = null;
  private build: IndexBuild | null = null;
  /** The dimensions of the newest embedding, when they differ from the active generation's. */
  private wantDims: number | null = null;
  private readonly upsertStmt: Statement<unknown[]>;
  private readonly getStmt: Statement<unknown[]>;
  private readonly countStmt: Statement<unknown[]>;
  private readonly pendingStmt: Statement<unknown[]>;
  private readonly clearStmt: Statement<unknown[]>;
  private readonly rowsStmt: Statement<unknown[]>;
  private readonly deleteStmt: Statement<unknown[]>;
  private readonly newestStmt: Statement<unknown[]>;
  private readonly anyStmt: Statement<unknown[]>;
  private readonly changesStmt: Statement<unknown[]>;
  private readonly dataVersionStmt: Statement<unknown[]>;
  private counted: { version: string; rows: number } | null = null;
  private readonly boundsStmt: Statement<unknown[]>;
  private readonly clearManyStmt: Statement<unknown[]>;

  constructor(db: Sqlite) {
    this.db = db;
    // Not sqliteVec.load(db): in the packaged app its path points into app.asar, which SQLite cannot open.
    if (!hasSqliteVec(db)) db.loadExtension(unpackedPath(sqliteVec.getLoadablePath()));
    ensureIndexSchema(db);
    this.searcher = new VectorSearch(db);
    this.upsertStmt = db.prepare(`INSERT INTO smart_embeddings (asset_id, model, embedding) VALUES (?, ?, ?)
      ON CONFLICT (asset_id) DO UPDATE SET model = excluded.model, embedding = excluded.embedding RETURNING row_id`).pluck();
    this.getStmt = db.prepare('SELECT embedding FROM smart_embeddings WHERE asset_id = ?').pluck();
    this.countStmt = db.prepare('SELECT count(*) FROM smart_embeddings').pluck();
    this.anyStmt = db.prepare('SELECT EXISTS (SELECT 1 FROM smart_embeddings)').pluck();
    this.changesStmt = db.prepare('SELECT total_changes()').pluck();
    this.boundsStmt = db.prepare(`SELECT (SELECT row_id FROM smart_embeddings ORDER BY row_id LIMIT 1) AS lo,
      (SELECT row_id FROM smart_embeddings ORDER BY row_id DESC LIMIT 1) AS hi`);
    this.dataVersionStmt = db.prepare('PRAGMA data_version').pluck();
    this.pendingStmt = db.prepare(`SELECT row_id FROM ${DIRTY_TABLE} ORDER BY row_id LIMIT ?`).pluck();
    this.clearStmt = db.prepare(`DELETE FROM ${DIRTY_TABLE} WHERE row_id = ?`);
    this.clearManyStmt = db.prepare(`DELETE FROM ${DIRTY_TABLE} WHERE row_id IN (SELECT row_id FROM ${DIRTY_TABLE} LIMIT ?)`);
    this.rowsStmt = db.prepare(`SELECT row_id AS rowId, asset_id AS assetId, model, embedding FROM smart_embeddings
      WHERE row_id IN (SELECT value FROM json_each(?))`);
    this.deleteStmt = db.prepare('DELETE FROM smart_embeddings WHERE asset_id IN (SELECT value FROM json_each(?)) RETURNING row_id').pluck();
    this.newestStmt = db.prepare('SELECT length(embedding) FROM smart_embeddings ORDER BY row_id DESC LIMIT 1').pluck();
    this.state = readState(db);
    this.follow();
    db.transaction(() => this.retireOrphans())();
    const newest = this.newestDims();
    if (newest !== null && this.active && newest !== this.active.dims) this.wantDims = newest;
  }

  /** Stores an asset's embedding (normalised), replacing any, and indexes it, in the caller's transaction if any. */
  upsert(assetId: string, model: string, embedding: Float32Array): void {
    const v = normalised(embedding);
    this.refresh();
    this.db.transaction(() => {
      const first = !this.active && !this.build && this.anyStmt.get() === 0;
      const rowId = this.upsertStmt.get(assetId, model, toBlob(v)) as number;
      if (first) this.startExact(v.length);
      if (this.active && this.active.dims !== v.length) this.wantDims = v.length;
      this.applyRow(rowId, { v, assetId, model });
      this.clearStmt.run(rowId);
    })();
  }

  /** Deletes the embeddings of these assets (deleting an asset removes its own, by cascade). */
  remove(assetIds: readonly string[]): void {
    if (assetIds.length === 0) return;
    this.refresh();
    this.db.transaction(() => {
      for (let i = 0; i < assetIds.length; i += 500) {
        for (const rowId of this.deleteStmt.all(JSON.stringify(assetIds.slice(i, i + 500))) as number[]) {
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

  /**
   * Embeddings stored. Counting reads an index of every row (about 30 ms at 1,000,000), so the
   * answer is kept until the catalog changes (a write on this connection or a commit by another),
   * but not from inside a transaction, which may yet be rolled back.
   */
  count(): number {
    if (this.db.inTransaction) return this.countStmt.get() as number;
    const version = `${this.changesStmt.get() as number}:${this.dataVersionStmt.get() as number}`;
    if (this.counted?.version !== version) this.counted = { version, rows: this.countStmt.get() as number };
    return this.counted.rows;
  }

  /**
   * The assets most similar to `query`, by cosine similarity, best first. `filter` is SQL over
   * `assets a` (timelineFilterSql, preferably its 'lookup' form). Vectors of other dimensions
   * than the query's are never compared with it.
   */
  search(query: Float32Array, opts: SearchOptions): SearchHit[] {
    if (!(opts.limit >= 1)) return [];
    const q = normalised(query);
    this.refresh();
    const pending = this.pendingStmt.all(INDEX_PLAN.syncOnSearch + 1).length;
    if (pending > 0 && pending <= INDEX_PLAN.syncOnSearch) this.applyPending(Infinity);
    return this.searcher.search(this.active?.dims === q.length ? this.active : null, q, opts, pending > INDEX_PLAN.syncOnSearch);
  }

  /**
   * Applies pending changes, empties replaced generations, and starts or continues a rebuild when
   * the library's size calls for one, working for about `budgetMs`. Returns whether more work
   * remains: call again (after yielding to the event loop) until it returns false. A slice
   * overruns its budget by one unit of work (64 rows: about 2.5 ms) and its commit: at 6 ms,
   * slices measured 7 ms (median) and 15 ms (99th percentile) over a 100,000-row build, except
   * those whose commit ran a WAL auto-checkpoint (20 to 50 ms, occasionally 200 ms on this disk),
   * as any write on the connection may.
   */
  maintain(budgetMs = 6): boolean {
    const deadline = performance.now() + budgetMs;
    this.refresh();
    if (!this.applyPending(deadline)) return true;
    const retired = this.state.retired[0];
    if (retired !== undefined) {
      if (!this.db.transaction(() => dismantleStep(this.db, retired, deadline))()) return true;
      this.updateState((s) => ({ ...s, retired: s.retired.filter((g) => g !== retired) }));
      return true;
    }
    if (!this.build) {
      const plan = this.needsBuild();
      if (!plan) return false;
      const generation = this.claimBuild();
      if (generation === null) return false;
      this.build = new IndexBuild(this.db, generation, plan.dims, plan.cells, plan.rows, plan.rows);
    }
    const ready = this.build.step(deadline);
    if (ready) this.swap();
    else this.updateState((s) => ({ ...s, building: { generation: this.build!.generation, heartbeat: Date.now() } }));
    return true;
  }

  /** The rebuild under way, if any (cheap: stats() also counts every row). */
  building(): BuildProgress | null {
    return this.build?.progress() ?? null;
  }

  stats(): ClipIndexStats {
    this.refresh();
    const active = this.state.active;
    const trained = active?.trainedRows ?? 0;
    const cells = active?.cells ?? 0;
    const probeRows = Math.min(this.active?.rows ?? 0, Math.max(SEARCH_PLAN.minProbeRows, SEARCH_PLAN.probeRowsPerSqrt * Math.sqrt(this.active?.rows ?? 0)));
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
      retiredGenerations: this.state.retired.length,
      plan: {
        exactBelowRows: INDEX_PLAN.exactBelowRows,
        rebuildAboveRows: !active ? null : cells === 1 ? INDEX_PLAN.exactBelowRows : trained * INDEX_PLAN.regrowFactor,
        rebuildBelowRows: !active || cells === 1 ? null : Math.floor(trained / INDEX_PLAN.shrinkFactor),
        probeRows: Math.round(probeRows),
        maxProbeRows: Math.round(probeRows * SEARCH_PLAN.maxWiden),
        exactFilteredRows: SEARCH_PLAN.exactFilteredRows,
      },
    };
  }

  /**
   * Writes a row's current vector (or its absence) into the generations that should hold it: the
   * active one, and a build's new one if it has read the row already (one it has not read yet is
   * read as it is when its turn comes; one added since is copied at the swap).
   */
  private applyRow(rowId: number, row: StoredRow | null): void {
    if (this.active) {
      this.active.delete(rowId);
      if (row && row.v.length === this.active.dims) this.active.insert(rowId, row.v, row.assetId, row.model);
    }
    const target = this.build?.target;
    const held = target ? target.delete(rowId) || this.build!.unbuffer(rowId) : false;
    if (held && row && row.v.length === target!.dims) target!.insert(rowId, row.v, row.assetId, row.model);
  }

  /** Applies changes noted by the triggers until the deadline; true once none are left. */
  private applyPending(deadline: number): boolean {
    if (!this.active && !this.build?.target) {
      // Nothing holds vectors yet: the next build reads every row anyway.
      while (this.clearManyStmt.run(5_000).changes > 0) if (performance.now() >= deadline) return false;
      return true;
    }
    for (;;) {
      const ids = this.pendingStmt.all(256) as number[];
      if (ids.length === 0) return true;
      this.db.transaction(() => {
        const rows = this.rowsStmt.all(JSON.stringify(ids)) as { rowId: number; assetId: string; model: string; embedding: Buffer }[];
        const stored = new Map(rows.map((r) => [r.rowId, r]));
        for (const id of ids) {
          const r = stored.get(id);
          const v = r && r.embedding.byteLength > 0 && r.embedding.byteLength % 4 === 0 ? normalisedOrNull(fromBlob(r.embedding)) : null;
          if (v && this.active && v.length !== this.active.dims) this.wantDims = v.length;
          this.applyRow(id, r && v ? { v, assetId: r.assetId, model: r.model } : null);
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
      // The span of row ids, not count(*) (138 ms at 1,000,000 from a cold cache): deleted rows
      // make it an overestimate, which only sizes the sample and the cells a little larger.
      const { lo, hi } = this.boundsStmt.get() as { lo: number | null; hi: number | null };
      const rows = lo === null || hi === null ? 0 : hi - lo + 1;
      const dims = rows === 0 ? null : (this.wantDims ?? this.newestDims());
      return dims === null ? null : { dims, cells: planCells(rows), rows };
    }
    const rows = active.rows;
    const trained = this.state.active!.trainedRows;
    const grown = active.cells === 1 ? rows >= INDEX_PLAN.exactBelowRows : rows >= trained * INDEX_PLAN.regrowFactor;
    const shrunk = active.cells > 1 && rows < trained / INDEX_PLAN.shrinkFactor;
    return grown || shrunk ? { dims: active.dims, cells: planCells(rows), rows } : null;
  }

  private newestDims(): number | null {
    const bytes = this.newestStmt.get() as number | undefined;
    return bytes === undefined ? null : bytes / 4;
  }

  /** Reads, changes and writes the state row (another instance may have written it). */
  private updateState(change: (s: IndexState) => IndexState): void {
    this.state = change(readState(this.db));
    writeState(this.db, this.state);
  }

  /** The next generation number, claimed for a build; null while another instance is building. */
  private claimBuild(): number | null {
    return this.db.transaction(() => {
      const claim = readState(this.db).building;
      if (claim && Date.now() - claim.heartbeat < INDEX_PLAN.staleBuildMs) return null;
      this.retireOrphans();
      const generation = this.state.nextGeneration;
      this.updateState((s) => ({ ...s, nextGeneration: generation + 1, building: { generation, heartbeat: Date.now() } }));
      return generation;
    }).immediate();
  }

  /** Queues for dismantling every vector table that is neither active nor being built. */
  private retireOrphans(): void {
    const s = readState(this.db);
    const live = s.building && Date.now() - s.building.heartbeat < INDEX_PLAN.staleBuildMs ? s.building.generation : null;
    const orphans = listGenerations(this.db).filter((g) => g !== s.active?.generation && g !== live && !s.retired.includes(g));
    if (orphans.length === 0 && (live !== null || s.building === null)) return;
    this.updateState(() => ({ ...s, building: live === null ? null : s.building, retired: [...s.retired, ...orphans] }));
  }

  /** Makes the finished build the active generation and retires the old one, in one transaction. */
  private swap(): void {
    const build = this.build!;
    this.db.transaction(() => {
      build.copyRest();
      const target = build.target!;
      this.updateState((s) => ({
        active: { generation: build.generation, dims: build.dims, cells: target.cells, trainedRows: target.rows, builtAt: Date.now() },
        nextGeneration: s.nextGeneration,
        building: null,
        retired: s.active ? [...s.retired, s.active.generation] : s.retired,
      }));
      this.active = target;
      if (this.wantDims === build.dims) this.wantDims = null;
    })();
    this.build = null;
  }

  /** An empty exact generation for a library's first embedding. */
  private startExact(dims: number): void {
    const generation = readState(this.db).nextGeneration;
    createGeneration(this.db, generation, dims, null, 1);
    this.updateState((s) => ({
      ...s, active: { generation, dims, cells: 1, trainedRows: 0, builtAt: Date.now() }, nextGeneration: generation + 1,
    }));
    this.active = new VecGeneration(this.db, generation, dims);
    this.wantDims = null;
  }

  /** Follows a swap made by another instance, or undone by a rolled-back transaction. */
  private refresh(): void {
    const state = readState(this.db);
    if (this.build && state.building?.generation !== this.build.generation) this.build = null;
    this.state = state;
    this.follow();
  }

  private follow(): void {
    const a = this.state.active;
    if (this.active?.generation === a?.generation) return;
    this.active = a ? new VecGeneration(this.db, a.generation, a.dims) : null;
  }
}

/** A smart_embeddings row as the index stores it. */
interface StoredRow {
  v: Float32Array;
  assetId: string;
  model: string;
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
