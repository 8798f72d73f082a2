// Turns a grid's TimelineFilter into the WHERE of a query over `assets a`. Constant terms are written as literals, word for word as in the
// partial indexes' WHERE clauses (schema.ts): SQLite uses a partial index only when it can see
// that the query implies its WHERE, and it cannot see through bound parameters.
import path from 'node:path';
import type { TimelineFilter } from '@shoebox/core';

export interface FilterSql {
  /** The conditions, ANDed; never empty. */
  where: string;
  params: (string | number)[];
}

/** What every grid hides: Live Photo videos, tombstones, duplicates, unreadable and unread files. */
const GRID_TERMS = [`a.visibility = 'timeline'`, `a.duplicate_of IS NULL`];
const SHOWABLE_TERMS = [`a.status != 'failed'`, `a.month IS NOT NULL`];

/**
 * The assets of the default view (not trashed, not archived): the set that album covers and
 * counts, folder counts and search facets are computed over. Uses `assets_visible_idx`.
 */
export const DEFAULT_VISIBLE = [...GRID_TERMS, `a.trashed_at IS NULL`, ...SHOWABLE_TERMS].join(' AND ');

/** An absolute folder without its trailing separators (the file-system root stays itself). */
export function normalizeFolder(folder: string): string {
  const trimmed = folder.replace(/[\\/]+$/, '');
  return trimmed === '' ? folder.slice(0, 1) : trimmed;
}

/** Bounds of a range on the path index that holds everything under `folder`. */
export function folderRange(folder: string): [string, string] {
  const f = normalizeFolder(folder);
  const prefix = f.endsWith(path.sep) ? f : f + path.sep;
  // The character after the separator: every path that starts with `prefix` sorts below it.
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(path.sep.charCodeAt(0) + 1)];
}

/** The day after a `YYYY-MM-DD` date, in the same form. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * How a camera, file type or location condition reaches the exif table. Counting every month
 * reads many assets: one pass over exif into a set is cheaper than a lookup per asset (measured:
 * half the time at 100,000 assets). One month reads few: a lookup per asset is (ten times faster).
 */
export type ExifAccess = 'set' | 'lookup';

/**
 * The SQL of a grid: the timeline and every view that is this filter over it. Archived assets
 * are hidden unless asked for, except in an album and in the trash, which show all they hold.
 */
export function timelineFilterSql(f: TimelineFilter, exifAccess: ExifAccess): FilterSql {
  const where = [...GRID_TERMS, f.trashed ? `a.trashed_at IS NOT NULL` : `a.trashed_at IS NULL`, ...SHOWABLE_TERMS];
  const params: (string | number)[] = [];
  const archived = f.archived ?? (f.albumId || f.trashed ? undefined : false);
  if (archived !== undefined) where.push(`a.is_archived = ${archived ? 1 : 0}`);
  if (f.favorite !== undefined) where.push(`a.is_favorite = ${f.favorite ? 1 : 0}`);
  if (f.type) where.push(f.type === 'video' ? `a.type = 'video'` : `a.type = 'image'`);
  if (f.rootId) {
    where.push(`a.root_id = ?`);
    params.push(f.rootId);
  }
  if (f.albumId) {
    where.push(`a.id IN (SELECT asset_id FROM album_assets WHERE album_id = ?)`);
    params.push(f.albumId);
  }
  if (f.personId) {
    where.push(`a.id IN (SELECT asset_id FROM faces WHERE person_id = ?)`);
    params.push(f.personId);
  }
  if (f.folder) {
    if (f.recursive) {
      where.push(`a.path >= ? AND a.path < ?`);
      params.push(...folderRange(f.folder));
    } else {
      where.push(`a.dir = ?`);
      params.push(normalizeFolder(f.folder));
    }
  }
  if (f.from) {
    // The month bound lets the index skip whole months; the local time decides within the month.
    where.push(`a.month >= ? AND a.taken_local >= ?`);
    params.push(`${f.from.slice(0, 7)}-01`, f.from);
  }
  if (f.to) {
    where.push(`a.month <= ? AND a.taken_local < ?`);
    params.push(`${f.to.slice(0, 7)}-01`, nextDay(f.to));
  }
  const exifTerms: string[] = [];
  if (f.make) {
    exifTerms.push(`lower(e.make) = lower(?)`);
    params.push(f.make);
  }
  if (f.model) {
    exifTerms.push(`lower(e.model) = lower(?)`);
    params.push(f.model);
  }
  if (f.fileType) {
    exifTerms.push(`lower(e.file_type) = lower(?)`);
    params.push(f.fileType);
  }
  if (exifTerms.length > 0 || f.hasLocation === true) {
    if (f.hasLocation !== undefined) exifTerms.push(f.hasLocation ? `e.latitude IS NOT NULL` : `e.latitude IS NULL`);
    const terms = exifTerms.join(' AND ');
    where.push(exifAccess === 'set'
      ? `a.id IN (SELECT e.asset_id FROM exif e WHERE ${terms})`
      : `EXISTS (SELECT 1 FROM exif e WHERE e.asset_id = a.id AND ${terms})`);
  } else if (f.hasLocation === false) {
    // No exif row at all (not read yet, or nothing in it) has no location either.
    where.push(exifAccess === 'set'
      ? `a.id NOT IN (SELECT e.asset_id FROM exif e WHERE e.latitude IS NOT NULL)`
      : `NOT EXISTS (SELECT 1 FROM exif e WHERE e.asset_id = a.id AND e.latitude IS NOT NULL)`);
  }
  return { where: where.join(' AND '), params };
}
