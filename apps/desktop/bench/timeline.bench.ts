// Timeline latency on a 100,000-asset synthetic library, served by the real `shoebox serve` over
// HTTP: the month counts (`/api/timeline/buckets`, target p95 < 20 ms) and the largest month's
// 2,000 cells (`/api/timeline/bucket`, target p95 < 30 ms). The engine keeps month counts until
// the catalog changes, so they are measured twice: as served while browsing, and recounted (an
// untimed edit through the API before each request). The reference, in the same run, is the same
// SQL on a bare better-sqlite3 connection, so the ratio says what HTTP, validation and JSON add.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TimelineFilter } from '@shoebox/core';
import { catalogPath } from '../src/db/connection.ts';
import { TIMELINE_COLUMNS } from '../src/repositories/asset.mapper.ts';
import { timelineFilterSql } from '../src/repositories/timeline-filter.sql.ts';
import { latencyStats, round, type LatencyStats } from './bench-utils.ts';
import { startShoeboxServe, type ShoeboxServer } from '../../../scripts/shoebox-serve.ts';
import { createSyntheticLibrary } from './synthetic-library.ts';

const ASSETS = 100_000;
const BIG_MONTH = '2021-06-01';
const BIG_MONTH_COUNT = 2_000;
const WARMUP = 30;
const REQUESTS = 200;

/** Sequential requests, each timed until its whole body has arrived; `before` runs untimed. */
async function measureHttp(
  server: ShoeboxServer, pathname: string, before?: () => Promise<void>,
): Promise<{ ms: LatencyStats; bytes: number; status: number }> {
  let bytes = 0;
  let status = 0;
  const once = async (): Promise<number> => {
    await before?.();
    const started = performance.now();
    const res = await server.fetch(pathname);
    const body = await res.arrayBuffer();
    const ms = performance.now() - started;
    bytes = body.byteLength;
    status = res.status;
    return ms;
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) samples.push(await once());
  return { ms: latencyStats(samples), bytes, status };
}

/** The engine's own SQL for the same filter, on a bare connection: the floor HTTP is compared to. */
function measureSql(db: Database.Database, filter: TimelineFilter, month: string | null): LatencyStats {
  const q = timelineFilterSql(filter, month ? 'lookup' : 'set');
  const stmt = month
    ? db.prepare(`SELECT ${TIMELINE_COLUMNS} FROM assets a WHERE ${q.where} AND a.month = ? ORDER BY a.taken_utc_ms DESC, a.id DESC`)
    : db.prepare(`SELECT a.month AS timeBucket, count(*) AS count FROM assets a WHERE ${q.where} GROUP BY a.month ORDER BY a.month DESC`);
  const params = month ? [...q.params, month] : q.params;
  for (let i = 0; i < WARMUP; i++) stmt.all(...params);
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    stmt.all(...params);
    samples.push(performance.now() - started);
  }
  return latencyStats(samples);
}

interface Case {
  path: string;
  filter: TimelineFilter;
  month: string | null;
  targetP95Ms: number | null;
  before?: () => Promise<void>;
}

/** An edit that changes nothing visible but is a catalog write: the month counts are recounted. */
async function editOneAsset(server: ShoeboxServer): Promise<() => Promise<void>> {
  const res = await server.fetch('/api/assets?size=1');
  const id = ((await res.json()) as { items: { id: string }[] }).items[0]!.id;
  return async () => {
    const r = await server.fetch(`/api/assets/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: null }),
    });
    if (!r.ok) throw new Error(`PATCH /api/assets/${id}: ${r.status}`);
    await r.arrayBuffer();
  };
}

/**
 * Every bare-SQL reference first, then every HTTP series back to back: a pause between requests
 * longer than the server's keep-alive (5 s) would only measure a reconnection race.
 */
async function measure(server: ShoeboxServer, db: Database.Database, cases: Record<string, Case>): Promise<Record<string, Record<string, unknown>>> {
  const sql = Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, measureSql(db, c.filter, c.month)]));
  const out: Record<string, Record<string, unknown>> = {};
  for (const [k, c] of Object.entries(cases)) {
    const http = await measureHttp(server, c.path, c.before);
    const sqlite = sql[k]!;
    out[k] = {
      path: c.path,
      status: http.status,
      bytes: http.bytes,
      httpMs: http.ms,
      sqliteMs: sqlite,
      ratioP50: round(http.ms.p50 / Math.max(sqlite.p50, 0.001)),
      ratioP95: round(http.ms.p95 / Math.max(sqlite.p95, 0.001)),
      ...(c.targetP95Ms === null ? {} : { targetP95Ms: c.targetP95Ms, pass: http.status === 200 && http.ms.p95 < c.targetP95Ms }),
    };
  }
  return out;
}

export async function timelineBench(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-timeline-'));
  let server: ShoeboxServer | undefined;
  let db: Database.Database | undefined;
  try {
    const started = performance.now();
    const library = await createSyntheticLibrary(path.join(dir, 'data'), { assets: ASSETS, bigMonth: BIG_MONTH, bigMonthCount: BIG_MONTH_COUNT });
    const libraryMs = performance.now() - started;
    server = await startShoeboxServe(library.dataDir, { timeoutMs: 60_000 });
    db = new Database(catalogPath(library.dataDir), { readonly: true });
    const month = `timeBucket=${library.bigMonth}`;
    const r = await measure(server, db, {
      buckets: { path: '/api/timeline/buckets', filter: {}, month: null, targetP95Ms: 20 },
      bucketsRecounted: { path: '/api/timeline/buckets', filter: {}, month: null, targetP95Ms: 20, before: await editOneAsset(server) },
      bucket: { path: `/api/timeline/bucket?${month}`, filter: {}, month: library.bigMonth, targetP95Ms: 30 },
      // Not targets: the filtered views the UI also asks for (favourites, camera search).
      favoriteBuckets: { path: '/api/timeline/buckets?favorite=true', filter: { favorite: true }, month: null, targetP95Ms: null },
      cameraBuckets: { path: '/api/timeline/buckets?make=canon', filter: { make: 'canon' }, month: null, targetP95Ms: null },
      cameraBucket: { path: `/api/timeline/bucket?make=canon&${month}`, filter: { make: 'canon' }, month: library.bigMonth, targetP95Ms: null },
    });
    const { buckets, bucketsRecounted, bucket, ...filtered } = r;
    return {
      assets: library.assets,
      months: library.months,
      bigMonth: { month: library.bigMonth, assets: library.bigMonthCount },
      libraryBuildMs: round(libraryMs),
      requests: REQUESTS,
      buckets,
      bucketsRecounted,
      bucket,
      filtered,
    };
  } finally {
    db?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
