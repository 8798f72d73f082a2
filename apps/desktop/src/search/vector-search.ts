// How a search runs. A filter's share of the library is estimated from 256 random assets; when
// few rows pass, or scoring them all costs less than probing, they are ranked exactly (their
// blobs scored by sqlite-vec's vec_distance_cosine in SQL: 2.5 µs a row with the join, against
// 4.2 µs for the same blobs scored in JS once better-sqlite3 has made a Buffer of each).
// Otherwise the nearest cells are read (vec0 KNN, one statement per cell: 1.5 µs a row at
// 100,000 rows, 2.7 at 1,000,000 where fewer pages are cached) and the candidates, nearest first,
// are checked against the filter through the generation's small rows table. With one cell (a
// small library) the same path is an exact search.
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
  /**
   * Rows probed first: this many times the square root of the rows (8,000 at 1,000,000), nearest
   * cells first; on clustered data that finds 0.98 of the exact top 100. A
   * filter passing a share p of rows multiplies it by p^-0.6, as its answer lies deeper (at p =
   * 0.2, p^-0.5 found 0.949 and p^-0.6 0.961).
   */
  probeRowsPerSqrt: 8,
  /**
   * ...and never fewer than this (so 3,000 up to 140,000 rows): in a small library the top 100
   * spans a larger share of it (at 12,000 rows, 1,100 rows probed found 0.91, 3,000 found 0.97).
   */
  minProbeRows: 3_000,
  /**
   * While the outermost cells read still give part of the answer (a query between clusters),
   * half as many rows again are read, up to this many times the first probe.
   */
  maxWiden: 2,
  /** vec0's largest k. */
  maxK: 4096,
  /** Filtered sets estimated at or below this many rows are always ranked exactly. */
  exactFilteredRows: 2_000,
  /** Measured costs the planner weighs (µs per row, catalog defaults): exact scoring in SQL, a vec0 scan. */
  exactMicrosPerRow: 2.5,
  scanMicrosPerRow: 1.8,
  /** Random assets drawn to estimate a filter's pass rate (0.3 ms for 64 at 100,000, warm). */
  sampleSize: 256,
} as const;

const MAX_CACHED = 64;

export class VectorSearch {
  private readonly db: Sqlite;
  private readonly cache = new Map<string, Statement<unknown[]>>();
  private readonly boundsStmt: Statement<unknown[]>;

  constructor(db: Sqlite) {
    this.db = db;
    // Two subqueries: min() and max() in one select read the whole table (5 ms at 100,000).
    this.boundsStmt = db.prepare(`SELECT (SELECT rowid FROM assets ORDER BY rowid LIMIT 1) AS lo,
      (SELECT rowid FROM assets ORDER BY rowid DESC LIMIT 1) AS hi`);
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

  /**
   * `q` is unit length; `gen` is null when no generation holds vectors of its dimensions.
   * `behind` says changes are waiting to be applied: candidates are then checked against
   * smart_embeddings too, so that a deleted embedding is not returned.
   */
  search(gen: VecGeneration | null, q: Float32Array, opts: SearchOptions, behind: boolean): SearchHit[] {
    const limit = Math.floor(opts.limit);
    if (!(limit > 0)) return [];
    if (!gen) return this.exact(q, opts, limit);
    const rows = gen.rows;
    if (rows === 0) return [];
    const sample = opts.filter ? this.passRate(opts.filter) : { found: 1, passed: 1 };
    if (opts.filter && this.exactIsCheaper(sample, rows, limit)) return this.exact(q, opts, limit);
    return this.probe(gen, q, opts, limit, sample, behind);
  }

  /** Exact ranking in SQL over the rows the filter passes (every row of the query's size without one). */
  exact(q: Float32Array, opts: SearchOptions, limit: number): SearchHit[] {
    const from = opts.filter
      ? `assets a JOIN smart_embeddings s ON s.asset_id = a.id WHERE (${opts.filter.where}) AND`
      : 'smart_embeddings s WHERE';
    const extra = this.extraTerms(opts, 's');
    const sql = `SELECT s.asset_id AS assetId, vec_distance_cosine(s.embedding, ?) AS distance FROM ${from}
      length(s.embedding) = ?${extra.sql} ORDER BY distance, s.row_id LIMIT ?`;
    const rows = this.stmt(sql).all(toBlob(q), ...(opts.filter?.params ?? []), q.length * 4, ...extra.params, limit) as
      { assetId: string; distance: number }[];
    return rows.map((r) => ({ assetId: r.assetId, score: 1 - r.distance }));
  }

  /** The model and exclusion terms, over a table aliased `alias` with asset_id and model columns. */
  private extraTerms(opts: SearchOptions, alias: string): { sql: string; params: string[] } {
    const sql: string[] = [];
    const params: string[] = [];
    if (opts.model !== undefined) {
      sql.push(` AND ${alias}.model = ?`);
      params.push(opts.model);
    }
    if (opts.excludeAssetId !== undefined) {
      sql.push(` AND ${alias}.asset_id != ?`);
      params.push(opts.excludeAssetId);
    }
    return { sql: sql.join(''), params };
  }

  /**
   * The share of assets the filter passes, from random assets (1 to 4 ms for 512 from a cold
   * cache; drawing embeddings instead reads their 2 KB rows and took twice as long).
   */
  private passRate(filter: SearchFilter): { found: number; passed: number } {
    const { lo, hi } = this.boundsStmt.get() as { lo: number | null; hi: number | null };
    if (lo === null || hi === null) return { found: 0, passed: 0 };
    const ids = new Set<number>();
    const span = hi - lo + 1;
    for (let i = 0; i < SEARCH_PLAN.sampleSize; i++) ids.add(lo + Math.floor(Math.random() * span));
    const sql = `SELECT count(*) AS found, coalesce(sum(CASE WHEN (${filter.where}) THEN 1 ELSE 0 END), 0) AS passed
      FROM assets a WHERE a.rowid IN (SELECT value FROM json_each(?))`;
    const r = this.stmt(sql).get(...filter.params, JSON.stringify([...ids])) as { found: number; passed: number };
    // Nothing drawn (a sparse table): assume the filter is broad and let the probe find out.
    return r.found === 0 ? { found: 1, passed: 1 } : r;
  }

  /**
   * Whether scoring every passing row costs less than the probe, by the measured per-row costs
   * (ranking exactly also evaluates the filter over the library: a camera does so through exif,
   * 160 ms at 100,000 assets, which is why a sample of 256 and not fewer decides).
   */
  private exactIsCheaper(counts: { found: number; passed: number }, rows: number, limit: number): boolean {
    const pass = Math.max(counts.passed / Math.max(1, counts.found), 1 / rows);
    const matching = pass * rows;
    if (matching <= SEARCH_PLAN.exactFilteredRows) return true;
    const scanned = Math.min(rows, Math.max(this.budget(rows, pass), (2 * limit) / pass));
    return matching * SEARCH_PLAN.exactMicrosPerRow <= scanned * SEARCH_PLAN.scanMicrosPerRow;
  }

  /** Rows a probe reads first. */
  private budget(rows: number, pass: number): number {
    return Math.max(SEARCH_PLAN.minProbeRows, SEARCH_PLAN.probeRowsPerSqrt * Math.sqrt(rows)) / pass ** 0.6;
  }

  /** Which of `rowIds` pass the filter (and model, exclusion), with their asset ids. */
  private check(gen: VecGeneration, rowIds: number[], opts: SearchOptions, behind: boolean, verdicts: Map<number, string | null>): void {
    const extra = this.extraTerms(opts, 'r');
    const live = behind ? ' JOIN smart_embeddings s ON s.row_id = r.row_id AND s.asset_id = r.asset_id' : '';
    const sql = `SELECT r.row_id AS rowId, r.asset_id AS assetId FROM ${gen.rowsTable} r${live} JOIN assets a ON a.id = r.asset_id
      WHERE r.row_id IN (SELECT value FROM json_each(?))${opts.filter ? ` AND (${opts.filter.where})` : ''}${extra.sql}`;
    const passed = this.stmt(sql).all(JSON.stringify(rowIds), ...(opts.filter?.params ?? []), ...extra.params) as
      { rowId: number; assetId: string }[];
    for (const id of rowIds) verdicts.set(id, null);
    for (const r of passed) verdicts.set(r.rowId, r.assetId);
    this.checked += rowIds.length;
    this.passed += passed.length;
  }

  /** Candidates checked and passed during the current search: they refine the sampled pass rate. */
  private checked = 0;
  private passed = 0;

  /**
   * Searches the nearest cells until the budget (or enough rows to expect twice `want` to pass
   * the filter) has been read, then widens while the outermost cells read still give
   * part of the answer (a query between clusters), and until `limit` pass or every cell is read.
   * The two nearest cells are read `want / pass` deep (they usually hold most of the answer), the
   * others shallower; a cell whose allowance ran out before the answer was complete is read again
   * deeper.
   */
  private probe(
    gen: VecGeneration, q: Float32Array, opts: SearchOptions, limit: number, sample: { found: number; passed: number }, behind: boolean,
  ): SearchHit[] {
    const qBlob = toBlob(q);
    const want = limit + (opts.excludeAssetId !== undefined ? 1 : 0);
    const rows = gen.rows;
    const order = gen.cellOrder(q);
    const rank = new Int32Array(gen.cells);
    order.forEach((cell, i) => (rank[cell] = i));
    const verdicts = new Map<number, string | null>();
    this.checked = 0;
    this.passed = 0;
    // The sampled pass rate, refined by every candidate checked.
    const pass = (): number => Math.max((sample.passed + this.passed) / (sample.found + this.checked), 1 / rows);
    const reads = new Map<number, Hit[]>();
    const allowance = new Map<number, number>();
    let probe = 0;
    let scanned = 0;
    /** Reads cells in probe order until `rowsMore` more rows have been read (at least one cell). */
    const readOn = (rowsMore: number, k: number): number => {
      const start = probe;
      const until = scanned + rowsMore;
      while (probe < gen.cells && (probe === start || scanned < until)) {
        const cell = order[probe]!;
        reads.set(cell, gen.knn(qBlob, cell, k).map((h) => ({ ...h, rank: probe })));
        allowance.set(cell, k);
        scanned += gen.sizes[cell]!;
        probe++;
      }
      return start;
    };
    const walk = (hits: Hit[], bound: number): Accepted[] => this.walk(gen, hits, bound, limit, pass(), opts, behind, verdicts);
    const budget = Math.max(this.budget(rows, pass()), (2 * want) / pass());
    const deepK = Math.min(SEARCH_PLAN.maxK, Math.ceil(want / pass()) + 8);
    const shallowK = (): number => Math.min(SEARCH_PLAN.maxK, Math.ceil((2 * want) / pass() / Math.max(1, probe)) + 8);
    readOn(1, deepK);
    if (probe < gen.cells) readOn(1, deepK);
    readOn(budget - scanned, shallowK());
    let outerFrom = Math.floor(probe / 2);
    for (;;) {
      const hits = [...reads.values()].flat().sort((a, b) => a.distance - b.distance || a.rowId - b.rowId);
      // Complete up to the nearest last row of any cell that gave all of its allowance.
      let bound = Infinity;
      for (const [cell, got] of reads) if (got.length >= allowance.get(cell)!) bound = Math.min(bound, got.at(-1)!.distance);
      const accepted = walk(hits, bound);
      // A filter rarer than the sample said: rank what passes exactly once that is cheaper.
      const counts = { found: sample.found + this.checked, passed: sample.passed + this.passed };
      if (opts.filter && this.checked >= 256 && this.exactIsCheaper(counts, rows, limit)) return this.exact(q, opts, limit);
      if (accepted.length >= limit) {
        const spreading = accepted.some((a) => a.rank >= outerFrom);
        if (!spreading || probe >= gen.cells || scanned >= budget * SEARCH_PLAN.maxWiden) return accepted.map(toHit);
        outerFrom = readOn(budget / 2, shallowK());
        continue;
      }
      if (bound < Infinity) {
        // Deeper reads for the cells cut short before where `limit` is reached over all hits.
        const reach = walk(hits, Infinity);
        const horizon = reach.length >= limit ? reach[limit - 1]!.distance : Infinity;
        const deeper = [...reads].filter(([cell, got]) => got.length >= allowance.get(cell)! && got.at(-1)!.distance <= horizon).map(([cell]) => cell);
        if (deeper.every((cell) => allowance.get(cell)! >= SEARCH_PLAN.maxK)) return this.exact(q, opts, limit);
        const k = Math.min(SEARCH_PLAN.maxK, 4 * Math.max(...deeper.map((cell) => allowance.get(cell)!)));
        for (const cell of deeper) {
          reads.set(cell, gen.knn(qBlob, cell, k).map((h) => ({ ...h, rank: rank[cell]! })));
          allowance.set(cell, k);
        }
        continue;
      }
      if (probe >= gen.cells) return accepted.map(toHit);
      outerFrom = readOn(scanned, shallowK());
    }
  }

  /** The passing hits nearest first, checking unchecked ones in batches, up to `limit` or `bound`. */
  private walk(
    gen: VecGeneration, hits: Hit[], bound: number, limit: number, pass: number, opts: SearchOptions, behind: boolean,
    verdicts: Map<number, string | null>,
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
        this.check(gen, ids, opts, behind, verdicts);
      }
      const assetId = verdicts.get(hit.rowId);
      if (assetId) accepted.push({ assetId, distance: hit.distance, rank: hit.rank });
    }
    return accepted;
  }
}

/** A KNN hit with the rank of its cell in the probe order. */
interface Hit extends CellHit {
  rank: number;
}

interface Accepted {
  assetId: string;
  distance: number;
  rank: number;
}

function toHit(a: Accepted): SearchHit {
  return { assetId: a.assetId, score: 1 - a.distance };
}
