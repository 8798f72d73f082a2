// Turns a grid's TimelineFilter into the WHERE of a query over `assets a`, owner first: the
// Postgres twin of the desktop's timeline-filter.sql.ts, term for term. Constant terms are
// literals matching the partial index `assets_visible_idx` (schema/catalog.schema.ts).
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { TimelineFilter } from '@shoebox/core';

/** What every grid hides: Live Photo videos, tombstones, duplicates, unreadable and unread files. */
const GRID_TERMS = `a.visibility = 'timeline' AND a.duplicate_of IS NULL`;
const SHOWABLE_TERMS = `a.status <> 'failed' AND a.month IS NOT NULL`;

/**
 * The assets of the default view (not trashed; archived ones too): what album covers and counts
 * are computed over. Add `a.is_archived = false` for folder counts and facets.
 */
export const DEFAULT_VISIBLE = `${GRID_TERMS} AND a.trashed_at IS NULL AND ${SHOWABLE_TERMS}`;

/** The API's root of an asset: its desktop folder, else the owner's storage (the owner's id). */
export const ROOT_ID = `coalesce(a.root_id, a.owner_id)`;

/** The local capture day a month's cells are grouped by (the mtime's UTC day before metadata). */
export const LOCAL_DAY = `coalesce(substr(a.taken_local, 1, 10), to_char(a.mtime AT TIME ZONE 'UTC', 'YYYY-MM-DD'))`;

/** An absolute folder without its trailing separators (the file-system root stays itself). */
export function normalizeFolder(folder: string): string {
  const trimmed = folder.replace(/[\\/]+$/, '');
  return trimmed === '' ? folder.slice(0, 1) : trimmed;
}

/** Bounds of a range over paths (byte order, COLLATE "C") holding everything under `folder`. */
export function folderRange(folder: string): [string, string] {
  const f = normalizeFolder(folder);
  const prefix = f.endsWith(path.sep) ? f : f + path.sep;
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(path.sep.charCodeAt(0) + 1)];
}

/** The day after a `YYYY-MM-DD` date, in the same form. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A value lower-cased byte-wise like the C-collated columns it is compared with (ASCII only, as SQLite). */
export const lowerC = (value: string): SQL => sql`lower(${value}::text COLLATE "C")`;

/** Exif terms shared by the grids and the list: camera and file type, case-insensitive. */
export function exifTerms(f: { make?: string | undefined; model?: string | undefined; fileType?: string | undefined }): SQL[] {
  const terms: SQL[] = [];
  if (f.make) terms.push(sql`lower(e.make) = ${lowerC(f.make)}`);
  if (f.model) terms.push(sql`lower(e.model) = ${lowerC(f.model)}`);
  if (f.fileType) terms.push(sql`lower(e.file_type) = ${lowerC(f.fileType)}`);
  return terms;
}

/**
 * The location and exif terms as one condition on `a`: with a camera or file type, an exif row
 * must match them all; "no location" alone also holds for assets without an exif row.
 */
export function exifCondition(terms: SQL[], hasLocation: boolean | undefined): SQL | null {
  if (terms.length > 0 || hasLocation === true) {
    if (hasLocation !== undefined) terms.push(sql.raw(hasLocation ? 'e.latitude IS NOT NULL' : 'e.latitude IS NULL'));
    return sql`EXISTS (SELECT 1 FROM exif e WHERE e.asset_id = a.id AND ${sql.join(terms, sql` AND `)})`;
  }
  if (hasLocation === false) return sql`NOT EXISTS (SELECT 1 FROM exif e WHERE e.asset_id = a.id AND e.latitude IS NOT NULL)`;
  return null;
}

/**
 * The WHERE of a grid for one owner. Archived assets are hidden unless asked for, except in an
 * album and in the trash, which show all they hold.
 */
export function timelineWhere(ownerId: string, f: TimelineFilter): SQL {
  const where: SQL[] = [
    sql`a.owner_id = ${ownerId}`,
    sql.raw(`${GRID_TERMS} AND ${f.trashed ? 'a.trashed_at IS NOT NULL' : 'a.trashed_at IS NULL'} AND ${SHOWABLE_TERMS}`),
  ];
  const archived = f.archived ?? (f.albumId || f.trashed ? undefined : false);
  if (archived !== undefined) where.push(sql.raw(`a.is_archived = ${archived ? 'true' : 'false'}`));
  if (f.favorite !== undefined) where.push(sql.raw(`a.is_favorite = ${f.favorite ? 'true' : 'false'}`));
  if (f.type) where.push(sql.raw(f.type === 'video' ? `a.type = 'video'` : `a.type = 'image'`));
  if (f.rootId) where.push(sql`${sql.raw(ROOT_ID)} = ${f.rootId}::uuid`);
  if (f.albumId) where.push(sql`a.id IN (SELECT aa.asset_id FROM album_assets aa WHERE aa.album_id = ${f.albumId}::uuid)`);
  if (f.personId) where.push(sql`a.id IN (SELECT fc.asset_id FROM faces fc WHERE fc.person_id = ${f.personId}::uuid)`);
  if (f.folder) {
    if (f.recursive) {
      const [low, high] = folderRange(f.folder);
      where.push(sql`a.path >= ${low} AND a.path < ${high}`);
    } else {
      where.push(sql`a.dir = ${normalizeFolder(f.folder)}`);
    }
  }
  // The month bound lets the index skip whole months; the local time decides within the month.
  if (f.from) where.push(sql`a.month >= ${`${f.from.slice(0, 7)}-01`} AND a.taken_local >= ${f.from}`);
  if (f.to) where.push(sql`a.month <= ${`${f.to.slice(0, 7)}-01`} AND a.taken_local < ${nextDay(f.to)}`);
  const exif = exifCondition(exifTerms(f), f.hasLocation);
  if (exif) where.push(exif);
  return sql.join(where, sql` AND `);
}

/** Whether the filter's ids can exist at all (a malformed uuid matches nothing). */
export function filterIdsValid(f: TimelineFilter, isUuid: (v: string) => boolean): boolean {
  return [f.rootId, f.albumId, f.personId].every((v) => v === undefined || isUuid(v));
}
