// ClipVectorIndex on a real catalog (the engine's migrations, sqlite-vec loaded): exact answers on
// small libraries, filters from timelineFilterSql, exclusion, deletes (including by cascade from a
// connection without sqlite-vec), replacement, and recall against exact search once maintain()
// has trained cells over a clustered library.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineFilter } from '@shoebox/core';
import { openCatalog, type Catalog } from '../src/db/connection.ts';
import { timelineFilterSql } from '../src/repositories/timeline-filter.sql.ts';
import { ClipVectorIndex, type SearchHit } from '../src/search/clip-vector-index.ts';
import { normaliseRows, seededRandom } from '../src/search/vector-math.ts';

const MODEL = 'test-clip';
const open: { catalog: Catalog; dir: string }[] = [];

afterEach(() => {
  for (const { catalog, dir } of open.splice(0)) {
    catalog.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

interface AssetSpec {
  type?: 'image' | 'video';
  /** Local capture time, `YYYY-MM-DDTHH:MM:SS`. */
  taken?: string;
  favorite?: boolean;
  make?: string;
}

/** A catalog with a library root and `specs.length` timeline-visible assets; returns their ids. */
function library(specs: AssetSpec[]): { catalog: Catalog; ids: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-clip-index-'));
  const catalog = openCatalog(dir);
  open.push({ catalog, dir });
  const { sqlite } = catalog;
  const now = Date.now();
  const insert = sqlite.prepare(`INSERT INTO assets (id, root_id, path, dir, file_name, size, mtime_ms, checksum, type, status,
    taken_local, taken_utc_ms, tz_offset_min, taken_source, month, is_favorite, created_at, updated_at)
    VALUES (@id, 'root', @path, '/photos', @name, 1000, @ms, @id, @type, 'ok', @taken, @ms, 0, 'offset', @month, @favorite, @now, @now)`);
  const exif = sqlite.prepare('INSERT INTO exif (asset_id, make, model) VALUES (?, ?, ?)');
  const ids = specs.map((_, i) => `asset-${String(i).padStart(6, '0')}`);
  sqlite.transaction(() => {
    sqlite.prepare(`INSERT INTO library_roots (id, path, created_at) VALUES ('root', '/photos', ?)`).run(now);
    specs.forEach((spec, i) => {
      const taken = spec.taken ?? '2024-05-01T12:00:00';
      insert.run({
        id: ids[i], path: `/photos/${ids[i]}.jpg`, name: `${ids[i]}.jpg`, ms: Date.parse(`${taken}Z`), type: spec.type ?? 'image',
        taken, month: `${taken.slice(0, 7)}-01`, favorite: spec.favorite ? 1 : 0, now,
      });
      if (spec.make) exif.run(ids[i], spec.make, `${spec.make} model`);
    });
  })();
  return { catalog, ids };
}

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `count` random vectors of `dims` (not normalised: the index normalises). */
function randomVectors(count: number, dims: number, seed: number): Float32Array[] {
  const g = gaussian(seededRandom(seed));
  return Array.from({ length: count }, () => Float32Array.from({ length: dims }, g));
}

/** Vectors around `topics` random centres, and one query near each centre. */
function clustered(count: number, topics: number, seed: number, noise: number): { vectors: Float32Array[]; queries: Float32Array[] } {
  const random = seededRandom(seed);
  const g = gaussian(random);
  const centres = Array.from({ length: topics }, () => {
    const c = Float32Array.from({ length: 512 }, g);
    normaliseRows(c, 1, 512);
    return c;
  });
  const near = (c: Float32Array): Float32Array => {
    const v = Float32Array.from(c, (x) => x + noise * g());
    normaliseRows(v, 1, 512);
    return v;
  };
  return { vectors: Array.from({ length: count }, () => near(centres[Math.floor(random() * topics)]!)), queries: centres.map(near) };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** Brute force: the `limit` ids most similar to `q` among `candidates`. */
function bruteForce(q: Float32Array, vectors: Map<string, Float32Array>, limit: number, candidates?: Set<string>): SearchHit[] {
  return [...vectors]
    .filter(([id]) => !candidates || candidates.has(id))
    .map(([assetId, v]) => ({ assetId, score: cosine(q, v) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

function matching(catalog: Catalog, filter: TimelineFilter): Set<string> {
  const sql = timelineFilterSql(filter, 'lookup');
  return new Set(catalog.sqlite.prepare(`SELECT a.id FROM assets a WHERE ${sql.where}`).pluck().all(...sql.params) as string[]);
}

function expectSameRanking(got: SearchHit[], want: SearchHit[]): void {
  expect(got.map((h) => h.assetId)).toEqual(want.map((h) => h.assetId));
  got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 5));
}

function recall(got: SearchHit[], want: SearchHit[]): number {
  const ids = new Set(want.map((h) => h.assetId));
  return got.filter((h) => ids.has(h.assetId)).length / want.length;
}

describe('ClipVectorIndex', () => {
  it('returns nothing from an empty index, and has nothing to maintain', () => {
    const { catalog } = library([{}, {}]);
    const index = new ClipVectorIndex(catalog.sqlite);
    expect(index.search(randomVectors(1, 512, 1)[0]!, { limit: 10 })).toEqual([]);
    expect(index.count()).toBe(0);
    expect(index.maintain()).toBe(false);
    expect(index.stats()).toMatchObject({ rows: 0, mode: 'none', cells: 0 });
  });

  it('ranks a small library exactly, as brute force does', () => {
    const { catalog, ids } = library(Array.from({ length: 400 }, () => ({})));
    const index = new ClipVectorIndex(catalog.sqlite);
    const vectors = new Map(ids.map((id, i) => [id, randomVectors(1, 512, 100 + i)[0]!]));
    for (const [id, v] of vectors) index.upsert(id, MODEL, v);
    expect(index.count()).toBe(400);
    expect(index.stats()).toMatchObject({ mode: 'exact', cells: 1, indexedRows: 400 });
    for (const q of randomVectors(5, 512, 7)) expectSameRanking(index.search(q, { limit: 25 }), bruteForce(q, vectors, 25));
    // Stored normalised, returned as stored.
    const stored = index.get(ids[0]!)!;
    expect(Math.hypot(...stored)).toBeCloseTo(1, 5);
    expect(cosine(stored, vectors.get(ids[0]!)!)).toBeCloseTo(1, 5);
    expect(index.get('missing')).toBeNull();
  });

  it('respects filters: type, dates, favourites, camera and a selective month', () => {
    const specs: AssetSpec[] = Array.from({ length: 600 }, (_, i) => ({
      type: i % 3 === 0 ? 'video' : 'image',
      taken: `${2020 + (i % 5)}-${String(1 + (i % 12)).padStart(2, '0')}-10T10:00:00`,
      favorite: i % 7 === 0,
      make: i % 4 === 0 ? 'Canon' : 'Apple',
    }));
    const { catalog, ids } = library(specs);
    const index = new ClipVectorIndex(catalog.sqlite);
    const vectors = new Map(ids.map((id, i) => [id, randomVectors(1, 512, 1000 + i)[0]!]));
    for (const [id, v] of vectors) index.upsert(id, MODEL, v);
    const filters: TimelineFilter[] = [
      { type: 'video' },
      { from: '2022-01-01', to: '2023-12-31' },
      { favorite: true },
      { make: 'canon' },
      { from: '2021-02-01', to: '2021-02-28' },
    ];
    for (const filter of filters) {
      const allowed = matching(catalog, filter);
      expect(allowed.size).toBeGreaterThan(0);
      for (const q of randomVectors(3, 512, 77)) {
        const got = index.search(q, { limit: 30, filter: timelineFilterSql(filter, 'lookup') });
        expect(got.every((h) => allowed.has(h.assetId))).toBe(true);
        expectSameRanking(got, bruteForce(q, vectors, 30, allowed));
      }
    }
    // The month holds ten assets: all of them, however large the limit.
    const month = timelineFilterSql({ from: '2021-02-01', to: '2021-02-28' }, 'lookup');
    expect(index.search(randomVectors(1, 512, 5)[0]!, { limit: 100, filter: month })).toHaveLength(10);
  });

  it('leaves out the excluded asset, and other models when asked', () => {
    const { catalog, ids } = library(Array.from({ length: 50 }, () => ({})));
    const index = new ClipVectorIndex(catalog.sqlite);
    const vectors = randomVectors(50, 512, 3);
    ids.forEach((id, i) => index.upsert(id, i < 10 ? 'other-model' : MODEL, vectors[i]!));
    const self = index.search(vectors[20]!, { limit: 5 });
    expect(self[0]).toMatchObject({ assetId: ids[20] });
    expect(self[0]!.score).toBeCloseTo(1, 5);
    const similar = index.search(vectors[20]!, { limit: 5, excludeAssetId: ids[20] });
    expect(similar).toHaveLength(5);
    expect(similar.map((h) => h.assetId)).not.toContain(ids[20]);
    expect(similar[0]!.assetId).toBe(self[1]!.assetId);
    const sameModel = index.search(vectors[3]!, { limit: 50, model: MODEL });
    expect(sameModel).toHaveLength(40);
    expect(sameModel.map((h) => h.assetId)).not.toContain(ids[3]);
  });

  it('forgets deleted assets, whether removed, cascaded, or deleted by a connection without sqlite-vec', () => {
    const { catalog, ids } = library(Array.from({ length: 30 }, () => ({})));
    const index = new ClipVectorIndex(catalog.sqlite);
    const vectors = randomVectors(30, 512, 9);
    ids.forEach((id, i) => index.upsert(id, MODEL, vectors[i]!));
    const top = (i: number): string | undefined => index.search(vectors[i]!, { limit: 1 })[0]?.assetId;
    expect(top(0)).toBe(ids[0]);

    index.remove([ids[0]!]);
    expect(top(0)).not.toBe(ids[0]);
    expect(index.get(ids[0]!)).toBeNull();

    catalog.sqlite.prepare('DELETE FROM assets WHERE id = ?').run(ids[1]);
    expect(top(1)).not.toBe(ids[1]);

    // Another connection, as a worker or the CLI would open the catalog, without the extension.
    const other = new Database(path.join(open.at(-1)!.dir, 'library.db'));
    other.pragma('foreign_keys = ON');
    other.prepare('DELETE FROM assets WHERE id = ?').run(ids[2]);
    other.close();
    expect(index.stats().pendingChanges).toBe(1);
    expect(top(2)).not.toBe(ids[2]);
    expect(index.stats()).toMatchObject({ pendingChanges: 0, rows: 27, indexedRows: 27 });
    expect(index.search(vectors[5]!, { limit: 100 })).toHaveLength(27);
  });

  it('replaces an asset\'s embedding on upsert', () => {
    const { catalog, ids } = library(Array.from({ length: 20 }, () => ({})));
    const index = new ClipVectorIndex(catalog.sqlite);
    const vectors = randomVectors(21, 512, 4);
    ids.forEach((id, i) => index.upsert(id, MODEL, vectors[i]!));
    index.upsert(ids[0]!, 'newer-model', vectors[20]!);
    expect(index.count()).toBe(20);
    expect(cosine(index.get(ids[0]!)!, vectors[20]!)).toBeCloseTo(1, 5);
    expect(index.search(vectors[20]!, { limit: 1 })[0]).toMatchObject({ assetId: ids[0] });
    // Its old vector no longer finds it: it scores as the new one does.
    const old = index.search(vectors[0]!, { limit: 20 }).find((h) => h.assetId === ids[0])!;
    expect(old.score).toBeCloseTo(cosine(vectors[0]!, vectors[20]!), 5);
    expect(index.search(vectors[20]!, { limit: 20, model: MODEL }).map((h) => h.assetId)).not.toContain(ids[0]);
  });

  it('trains cells once the library grows, and keeps recall above 0.95 against exact search', () => {
    const count = 40_000;
    const specs: AssetSpec[] = Array.from({ length: count }, (_, i) => ({
      type: i % 10 === 0 ? 'video' : 'image',
      taken: `${2016 + (i % 10)}-${String(1 + (i % 12)).padStart(2, '0')}-15T09:00:00`,
    }));
    const { catalog, ids } = library(specs);
    const index = new ClipVectorIndex(catalog.sqlite);
    // 400 vectors a topic: a filtered top 100 still lies within its topic, not among unrelated noise.
    const { vectors, queries: near } = clustered(count, 100, 42, 0.06);
    catalog.sqlite.transaction(() => ids.forEach((id, i) => index.upsert(id, MODEL, vectors[i]!)))();
    expect(index.stats()).toMatchObject({ mode: 'exact', indexedRows: count });

    // Changes while the build is reading rows: a row it has read goes, another is replaced.
    let slices = 0;
    while (index.maintain(8) && !((index.building()?.read ?? 0) > count / 2)) slices++;
    expect(index.building()).toMatchObject({ phase: 'copy' });
    catalog.sqlite.prepare('DELETE FROM assets WHERE id = ?').run(ids[1]);
    index.upsert(ids[2]!, MODEL, near[98]!);
    expect(index.search(near[98]!, { limit: 1 })[0]).toMatchObject({ assetId: ids[2] });
    while (index.maintain(8)) slices++;
    const stats = index.stats();
    expect(stats).toMatchObject({ mode: 'cells', rows: count - 1, indexedRows: count - 1, pendingChanges: 0, retiredGenerations: 0, build: null });
    expect(index.search(near[98]!, { limit: 1 })[0]).toMatchObject({ assetId: ids[2] });
    expect(index.search(vectors[1]!, { limit: 5 }).map((h) => h.assetId)).not.toContain(ids[1]);
    expect(stats.cells).toBeGreaterThanOrEqual(128);
    expect(slices).toBeGreaterThan(10);
    // The exact generation it replaced is gone.
    const tables = catalog.sqlite.prepare(`SELECT name FROM sqlite_master WHERE name GLOB 'clip_index_vec_[0-9]*' AND sql LIKE 'CREATE VIRTUAL%'`).pluck().all();
    expect(tables).toHaveLength(1);

    const byId = new Map(ids.map((id, i) => [id, vectors[i]!]));
    byId.delete(ids[1]!);
    byId.set(ids[2]!, near[98]!);
    const half = matching(catalog, { from: '2021-01-01', to: '2025-12-31', type: 'image' });
    const halfSql = timelineFilterSql({ from: '2021-01-01', to: '2025-12-31', type: 'image' }, 'lookup');
    let unfiltered = 0;
    let filtered = 0;
    const queries = near.slice(0, 40);
    for (const q of queries) {
      unfiltered += recall(index.search(q, { limit: 100 }), bruteForce(q, byId, 100));
      const got = index.search(q, { limit: 100, filter: halfSql });
      expect(got.every((h) => half.has(h.assetId))).toBe(true);
      filtered += recall(got, bruteForce(q, byId, 100, half));
    }
    expect(unfiltered / queries.length).toBeGreaterThanOrEqual(0.95);
    expect(filtered / queries.length).toBeGreaterThanOrEqual(0.95);

    // A new embedding goes to its nearest cell and is found at once.
    index.upsert(ids[0]!, MODEL, near[99]!);
    expect(index.search(near[99]!, { limit: 1 })[0]).toMatchObject({ assetId: ids[0] });
    expect(index.maintain()).toBe(false);
  });
});
