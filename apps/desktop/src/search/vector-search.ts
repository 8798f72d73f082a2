// How a search runs. A filter's share of the library is estimated from a random sample of rows;
// when few assets match, they are ranked exactly (their blobs scored by sqlite-vec's
// vec_distance_cosine in SQL, measured 2.5 µs a row with the join, against 4.2 µs for the same
// blobs scored in JS once better-sqlite3 has made a Buffer of each). Otherwise the nearest cells
// are searched (vec0 KNN, about 1.1 µs a row scanned) and the candidates, nearest first, are
// checked against the filter in SQL; probing widens until `limit` survive or every cell has been
// read. With one cell (a small library) the same path is an exact search.
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';
import { toBlob } from './vector-math.ts';
import type { CellHit, VecGeneration } from './vector-generation.ts';

/** SQL over `assets a`, as timelineFilterSql makes it ('lookup' form preferred: few rows are checked). */
export interface SearchFilter {
  where: string;
  params: (string | number)[];
}

export interface SearchOptions {
  limit: number;
  filter?: SearchFilter;
  excludeAssetId?: string;
  model?: string;
}

export interface SearchHit {
  assetId: string;
  /** Cosine similarity to the query. */
  score: number;
}

/** The query plan's constants, reported by stats(). */
export const SEARCH_PLAN = {
  /** Cells probed first for an unfiltered search. */
  nprobe: 16,
  /** A filter passing a share `p` of rows probes nprobe / sqrt(p) cells, at most this many times nprobe. */
  maxWiden: 4,
  /** vec0's largest k. */
  maxK: 4096,
  /** Filtered sets estimated at or below this many rows are always ranked exactly. */
  exactFilteredRows: 2_000,
  /** Measured costs the planner weighs (µs per row): exact scoring in SQL, a vec0 scan. */
  exactMicrosPerRow: 2.5,
  scanMicrosPerRow: 1.2,
  /** Random row ids drawn to estimate a filter's pass rate. */
  sampleSize: 1_024,
} as const;

const MAX_CACHED = 64;

export class VectorSearch {
  private readonly db: Sqlite;
  private readonly cache = new Map<string, Statement<unknown[]>>();
  private readonly boundsStmt: Statement<unknown[]>;

  constructor(db: Sqlite) {
    this.db = db;
    this.boundsStmt = db.prepare('SELECT min(row_id) AS lo, max(row_id) AS hi FROM smart_embeddings');
  }

  private stmt(sql: string): Statement<unknown[]> {
    let s = this.cache.get(sql);
    if (!s) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  /** `q` is unit length; `gen` is null when no generation holds vectors of its dimensions. */
  search(gen: VecGeneration | null, q: Float32Array, opts: SearchOptions): SearchHit[] {
    const limit = Math.floor(opts.limit);
    if (!(limit > 0)) return [];
    if (!gen) return this.exact(q, opts, limit);
    const rows = gen.rows;
    if (rows === 0) return [];
    const pass = opts.filter ? this.passRate(opts.filter) : 1;
    if (opts.filter && this.exactIsCheaper(gen, pass, rows, limit)) return this.exact(q, opts, limit);
    return this.probe(gen, q, opts, limit, Math.max(pass, 1 / rows));
  }

  /** Exact ranking in SQL over the rows the filter passes (every row of the query's size without one). */
  exact(q: Float32Array, opts: SearchOptions, limit: number): SearchHit[] {
    const from = opts.filter
      ? `assets a JOIN smart_embeddings s ON s.asset_id = a.id WHERE (${opts.filter.where}) AND`
      : 'smart_embeddings s WHERE';
    const extra = this.extraTerms(opts);
    const sql = `SELECT s.asset_id AS assetId, vec_distance_cosine(s.embedding, ?) AS distance FROM ${from}
      length(s.embedding) = ?${extra.sql} ORDER BY distance, s.row_id LIMIT ?`;
    const rows = this.stmt(sql).all(toBlob(q), ...(opts.filter?.params ?? []), q.length * 4, ...extra.params, limit) as
      { assetId: string; distance: number }[];
    return rows.map((r) => ({ assetId: r.assetId, score: 1 - r.distance }));
  }

  private extraTerms(opts: SearchOptions): { sql: string; params: string[] } {
    const sql: string[] = [];
    const params: string[] = [];
    if (opts.model !== undefined) {
      sql.push(' AND s.model = ?');
      params.push(opts.model);
    }
    if (opts.excludeAssetId !== undefined) {
      sql.push(' AND s.asset_id != ?');
      params.push(opts.excludeAssetId);
    }
    return { sql: sql.join(''), params };
  }

  /** The share of rows the filter passes, from random row ids (about 1 ms for 1,024). */
  private passRate(filter: SearchFilter): number {
    const { lo, hi } = this.boundsStmt.get() as { lo: number | null; hi: number | null };
    if (lo === null || hi === null) return 0;
    const ids = new Set<number>();
    const span = hi - lo + 1;
    for (let i = 0; i < SEARCH_PLAN.sampleSize; i++) ids.add(lo + Math.floor(Math.random() * span));
    const sql = `SELECT count(*) AS found, coalesce(sum(CASE WHEN (${filter.where}) THEN 1 ELSE 0 END), 0) AS passed
      FROM smart_embeddings s JOIN assets a ON a.id = s.asset_id WHERE s.row_id IN (SELECT value FROM json_each(?))`;
    const r = this.stmt(sql).get(...filter.params, JSON.stringify([...ids])) as { found: number; passed: number };
    // Nothing drawn (a sparse table): assume the filter is broad and let the probe find out.
    return r.found === 0 ? 1 : r.passed / r.found;
  }

  /** How many cells a search passing `pass` of the rows probes first. */
  private initialProbe(gen: VecGeneration, order: Int32Array, pass: number, want: number): number {
    const widen = Math.min(SEARCH_PLAN.maxWiden, 1 / Math.sqrt(pass));
    let probe = Math.min(gen.cells, Math.ceil(SEARCH_PLAN.nprobe * widen));
    // Enough rows that twice `want` of them are expected to pass.
    let reach = 0;
    for (let i = 0; i < probe; i++) reach += gen.sizes[order[i]!]!;
    while (probe < gen.cells && reach * pass < 2 * want) reach += gen.sizes[order[probe++]!]!;
    return probe;
  }

  /** Whether scoring every passing row costs less than the probe (by the measured per-row costs). */
  private exactIsCheaper(gen: VecGeneration, pass: number, rows: number, limit: number): boolean {
    const matching = pass * rows;
    if (matching <= SEARCH_PLAN.exactFilteredRows) return true;
    const widen = Math.min(SEARCH_PLAN.maxWiden, 1 / Math.sqrt(pass));
    const probed = Math.min(gen.cells, SEARCH_PLAN.nprobe * widen) * (rows / gen.cells);
    const scanned = Math.min(rows, Math.max(probed, (2 * limit) / pass));
    return matching * SEARCH_PLAN.exactMicrosPerRow <= scanned * SEARCH_PLAN.scanMicrosPerRow;
  }

  /** Which of `rowIds` pass the filter (and model, exclusion), with their asset ids. */
  private check(rowIds: number[], opts: SearchOptions, verdicts: Map<number, string | null>): void {
    const extra = this.extraTerms(opts);
    const sql = opts.filter
      ? `SELECT s.row_id AS rowId, s.asset_id AS assetId FROM smart_embeddings s JOIN assets a ON a.id = s.asset_id
        WHERE s.row_id IN (SELECT value FROM json_each(?)) AND (${opts.filter.where})${extra.sql}`
      : `SELECT s.row_id AS rowId, s.asset_id AS assetId FROM smart_embeddings s
        WHERE s.row_id IN (SELECT value FROM json_each(?))${extra.sql}`;
    const passed = this.stmt(sql).all(JSON.stringify(rowIds), ...(opts.filter?.params ?? []), ...extra.params) as
      { rowId: number; assetId: string }[];
    for (const id of rowIds) verdicts.set(id, null);
    for (const r of passed) verdicts.set(r.rowId, r.assetId);
  }

  /**
   * Searches the nearest cells, widening until `limit` rows pass or every cell has been read. The
   * two nearest cells are read `want / pass` deep (they usually hold most of the answer), the
   * others shallower; a cell whose allowance ran out before the answer was complete is read again
   * deeper. vec0's cost grows with k (1.3 µs a row at k = 10, 2.3 at k = 100, 3.9 at k = 400),
   * so deepening the few cells that need it costs less than reading every cell deep.
   */
  private probe(gen: VecGeneration, q: Float32Array, opts: SearchOptions, limit: number, pass: number): SearchHit[] {
    const qBlob = toBlob(q);
    const want = limit + (opts.excludeAssetId !== undefined ? 1 : 0);
    const order = gen.cellOrder(q);
    const verdicts = new Map<number, string | null>();
    const reads = new Map<number, CellHit[]>();
    const allowance = new Map<number, number>();
    const read = (cells: ArrayLike<number>, k: number): void => {
      for (let i = 0; i < cells.length; i++) {
        reads.set(cells[i]!, []);
        allowance.set(cells[i]!, k);
      }
      for (const hit of gen.knn(qBlob, cells, k)) reads.get(hit.cell)!.push(hit);
    };
    let probe = this.initialProbe(gen, order, pass, want);
    const deepK = Math.min(SEARCH_PLAN.maxK, Math.ceil(want / pass) + 8);
    const shallowK = Math.min(deepK, Math.ceil((2 * want) / pass / probe) + 8);
    const head = Math.min(2, probe);
    read(order.subarray(0, head), deepK);
    if (probe > head) read(order.subarray(head, probe), shallowK);
    for (;;) {
      const hits = [...reads.values()].flat().sort((a, b) => a.distance - b.distance || a.rowId - b.rowId);
      // Complete up to the nearest last row of any cell that gave all of its allowance.
      let bound = Infinity;
      for (const [cell, got] of reads) if (got.length >= allowance.get(cell)!) bound = Math.min(bound, got.at(-1)!.distance);
      const accepted = this.walk(hits, bound, limit, pass, opts, verdicts);
      if (accepted.length >= limit) return accepted.map(toHit);
      if (bound < Infinity) {
        // Deeper reads for the cells cut short before where `limit` is reached over all hits.
        const reach = this.walk(hits, Infinity, limit, pass, opts, verdicts);
        const horizon = reach.length >= limit ? reach[limit - 1]!.distance : Infinity;
        const deeper = [...reads].filter(([cell, got]) => got.length >= allowance.get(cell)! && got.at(-1)!.distance <= horizon).map(([cell]) => cell);
        const k = Math.min(SEARCH_PLAN.maxK, 4 * Math.max(...deeper.map((cell) => allowance.get(cell)!)));
        if (deeper.every((cell) => allowance.get(cell)! >= SEARCH_PLAN.maxK)) return this.exact(q, opts, limit);
        read(deeper, k);
        continue;
      }
      if (probe >= gen.cells) return accepted.map(toHit);
      const next = Math.min(gen.cells, probe * 2);
      read(order.subarray(probe, next), shallowK);
      probe = next;
    }
  }

  /** The passing hits nearest first, checking unchecked ones in batches, up to `limit` or `bound`. */
  private walk(
    hits: CellHit[], bound: number, limit: number, pass: number, opts: SearchOptions, verdicts: Map<number, string | null>,
  ): Accepted[] {
    const accepted: Accepted[] = [];
    for (let i = 0; i < hits.length && accepted.length < limit; i++) {
      const hit = hits[i]!;
      if (hit.distance > bound) break;
      if (!verdicts.has(hit.rowId)) {
        const batch = Math.max(64, Math.ceil(((limit - accepted.length) / pass) * 1.2) + 16);
        const ids: number[] = [];
        for (let j = i; j < hits.length && ids.length < batch && hits[j]!.distance <= bound; j++) {
          if (!verdicts.has(hits[j]!.rowId)) ids.push(hits[j]!.rowId);
        }
        this.check(ids, opts, verdicts);
      }
      const assetId = verdicts.get(hit.rowId);
      if (assetId) accepted.push({ assetId, distance: hit.distance });
    }
    return accepted;
  }
}

interface Accepted {
  assetId: string;
  distance: number;
}

function toHit(a: Accepted): SearchHit {
  return { assetId: a.assetId, score: 1 - a.distance };
}
