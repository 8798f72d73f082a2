// The grids' read path over Postgres: month counts, one month's cells, the folder list and the
// search facets, each for one owner (the desktop's timeline.sqlite.queries.ts, same answers).
import { and, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FolderEntry, SearchFacets, TimelineAsset } from '@shoebox/core/contract';
import type { TimelineFilter } from '@shoebox/core';
import type { Db } from '../db/database.ts';
import { assets } from '../db/schema.ts';
import { toTimelineAsset } from './asset.pg.mapper.ts';
import { isUuid, rows } from './pg.query.ts';
import { DEFAULT_VISIBLE, LOCAL_DAY, ROOT_ID, filterIdsValid, timelineWhere } from './timeline-filter.pg.ts';

/** `assets a`: the alias every filter term is written against. */
export const a = alias(assets, 'a');

/** The columns a grid cell is made from. */
export const TIMELINE_COLUMNS = {
  id: a.id, type: a.type, fileName: a.fileName, takenLocal: a.takenLocal, tzOffsetMin: a.tzOffsetMin, takenSource: a.takenSource,
  mtime: a.mtime, width: a.width, height: a.height, duration: a.duration, isFavorite: a.isFavorite, isArchived: a.isArchived,
  trashedAt: a.trashedAt, rating: a.rating, livePhotoVideoId: a.livePhotoVideoId, motionPhoto: a.motionPhoto, thumbhash: a.thumbhash,
};

/** The default view of one owner's library: what folder counts and facets are taken over. */
const libraryView = (ownerId: string) => sql`a.owner_id = ${ownerId} AND ${sql.raw(DEFAULT_VISIBLE)} AND a.is_archived = false`;

export class TimelinePgQueries {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async buckets(ownerId: string, f: TimelineFilter): Promise<{ timeBucket: string; count: number }[]> {
    if (!isUuid(ownerId) || !filterIdsValid(f, isUuid)) return [];
    return await rows<{ timeBucket: string; count: number }>(this.db, sql`SELECT a.month AS "timeBucket", count(*)::int AS count
      FROM assets a WHERE ${timelineWhere(ownerId, f)} GROUP BY a.month ORDER BY a.month DESC`);
  }

  async bucket(ownerId: string, f: TimelineFilter, timeBucket: string): Promise<TimelineAsset[]> {
    if (!isUuid(ownerId) || !filterIdsValid(f, isUuid)) return [];
    const found = await this.db.select(TIMELINE_COLUMNS).from(a)
      .where(and(timelineWhere(ownerId, f), sql`a.month = ${timeBucket}`))
      .orderBy(sql.raw(`${LOCAL_DAY} DESC, a.taken_at DESC NULLS LAST, a.id DESC`));
    return found.map(toTimelineAsset);
  }

  async folders(ownerId: string): Promise<FolderEntry[]> {
    if (!isUuid(ownerId)) return [];
    return await rows<FolderEntry>(this.db, sql`SELECT a.dir AS path, ${sql.raw(ROOT_ID)} AS "rootId", count(*)::int AS "assetCount"
      FROM assets a WHERE ${libraryView(ownerId)} GROUP BY a.dir, ${sql.raw(ROOT_ID)} ORDER BY a.dir, 2`);
  }

  async facets(ownerId: string): Promise<SearchFacets> {
    if (!isUuid(ownerId)) return { cameras: [], fileTypes: [], firstDate: null, lastDate: null };
    // NULLS FIRST: SQLite sorts a missing model before the others.
    const cameras = await rows<SearchFacets['cameras'][number]>(this.db, sql`SELECT e.make, e.model, count(*)::int AS count
      FROM assets a JOIN exif e ON e.asset_id = a.id WHERE ${libraryView(ownerId)} AND e.make IS NOT NULL
      GROUP BY e.make, e.model ORDER BY count DESC, e.make, e.model NULLS FIRST`);
    const fileTypes = await rows<SearchFacets['fileTypes'][number]>(this.db, sql`SELECT e.file_type AS "fileType", count(*)::int AS count
      FROM assets a JOIN exif e ON e.asset_id = a.id WHERE ${libraryView(ownerId)} AND e.file_type IS NOT NULL
      GROUP BY e.file_type ORDER BY count DESC, e.file_type`);
    const dates = await rows<{ firstDate: string | null; lastDate: string | null }>(this.db, sql`SELECT
      substr(min(a.taken_local), 1, 10) AS "firstDate", substr(max(a.taken_local), 1, 10) AS "lastDate" FROM assets a WHERE ${libraryView(ownerId)}`);
    return { cameras, fileTypes, firstDate: dates[0]?.firstDate ?? null, lastDate: dates[0]?.lastDate ?? null };
  }
}
