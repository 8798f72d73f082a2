// The grids' read path: month counts, one month's cells, the folder list and the search facets.
// These run on every scroll, so they are hand-written SQL on cached better-sqlite3 statements
// (no drizzle query building per request), shaped to be answered from `assets_visible_idx`.
// Month counts, folders and facets read every asset (5, 50 and 190 ms at 100,000, growing with the
// library), so their answers are also kept until the catalog changes: any write on this
// connection or a commit by another one.
import type { FolderEntry, SearchFacets, TimelineAsset } from '@shoebox/core/contract';
import type { TimelineFilter } from '@shoebox/core';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../db/connection.ts';
import { TIMELINE_COLUMNS, toTimelineAsset, type TimelineRow } from './asset.mapper.ts';
import { DEFAULT_VISIBLE, timelineFilterSql } from './timeline-filter.sql.ts';

/** Statements are cached per SQL shape; a filter has few shapes, but the cache stays bounded. */
/**
 * The local capture day the grid groups by (the UI reads it from takenAt). Within a month the
 * assets are ordered by it first: a camera without a time zone and a phone with one interleave
 * in UTC, and would split one day into two groups.
 */
const LOCAL_DAY = `coalesce(substr(a.taken_local, 1, 10), strftime('%Y-%m-%d', a.mtime_ms / 1000, 'unixepoch'))`;

const MAX_CACHED = 256;

/** Whole-library answers kept (month counts per filter, folders, facets). */
const MAX_KEPT = 64;

type MonthCount = { timeBucket: string; count: number };

/** The default view of the whole library: what folder counts and facets are taken over. */
const LIBRARY_VIEW = `${DEFAULT_VISIBLE} AND a.is_archived = 0`;

export class TimelineQueries {
  private readonly sqlite: Sqlite;
  private readonly cache = new Map<string, Statement<unknown[]>>();
  private readonly kept = new Map<string, { version: string; value: unknown }>();
  private readonly changesStmt;
  private readonly dataVersionStmt;

  constructor(sqlite: Sqlite) {
    this.sqlite = sqlite;
    this.changesStmt = sqlite.prepare('SELECT total_changes()').pluck();
    this.dataVersionStmt = sqlite.prepare('PRAGMA data_version').pluck();
  }

  /**
   * Changes whenever the catalog may have: rows written by this connection (`total_changes`, which
   * every write counts, jobs included) or a transaction committed by another (`data_version`).
   */
  private catalogVersion(): string {
    return `${this.changesStmt.get() as number}:${this.dataVersionStmt.get() as number}`;
  }

  /** The kept answer for `key` while the catalog is unchanged, else a fresh one. */
  private keep<T>(key: string, compute: () => T): T {
    const version = this.catalogVersion();
    const kept = this.kept.get(key);
    if (kept?.version === version) return kept.value as T;
    const value = compute();
    this.kept.delete(key);
    if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, { version, value });
    return value;
  }

  private stmt(sql: string): Statement<unknown[]> {
    let s = this.cache.get(sql);
    if (!s) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      s = this.sqlite.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  buckets(f: TimelineFilter): MonthCount[] {
    const q = timelineFilterSql(f, 'set');
    const sql = `SELECT a.month AS timeBucket, count(*) AS count FROM assets a WHERE ${q.where} GROUP BY a.month ORDER BY a.month DESC`;
    return this.keep(`${sql}\n${JSON.stringify(q.params)}`, () => this.stmt(sql).all(...q.params) as MonthCount[]);
  }

  bucket(f: TimelineFilter, timeBucket: string): TimelineAsset[] {
    const q = timelineFilterSql(f, 'lookup');
    const sql = `SELECT ${TIMELINE_COLUMNS} FROM assets a WHERE ${q.where} AND a.month = ? ORDER BY ${LOCAL_DAY} DESC, a.taken_utc_ms DESC, a.id DESC`;
    const rows = this.stmt(sql).all(...q.params, timeBucket) as TimelineRow[];
    return rows.map(toTimelineAsset);
  }

  folders(): FolderEntry[] {
    const sql = `SELECT a.dir AS path, a.root_id AS rootId, count(*) AS assetCount FROM assets a
      WHERE ${LIBRARY_VIEW} GROUP BY a.dir, a.root_id ORDER BY a.dir`;
    return this.keep('folders', () => this.stmt(sql).all() as FolderEntry[]);
  }

  facets(): SearchFacets {
    return this.keep('facets', () => this.readFacets());
  }

  private readFacets(): SearchFacets {
    const cameras = this.stmt(`SELECT e.make, e.model, count(*) AS count FROM assets a JOIN exif e ON e.asset_id = a.id
      WHERE ${LIBRARY_VIEW} AND e.make IS NOT NULL GROUP BY e.make, e.model ORDER BY count DESC, e.make, e.model`).all();
    const fileTypes = this.stmt(`SELECT e.file_type AS fileType, count(*) AS count FROM assets a JOIN exif e ON e.asset_id = a.id
      WHERE ${LIBRARY_VIEW} AND e.file_type IS NOT NULL GROUP BY e.file_type ORDER BY count DESC, e.file_type`).all();
    const dates = this.stmt(`SELECT substr(min(a.taken_local), 1, 10) AS firstDate, substr(max(a.taken_local), 1, 10) AS lastDate
      FROM assets a WHERE ${LIBRARY_VIEW}`).get() as { firstDate: string | null; lastDate: string | null };
    return {
      cameras: cameras as SearchFacets['cameras'],
      fileTypes: fileTypes as SearchFacets['fileTypes'],
      firstDate: dates.firstDate,
      lastDate: dates.lastDate,
    };
  }
}
