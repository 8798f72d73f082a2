// AssetRepository over the SQLite catalog. The desktop has a single owner, so ownerId is accepted
// and not stored; the sync server's Postgres adapter scopes by it. The grids' hot reads live in
// timeline.sqlite.queries.ts.
import type { SQL } from 'drizzle-orm';
import { orm } from '../db/drizzle.runtime.ts';
import type { AssetBulkUpdate, AssetDetail, AssetListQuery, AssetPage, AssetPatch, FolderEntry, SearchFacets, TimelineAsset } from '@shoebox/core/contract';
import path from 'node:path';
import type { AssetRepository, DerivativeFile, DerivativeKind, OriginalFile, TimelineFilter } from '@shoebox/core';
import type { Catalog, Db, Sqlite } from '../db/connection.ts';
import { albumAssets, assets, derivatives, exif } from '../db/schema.ts';
import { toDetail, toSummary } from './asset.mapper.ts';
import { folderRange } from './timeline-filter.sql.ts';
import { TimelineQueries } from './timeline.sqlite.queries.ts';

const { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, ne, sql } = orm;

/** Ids per statement in bulk edits: well under SQLite's bound-parameter limit. */
const ID_CHUNK = 500;

/** The list's conditions: what a person sees by default (the grids' are in timeline-filter.sql.ts). */
function visibleConditions(f: Pick<AssetListQuery, 'includeDuplicates' | 'trashed' | 'archived' | 'favorite' | 'type' | 'rootId'>): SQL[] {
  const where: SQL[] = [eq(assets.visibility, 'timeline')];
  if (!f.includeDuplicates) where.push(isNull(assets.duplicateOf));
  where.push(f.trashed ? isNotNull(assets.trashedAt) : isNull(assets.trashedAt));
  if (f.archived !== undefined) where.push(eq(assets.isArchived, f.archived));
  if (f.favorite !== undefined) where.push(eq(assets.isFavorite, f.favorite));
  if (f.type) where.push(eq(assets.type, f.type));
  if (f.rootId) where.push(eq(assets.rootId, f.rootId));
  return where;
}

function localBound(value: string): number {
  const hasZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value);
  return Date.parse(hasZone ? value : `${value}Z`);
}

/** The SET clause of an edit, with its parameters; trashing stamps the time, restoring clears it. */
function editSet(p: AssetPatch, now: number): { set: string; params: unknown[] } {
  const sets: string[] = [];
  const params: unknown[] = [];
  if (p.isFavorite !== undefined) {
    sets.push('is_favorite = ?');
    params.push(p.isFavorite ? 1 : 0);
  }
  if (p.isArchived !== undefined) {
    sets.push('is_archived = ?');
    params.push(p.isArchived ? 1 : 0);
  }
  if (p.rating !== undefined) {
    sets.push('rating = ?');
    params.push(p.rating);
  }
  if (p.trashed !== undefined) {
    sets.push('trashed_at = ?');
    params.push(p.trashed ? now : null);
  }
  if (p.description !== undefined) {
    sets.push('description = ?');
    params.push(p.description);
  }
  sets.push('updated_at = ?');
  params.push(now);
  return { set: sets.join(', '), params };
}

export class AssetSqliteRepository implements AssetRepository {
  private readonly db: Db;
  private readonly sqlite: Sqlite;
  private readonly dataDir: string;
  private readonly timeline: TimelineQueries;

  /** Derivative paths are stored relative to `dataDir`, so the data folder can move. */
  constructor(catalog: Catalog, dataDir: string) {
    this.db = catalog.db;
    this.sqlite = catalog.sqlite;
    this.dataDir = dataDir;
    this.timeline = new TimelineQueries(catalog.sqlite);
  }

  list(_ownerId: string, q: AssetListQuery): AssetPage {
    const where = visibleConditions(q);
    if (q.status) where.push(eq(assets.status, q.status));
    if (q.folder) {
      // A range on the path index: everything under the folder.
      const [low, high] = folderRange(q.folder);
      where.push(and(gte(assets.path, low), lt(assets.path, high))!);
    }
    if (q.albumId) {
      where.push(inArray(assets.id, this.db.select({ id: albumAssets.assetId }).from(albumAssets).where(eq(albumAssets.albumId, q.albumId))));
    }
    if (q.from) where.push(gte(assets.takenUtcMs, localBound(q.from)));
    if (q.to) where.push(lt(assets.takenUtcMs, localBound(q.to)));
    if (q.make || q.model || q.fileType || q.hasLocation !== undefined) {
      const exifWhere: SQL[] = [];
      if (q.make) exifWhere.push(sql`lower(${exif.make}) = lower(${q.make})`);
      if (q.model) exifWhere.push(sql`lower(${exif.model}) = lower(${q.model})`);
      if (q.fileType) exifWhere.push(sql`lower(${exif.fileType}) = lower(${q.fileType})`);
      if (q.hasLocation === true) exifWhere.push(isNotNull(exif.latitude));
      if (q.hasLocation === false) exifWhere.push(isNull(exif.latitude));
      const sub = this.db.select({ id: exif.assetId }).from(exif).where(and(...exifWhere));
      where.push(q.hasLocation === false && !q.make && !q.model && !q.fileType
        ? sql`${assets.id} not in (select ${exif.assetId} from ${exif} where ${exif.latitude} is not null)`
        : inArray(assets.id, sub));
    }
    const cond = and(...where);
    const total = this.db.select({ n: count() }).from(assets).where(cond).get()?.n ?? 0;
    const order = q.order === 'asc' ? [asc(assets.takenUtcMs), asc(assets.id)] : [desc(assets.takenUtcMs), desc(assets.id)];
    const rows = this.db
      .select()
      .from(assets)
      .where(cond)
      .orderBy(...order)
      .limit(q.size)
      .offset((q.page - 1) * q.size)
      .all();
    return { items: rows.map(toSummary), total, page: q.page, size: q.size, hasNextPage: q.page * q.size < total };
  }

  get(_ownerId: string, id: string): AssetDetail | null {
    const row = this.db.select().from(assets).where(and(eq(assets.id, id), ne(assets.visibility, 'removed'))).get();
    if (!row) return null;
    const ex = this.db.select().from(exif).where(eq(exif.assetId, id)).get();
    const d = this.db.select().from(derivatives).where(eq(derivatives.assetId, id)).get();
    const video = row.livePhotoVideoId
      ? this.db.select({ path: assets.path }).from(assets).where(eq(assets.id, row.livePhotoVideoId)).get()
      : undefined;
    return toDetail(row, ex, d, video?.path ?? null);
  }

  original(_ownerId: string, id: string): OriginalFile | null {
    const row = this.db
      .select({ path: assets.path, fileName: assets.fileName, offline: assets.offline, mime: exif.mimeType })
      .from(assets)
      .leftJoin(exif, eq(exif.assetId, assets.id))
      .where(and(eq(assets.id, id), ne(assets.visibility, 'removed')))
      .get();
    return row ? { path: row.path, fileName: row.fileName, offline: row.offline, mimeType: row.mime } : null;
  }

  derivative(_ownerId: string, id: string, kind: DerivativeKind): DerivativeFile | null {
    const row = this.db
      .select({ type: assets.type, path: assets.path, offline: assets.offline, mime: exif.mimeType, d: derivatives })
      .from(assets)
      .leftJoin(derivatives, eq(derivatives.assetId, assets.id))
      .leftJoin(exif, eq(exif.assetId, assets.id))
      .where(and(eq(assets.id, id), ne(assets.visibility, 'removed')))
      .get();
    if (!row) return null;
    const d = row.d;
    const abs = (rel: string | null | undefined): string | null => (rel ? path.join(this.dataDir, rel) : null);
    const none = { contentType: null, isOriginal: false, offline: row.offline };
    if (kind === 'thumbnail') return { ...none, path: abs(d?.thumbnailPath), error: d?.thumbnailError ?? null };
    if (kind === 'preview') return { ...none, path: abs(d?.previewPath), error: d?.previewError ?? null };
    if (row.type !== 'video') return { ...none, path: null, error: 'not a video' };
    if (d?.videoState === 'original') {
      return { path: row.path, contentType: row.mime ?? null, error: null, isOriginal: true, offline: row.offline };
    }
    return { ...none, path: d?.videoState === 'transcoded' ? abs(d.videoPath) : null, contentType: 'video/mp4', error: d?.videoError ?? null };
  }

  timelineBuckets(_ownerId: string, f: TimelineFilter): { timeBucket: string; count: number }[] {
    return this.timeline.buckets(f);
  }

  timelineBucket(_ownerId: string, f: TimelineFilter, timeBucket: string): TimelineAsset[] {
    return this.timeline.bucket(f, timeBucket);
  }

  folders(_ownerId: string): FolderEntry[] {
    return this.timeline.folders();
  }

  facets(_ownerId: string): SearchFacets {
    return this.timeline.facets();
  }

  update(_ownerId: string, id: string, patch: AssetPatch): boolean {
    const { set, params } = editSet(patch, Date.now());
    return this.sqlite.prepare(`UPDATE assets SET ${set} WHERE id = ? AND visibility != 'removed'`).run(...params, id).changes > 0;
  }

  updateMany(_ownerId: string, update: AssetBulkUpdate): number {
    const { ids, ...patch } = update;
    const { set, params } = editSet(patch, Date.now());
    return this.sqlite.transaction(() => {
      let changed = 0;
      for (let i = 0; i < ids.length; i += ID_CHUNK) {
        const chunk = ids.slice(i, i + ID_CHUNK);
        const marks = chunk.map(() => '?').join(',');
        changed += this.sqlite.prepare(`UPDATE assets SET ${set} WHERE id IN (${marks}) AND visibility != 'removed'`).run(...params, ...chunk).changes;
      }
      return changed;
    }).immediate();
  }

  counts(_ownerId: string): { image: number; video: number; failed: number; offline: number } {
    const row = this.db
      .select({
        image: sql<number>`coalesce(sum(${assets.type} = 'image' and ${assets.visibility} = 'timeline' and ${assets.duplicateOf} is null), 0)`,
        video: sql<number>`coalesce(sum(${assets.type} = 'video' and ${assets.visibility} = 'timeline' and ${assets.duplicateOf} is null), 0)`,
        failed: sql<number>`coalesce(sum(${assets.status} = 'failed' and ${assets.visibility} != 'removed'), 0)`,
        offline: sql<number>`coalesce(sum(${assets.offline} and ${assets.visibility} != 'removed'), 0)`,
      })
      .from(assets)
      .get();
    return row ?? { image: 0, video: 0, failed: 0, offline: 0 };
  }
}
