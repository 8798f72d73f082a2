// AssetRepository over Postgres, every statement scoped by owner: another owner's asset answers
// exactly as a missing one. Mirrors the desktop's asset.sqlite.repository.ts; the grids' reads
// live in timeline.pg.queries.ts.
import path from 'node:path';
import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AssetBulkUpdate, AssetDetail, AssetListQuery, AssetPage, AssetPatch, FolderEntry, SearchFacets, TimelineAsset } from '@shoebox/core/contract';
import type { AssetRepository, DerivativeFile, DerivativeKind, OriginalFile, TimelineFilter } from '@shoebox/core';
import type { Db } from '../db/database.ts';
import { assets, derivatives, exif } from '../db/schema.ts';
import { toDetail, toSummary } from './asset.pg.mapper.ts';
import { isUuid, now, rows, run, uuidList } from './pg.query.ts';
import { ROOT_ID, exifCondition, exifTerms, folderRange } from './timeline-filter.pg.ts';
import { TimelinePgQueries, a } from './timeline.pg.queries.ts';

/** A timestamp parameter (sent as ISO text: both drivers read it the same way). */
export const tsParam = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

/** A list bound: with a zone it is that instant, without one it is read as UTC (as on the desktop). */
function localBound(value: string): Date {
  const hasZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value);
  return new Date(Date.parse(hasZone ? value : `${value}Z`));
}

/** The SET clause of an edit; trashing stamps the time, restoring clears it. */
export function editSet(p: AssetPatch, at: Date): SQL {
  const sets: SQL[] = [];
  if (p.isFavorite !== undefined) sets.push(sql`is_favorite = ${p.isFavorite}`);
  if (p.isArchived !== undefined) sets.push(sql`is_archived = ${p.isArchived}`);
  if (p.rating !== undefined) sets.push(sql`rating = ${p.rating}::int`);
  if (p.trashed !== undefined) sets.push(p.trashed ? sql`trashed_at = ${tsParam(at)}` : sql`trashed_at = NULL`);
  if (p.description !== undefined) sets.push(sql`description = ${p.description}::text`);
  sets.push(sql`updated_at = ${tsParam(at)}`);
  return sql.join(sets, sql`, `);
}

/** The list's conditions over `assets a`: what a person sees by default, then each filter. */
function listWhere(ownerId: string, q: AssetListQuery): SQL {
  const where: SQL[] = [sql`a.owner_id = ${ownerId}`, sql.raw(`a.visibility = 'timeline'`)];
  if (!q.includeDuplicates) where.push(sql.raw('a.duplicate_of IS NULL'));
  where.push(sql.raw(q.trashed ? 'a.trashed_at IS NOT NULL' : 'a.trashed_at IS NULL'));
  if (q.archived !== undefined) where.push(sql`a.is_archived = ${q.archived}`);
  if (q.favorite !== undefined) where.push(sql`a.is_favorite = ${q.favorite}`);
  if (q.type) where.push(sql`a.type = ${q.type}`);
  if (q.rootId) where.push(sql`${sql.raw(ROOT_ID)} = ${q.rootId}::uuid`);
  if (q.status) where.push(sql`a.status = ${q.status}`);
  if (q.folder) {
    const [low, high] = folderRange(q.folder);
    where.push(sql`a.path >= ${low} AND a.path < ${high}`);
  }
  if (q.albumId) where.push(sql`a.id IN (SELECT aa.asset_id FROM album_assets aa WHERE aa.album_id = ${q.albumId}::uuid)`);
  if (q.from) where.push(sql`a.taken_at >= ${tsParam(localBound(q.from))}`);
  if (q.to) where.push(sql`a.taken_at < ${tsParam(localBound(q.to))}`);
  const exifTerm = exifCondition(exifTerms(q), q.hasLocation);
  if (exifTerm) where.push(exifTerm);
  return sql.join(where, sql` AND `);
}

export class AssetPgRepository implements AssetRepository {
  private readonly db: Db;
  private readonly dataDir: string;
  private readonly timeline: TimelinePgQueries;

  /** Derivative paths are stored relative to `dataDir` (absolute ones are taken as they are). */
  constructor(db: Db, dataDir: string) {
    this.db = db;
    this.dataDir = dataDir;
    this.timeline = new TimelinePgQueries(db);
  }

  async list(ownerId: string, q: AssetListQuery): Promise<AssetPage> {
    const empty = { items: [], total: 0, page: q.page, size: q.size, hasNextPage: false };
    if (!isUuid(ownerId) || (q.rootId && !isUuid(q.rootId)) || (q.albumId && !isUuid(q.albumId))) return empty;
    const where = listWhere(ownerId, q);
    const counted = await rows<{ n: number }>(this.db, sql`SELECT count(*)::int AS n FROM assets a WHERE ${where}`);
    const total = counted[0]?.n ?? 0;
    const order = q.order === 'asc' ? 'a.taken_at ASC NULLS FIRST, a.id ASC' : 'a.taken_at DESC NULLS LAST, a.id DESC';
    const found = await this.db.select().from(a).where(where).orderBy(sql.raw(order)).limit(q.size).offset((q.page - 1) * q.size);
    return { items: found.map(toSummary), total, page: q.page, size: q.size, hasNextPage: q.page * q.size < total };
  }

  async get(ownerId: string, id: string): Promise<AssetDetail | null> {
    if (!isUuid(ownerId) || !isUuid(id)) return null;
    const video = alias(assets, 'v');
    const [row] = await this.db
      .select({ a: assets, e: exif, d: derivatives, videoPath: video.path })
      .from(assets)
      .leftJoin(exif, eq(exif.assetId, assets.id))
      .leftJoin(derivatives, eq(derivatives.assetId, assets.id))
      .leftJoin(video, and(eq(video.id, assets.livePhotoVideoId), eq(video.ownerId, assets.ownerId)))
      .where(and(eq(assets.id, id), eq(assets.ownerId, ownerId), ne(assets.visibility, 'removed')));
    return row ? toDetail(row.a, row.e, row.d, row.videoPath) : null;
  }

  async original(ownerId: string, id: string): Promise<OriginalFile | null> {
    if (!isUuid(ownerId) || !isUuid(id)) return null;
    const [row] = await this.db
      .select({ path: assets.path, fileName: assets.fileName, offline: assets.offline, mime: sql<string | null>`coalesce(${exif.mimeType}, ${assets.mimeType})` })
      .from(assets)
      .leftJoin(exif, eq(exif.assetId, assets.id))
      .where(and(eq(assets.id, id), eq(assets.ownerId, ownerId), ne(assets.visibility, 'removed')));
    return row ? { path: row.path, fileName: row.fileName, offline: row.offline, mimeType: row.mime } : null;
  }

  async derivative(ownerId: string, id: string, kind: DerivativeKind): Promise<DerivativeFile | null> {
    if (!isUuid(ownerId) || !isUuid(id)) return null;
    const [row] = await this.db
      .select({ type: assets.type, path: assets.path, offline: assets.offline, mime: sql<string | null>`coalesce(${exif.mimeType}, ${assets.mimeType})`, d: derivatives })
      .from(assets)
      .leftJoin(derivatives, eq(derivatives.assetId, assets.id))
      .leftJoin(exif, eq(exif.assetId, assets.id))
      .where(and(eq(assets.id, id), eq(assets.ownerId, ownerId), ne(assets.visibility, 'removed')));
    if (!row) return null;
    const d = row.d;
    const abs = (rel: string | null | undefined): string | null => (rel ? path.resolve(this.dataDir, rel) : null);
    const none = { contentType: null, isOriginal: false, offline: row.offline };
    if (kind === 'thumbnail') return { ...none, path: abs(d?.thumbnailPath), error: d?.thumbnailError ?? null };
    if (kind === 'preview') return { ...none, path: abs(d?.previewPath), error: d?.previewError ?? null };
    if (row.type !== 'video') return { ...none, path: null, error: 'not a video' };
    if (d?.videoState === 'original') {
      return { path: row.path, contentType: row.mime ?? null, error: null, isOriginal: true, offline: row.offline };
    }
    return { ...none, path: d?.videoState === 'transcoded' ? abs(d.videoPath) : null, contentType: 'video/mp4', error: d?.videoError ?? null };
  }

  async timelineBuckets(ownerId: string, f: TimelineFilter): Promise<{ timeBucket: string; count: number }[]> {
    return await this.timeline.buckets(ownerId, f);
  }

  async timelineBucket(ownerId: string, f: TimelineFilter, timeBucket: string): Promise<TimelineAsset[]> {
    return await this.timeline.bucket(ownerId, f, timeBucket);
  }

  async folders(ownerId: string): Promise<FolderEntry[]> {
    return await this.timeline.folders(ownerId);
  }

  async facets(ownerId: string): Promise<SearchFacets> {
    return await this.timeline.facets(ownerId);
  }

  async update(ownerId: string, id: string, patch: AssetPatch): Promise<boolean> {
    if (!isUuid(ownerId) || !isUuid(id)) return false;
    return await run(this.db, sql`UPDATE assets SET ${editSet(patch, now())}
      WHERE id = ${id} AND owner_id = ${ownerId} AND visibility <> 'removed'`) > 0;
  }

  async updateMany(ownerId: string, update: AssetBulkUpdate): Promise<number> {
    if (!isUuid(ownerId)) return 0;
    const { ids, ...patch } = update;
    return await run(this.db, sql`UPDATE assets SET ${editSet(patch, now())}
      WHERE id = ANY(${uuidList(ids)}) AND owner_id = ${ownerId} AND visibility <> 'removed'`);
  }

  async counts(ownerId: string): Promise<{ image: number; video: number; failed: number; offline: number }> {
    if (!isUuid(ownerId)) return { image: 0, video: 0, failed: 0, offline: 0 };
    const [row] = await rows<{ image: number; video: number; failed: number; offline: number }>(this.db, sql`SELECT
        count(*) FILTER (WHERE type = 'image' AND visibility = 'timeline' AND duplicate_of IS NULL)::int AS image,
        count(*) FILTER (WHERE type = 'video' AND visibility = 'timeline' AND duplicate_of IS NULL)::int AS video,
        count(*) FILTER (WHERE status = 'failed' AND visibility <> 'removed')::int AS failed,
        count(*) FILTER (WHERE offline AND visibility <> 'removed')::int AS offline
      FROM assets WHERE owner_id = ${ownerId}`);
    return row ?? { image: 0, video: 0, failed: 0, offline: 0 };
  }
}
