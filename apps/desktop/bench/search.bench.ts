// Smart search latency, excluding the text encoder: ClipVectorIndex over 100,000 and 1,000,000
// synthetic assets (createSyntheticLibrary) with clustered 512-d embeddings (1,000 Gaussian topics
// in 50 themes, topic sizes log-normal, seeded), 200 queries per filter, top 100. Targets: p95
// under 30 ms at 100,000 and under 100 ms at 1,000,000 with a filter applied. Recall@100 is
// measured against exact search done here in JS; the reference, in the same run on the same
// vectors, is sqlite-vec's own exact KNN (a vec0 float[512] table, full scan, no filter), so the
// figure is a ratio. BENCH_SEARCH_SIZES (e.g. "100000") picks the sizes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import type { TimelineFilter } from '@shoebox/core';
import { openCatalog, type Sqlite } from '../src/db/connection.ts';
import { timelineFilterSql } from '../src/repositories/timeline-filter.sql.ts';
import { ClipVectorIndex, type SearchFilter } from '../src/search/clip-vector-index.ts';
import { normaliseRows, seededRandom } from '../src/search/vector-math.ts';
import { latencyStats, round, type LatencyStats } from './bench-utils.ts';
import { createSyntheticLibrary } from './synthetic-library.ts';

const SIZES = (process.env.BENCH_SEARCH_SIZES ?? '100000,1000000').split(',').map(Number);
const TARGET_P95_MS: Record<number, number> = { 100_000: 30, 1_000_000: 100 };
const DIMS = 512;
const TOPICS = 1_000;
const THEMES = 50;
/** Per-dimension noise: an image sits at cosine ~0.6 from its topic's centre. */
const NOISE = 0.059;
const QUERIES = 200;
const WARMUP = 20;
const LIMIT = 100;
/** Slice budget given to maintain() while the index builds (its default). */
const SLICE_MS = 6;

const FILTERS: Record<string, TimelineFilter | null> = {
  none: null,
  /** About half the library: the last five of ten years, images only. */
  halfImages: { from: '2021-01-01', to: '2025-12-31', type: 'image' },
  /** One camera of five: a fifth of the library, through the exif table. */
  camera: { make: 'Canon' },
  /** One month of 120: the selective filter. */
  month: { from: '2023-03-01', to: '2023-03-31' },
};

/** Topic centres (unit) grouped under themes, with log-normal weights, and a table of Gaussian noise. */
class Topics {
  readonly centres = new Float32Array(TOPICS * DIMS);
  private readonly cumulative = new Float64Array(TOPICS);
  private readonly noise = new Float32Array(1 << 16);
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
    const gauss = (): number => Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random());
    this.noise.forEach((_, i, a) => (a[i] = gauss()));
    const themes = Float32Array.from({ length: THEMES * DIMS }, gauss);
    normaliseRows(themes, THEMES, DIMS);
    const own = new Float32Array(DIMS);
    let total = 0;
    for (let t = 0; t < TOPICS; t++) {
      const theme = Math.floor(this.random() * THEMES);
      own.forEach((_, i, a) => (a[i] = gauss()));
      normaliseRows(own, 1, DIMS);
      for (let i = 0; i < DIMS; i++) this.centres[t * DIMS + i] = 0.6 * themes[theme * DIMS + i]! + 0.8 * own[i]!;
      total += Math.exp(0.8 * gauss());
      this.cumulative[t] = total;
    }
    normaliseRows(this.centres, TOPICS, DIMS);
    this.cumulative.forEach((c, t, a) => (a[t] = c / total));
  }

  /** Writes a unit vector near a topic drawn by weight into `out` at `offset`. */
  fill(out: Float32Array, offset: number, noise: number): void {
    const u = this.random();
    let lo = 0;
    let hi = TOPICS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    let k = Math.floor(this.random() * 65536);
    const step = 1 + 2 * Math.floor(this.random() * 30000);
    for (let i = 0; i < DIMS; i++, k = (k + step) & 65535) out[offset + i] = this.centres[lo * DIMS + i]! + noise * this.noise[k]!;
    normaliseRows(out.subarray(offset, offset + DIMS), 1, DIMS);
  }
}

/** Writes one embedding per asset, straight into smart_embeddings (the index is built after). */
function writeEmbeddings(sqlite: Sqlite, topics: Topics): { ids: string[]; data: Float32Array } {
  const ids = sqlite.prepare('SELECT id FROM assets ORDER BY rowid').pluck().all() as string[];
  const data = new Float32Array(ids.length * DIMS);
  const insert = sqlite.prepare(`INSERT INTO smart_embeddings (asset_id, model, embedding) VALUES (?, 'bench-clip', ?)`);
  sqlite.transaction(() => {
    ids.forEach((id, j) => {
      topics.fill(data, j * DIMS, NOISE);
      insert.run(id, Buffer.from(data.buffer, j * DIMS * 4, DIMS * 4));
    });
  })();
  return { ids, data };
}

/** Builds the index with maintain() slices: the time spent, how long slices took, by phase. */
function buildIndex(index: ClipVectorIndex): Record<string, unknown> {
  const started = performance.now();
  const phases: Record<string, { ms: number; slices: number; longestMs: number }> = {};
  const all: number[] = [];
  for (;;) {
    const phase = index.building()?.phase ?? 'plan';
    const t = performance.now();
    const more = index.maintain(SLICE_MS);
    const ms = performance.now() - t;
    const p = (phases[phase] ??= { ms: 0, slices: 0, longestMs: 0 });
    p.ms += ms;
    p.slices++;
    p.longestMs = Math.max(p.longestMs, ms);
    all.push(ms);
    if (!more) break;
  }
  all.sort((a, b) => a - b);
  const byPhase = Object.fromEntries(Object.entries(phases).map(([k, p]) => [k, { ms: round(p.ms), slices: p.slices, longestMs: round(p.longestMs) }]));
  return {
    ms: round(performance.now() - started), sliceBudgetMs: SLICE_MS, slices: all.length,
    sliceMs: { p50: round(all[Math.floor(all.length * 0.5)]!), p99: round(all[Math.floor(all.length * 0.99)]!), max: round(all.at(-1)!) },
    slicesOver16Ms: all.filter((ms) => ms > 16).length, phases: byPhase,
  };
}

/** Exact top `LIMIT` positions per filter (mask) for a query, by a scan of every vector. */
function exactTop(data: Float32Array, q: Float32Array, masks: (Uint8Array | null)[]): number[][] {
  const n = data.length / DIMS;
  const tops = masks.map(() => ({ ids: [] as number[], scores: [] as number[], floor: -Infinity }));
  for (let j = 0; j < n; j++) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0, o = j * DIMS; i < DIMS; i += 4, o += 4) {
      s0 += q[i]! * data[o]!;
      s1 += q[i + 1]! * data[o + 1]!;
      s2 += q[i + 2]! * data[o + 2]!;
      s3 += q[i + 3]! * data[o + 3]!;
    }
    const s = s0 + s1 + s2 + s3;
    for (let f = 0; f < masks.length; f++) {
      const top = tops[f]!;
      const mask = masks[f];
      if (s <= top.floor || (mask && !mask[j])) continue;
      let at = top.ids.length;
      while (at > 0 && top.scores[at - 1]! < s) at--;
      top.ids.splice(at, 0, j);
      top.scores.splice(at, 0, s);
      if (top.ids.length > LIMIT) {
        top.ids.pop();
        top.scores.pop();
      }
      if (top.ids.length === LIMIT) top.floor = top.scores[LIMIT - 1]!;
    }
  }
  return tops.map((t) => t.ids);
}

/** sqlite-vec's exact KNN on the same vectors: a plain vec0 table, full scan, no filter. */
function reference(dir: string, data: Float32Array, queries: Float32Array, count: number): { insertMs: number; ms: LatencyStats } {
  const db = new Database(path.join(dir, 'reference.db'));
  try {
    sqliteVec.load(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -32000');
    db.exec('CREATE VIRTUAL TABLE ref USING vec0(embedding float[512] distance_metric=cosine)');
    const insert = db.prepare('INSERT INTO ref (rowid, embedding) VALUES (?, ?)');
    const started = performance.now();
    db.transaction(() => {
      for (let j = 0; j < data.length / DIMS; j++) insert.run(BigInt(j + 1), Buffer.from(data.buffer, j * DIMS * 4, DIMS * 4));
    })();
    const insertMs = performance.now() - started;
    const knn = db.prepare('SELECT rowid, distance FROM ref WHERE embedding MATCH ? AND k = ?');
    const blob = (i: number): Buffer => Buffer.from(queries.buffer, i * DIMS * 4, DIMS * 4);
    knn.all(blob(0), LIMIT);
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      knn.all(blob(i), LIMIT);
      samples.push(performance.now() - t);
    }
    return { insertMs: round(insertMs), ms: latencyStats(samples) };
  } finally {
    db.close();
  }
}

const fileMb = (file: string): number => round(fs.statSync(file).size / 2 ** 20, 0);

async function benchSize(size: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-search-'));
  let sqlite: Sqlite | undefined;
  try {
    let t = performance.now();
    const library = await createSyntheticLibrary(path.join(dir, 'data'), { assets: size, seed: 7 });
    const libraryMs = performance.now() - t;
    const catalog = openCatalog(library.dataDir);
    sqlite = catalog.sqlite;
    const dbFile = path.join(library.dataDir, 'library.db');
    const topics = new Topics(11);
    t = performance.now();
    const { ids, data } = writeEmbeddings(sqlite, topics);
    const embeddingsMs = performance.now() - t;
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const catalogMb = fileMb(dbFile);

    const index = new ClipVectorIndex(sqlite);
    const build = buildIndex(index);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const indexStats = index.stats();

    // Queries: half like an image of a topic, half blurrier (as a text query would be).
    const queries = new Float32Array(QUERIES * DIMS);
    for (let i = 0; i < QUERIES; i++) topics.fill(queries, i * DIMS, i % 2 === 0 ? NOISE : NOISE * 1.5);
    const position = new Map(ids.map((id, j) => [id, j]));
    const filters = Object.entries(FILTERS).map(([name, f]) => {
      const sql: SearchFilter | undefined = f ? timelineFilterSql(f, 'lookup') : undefined;
      const passing = sql ? (sqlite!.prepare(`SELECT a.id FROM assets a WHERE ${sql.where}`).pluck().all(...sql.params) as string[]) : null;
      const mask = passing ? new Uint8Array(ids.length) : null;
      for (const id of passing ?? []) mask![position.get(id)!] = 1;
      return { name, sql, mask, matching: passing?.length ?? ids.length };
    });

    const recallQueries = size >= 1_000_000 ? 30 : 60;
    const results = new Map<string, string[][]>();
    const latency: Record<string, Record<string, unknown>> = {};
    for (const f of filters) {
      const q = (i: number): Float32Array => queries.subarray(i * DIMS, (i + 1) * DIMS);
      for (let i = 0; i < WARMUP; i++) index.search(q(QUERIES - 1 - i), { limit: LIMIT, filter: f.sql });
      const samples: number[] = [];
      const got: string[][] = [];
      for (let i = 0; i < QUERIES; i++) {
        const started = performance.now();
        const hits = index.search(q(i), { limit: LIMIT, filter: f.sql });
        samples.push(performance.now() - started);
        if (i < recallQueries) got.push(hits.map((h) => h.assetId));
      }
      results.set(f.name, got);
      const ms = latencyStats(samples);
      const target = f.sql ? TARGET_P95_MS[size] : undefined;
      latency[f.name] = { matchingAssets: f.matching, ms, ...(target ? { targetP95Ms: target, pass: ms.p95 < target } : {}) };
    }

    t = performance.now();
    const recallSum = new Map<string, number>();
    for (let i = 0; i < recallQueries; i++) {
      const truth = exactTop(data, queries.subarray(i * DIMS, (i + 1) * DIMS), filters.map((f) => f.mask));
      filters.forEach((f, fi) => {
        const want = new Set(truth[fi]!.map((j) => ids[j]!));
        const found = results.get(f.name)![i]!.filter((id) => want.has(id)).length;
        recallSum.set(f.name, (recallSum.get(f.name) ?? 0) + found / Math.max(1, want.size));
      });
    }
    for (const f of filters) latency[f.name]!.recallAt100 = round(recallSum.get(f.name)! / recallQueries, 3);
    const exactJsMs = (performance.now() - t) / recallQueries;

    // Incremental upserts (a replaced embedding goes to its nearest cell), each its own transaction.
    const upserts: number[] = [];
    const v = new Float32Array(DIMS);
    for (let i = 0; i < 200; i++) {
      topics.fill(v, 0, NOISE);
      const started = performance.now();
      index.upsert(ids[(i * 7919) % ids.length]!, 'bench-clip', v);
      upserts.push(performance.now() - started);
    }
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const indexedMb = fileMb(dbFile);

    const refCount = size >= 1_000_000 ? 10 : 30;
    const ref = reference(dir, data, queries, refCount);
    const none = latency.none!.ms as LatencyStats;
    return {
      assets: library.assets,
      libraryBuildMs: round(libraryMs),
      embeddingsWriteMs: round(embeddingsMs),
      catalogMbBeforeIndex: catalogMb,
      catalogMbWithIndex: indexedMb,
      index: { mode: indexStats.mode, cells: indexStats.cells, rows: indexStats.indexedRows, plan: indexStats.plan },
      build,
      queriesPerFilter: QUERIES,
      recallQueries,
      search: latency,
      upsertMs: latencyStats(upserts),
      exactJsScanMsPerQuery: round(exactJsMs),
      reference: {
        what: 'sqlite-vec vec0 float[512] cosine, exact full scan, k = 100, no filter',
        queries: refCount,
        insertMs: ref.insertMs,
        ms: ref.ms,
        speedupP50: round(ref.ms.p50 / Math.max(none.p50, 0.001)),
        speedupP95: round(ref.ms.p95 / Math.max(none.p95, 0.001)),
      },
    };
  } finally {
    sqlite?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function searchBench(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { dims: DIMS, topics: TOPICS, limit: LIMIT };
  for (const size of SIZES) {
    process.stderr.write(`  search: ${size} assets...\n`);
    out[String(size)] = await benchSize(size);
  }
  return out;
}
