// AssetRepository over the SQLite catalog. The desktop has a single owner, so ownerId is accepted
// and not stored; the sync server's Postgres adapter scopes by it.
import type { SQL } from 'drizzle-orm';
import { orm } from '../db/drizzle.runtime.ts';
import type { AssetListQuery, AssetPage, AssetDetail, AssetSummary } from '@shoebox/core/contract';
import path from 'node:path';
import type { AssetRepository, DerivativeFile, DerivativeKind, OriginalFile, TimelineFilter } from '@shoebox/core';
import type { Db } from '../db/connection.ts';
import { assets, derivatives, exif } from '../db/schema.ts';
import { toDetail, toSummary } from './asset.mapper.ts';

const { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, sql } = orm;

/** Conditions shared by the timeline and the list: what a person sees by default. */
function visibleConditions(f: TimelineFilter & { includeDuplicates?: boolean | undefined }): SQL[] {
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

export class AssetSqliteRepository implements AssetRepository {
  private readonly db: Db;
  private readonly dataDir: string;

  /** Derivative paths are stored relative to `dataDir`, so the data folder can move. */
  constructor(db: Db, dataDir: string) {
    this.db = db;
    this.dataDir = dataDir;
  }

  list(_ownerId: string, q: AssetListQuery): AssetPage {
    const where = visibleConditions({ ...q, archived: q.archived });
    if (q.status) where.push(eq(assets.status, q.status));
    if (q.folder) {
      const folder = q.folder.replace(/[\\/]+$/, '');
      // A range on the path index: everything under `folder/`.
      where.push(and(gte(assets.path, `${folder}/`), lt(assets.path, `${folder}0`))!);
    }
    if (q.from) where.push(gte(assets.takenUtcMs, localBound(q.from)));
    if (q.to) where.push(lt(assets.takenUtcMs, localBound(q.to)));
    if (q.make || q.model || q.hasLocation !== undefined) {
      const exifWhere: SQL[] = [];
      if (q.make) exifWhere.push(sql`lower(${exif.make}) = lower(${q.make})`);
      if (q.model) exifWhere.push(sql`lower(${exif.model}) = lower(${q.model})`);
      if (q.hasLocation === true) exifWhere.push(isNotNull(exif.latitude));
      if (q.hasLocation === false) exifWhere.push(isNull(exif.latitude));
      const sub = this.db.select({ id: exif.assetId }).from(exif).where(and(...exifWhere));
      where.push(q.hasLocation === false && !q.make && !q.model
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
    const row = this.db.select().from(assets).where(eq(assets.id, id)).get();
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
      .where(eq(assets.id, id))
      .get();
    return row ? { path: row.path, fileName: row.fileName, offline: row.offline, mimeType: row.mime } : null;
  }

  derivative(_ownerId: string, id: string, kind: DerivativeKind): DerivativeFile | null {
    const row = this.db
      .select({ type: assets.type, path: assets.path, offline: assets.offline, mime: exif.mimeType, d: derivatives })
      .from(assets)
      .leftJoin(derivatives, eq(derivatives.assetId, assets.id))
      .leftJoin(exif, eq(exif.assetId, assets.id))
      .where(eq(assets.id, id))
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
    const where = [...visibleConditions({ ...f, archived: f.archived ?? false }), notFailed()];
    return this.db
      .select({ timeBucket: assets.month, count: count() })
      .from(assets)
      .where(and(...where, isNotNull(assets.month)))
      .groupBy(assets.month)
      .orderBy(desc(assets.month))
      .all()
      .map((r) => ({ timeBucket: r.timeBucket as string, count: r.count }));
  }

  timelineBucket(_ownerId: string, f: TimelineFilter, timeBucket: string): AssetSummary[] {
    const where = [...visibleConditions({ ...f, archived: f.archived ?? false }), notFailed(), eq(assets.month, timeBucket)];
    return this.db
      .select()
      .from(assets)
      .where(and(...where))
      .orderBy(desc(assets.takenUtcMs), desc(assets.id))
      .all()
      .map(toSummary);
  }

  counts(_ownerId: string): { image: number; video: number; failed: number; offline: number } {
    const row = this.db
      .select({
        image: sql<number>`coalesce(sum(${assets.type} = 'image' and ${assets.visibility} = 'timeline' and ${assets.duplicateOf} is null), 0)`,
        video: sql<number>`coalesce(sum(${assets.type} = 'video' and ${assets.visibility} = 'timeline' and ${assets.duplicateOf} is null), 0)`,
        failed: sql<number>`coalesce(sum(${assets.status} = 'failed'), 0)`,
        offline: sql<number>`coalesce(sum(${assets.offline}), 0)`,
      })
      .from(assets)
      .get();
    return row ?? { image: 0, video: 0, failed: 0, offline: 0 };
  }
}

function notFailed(): SQL {
  return sql`${assets.status} != 'failed'`;
}
