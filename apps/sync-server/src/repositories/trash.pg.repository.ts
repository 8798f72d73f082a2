// TrashRepository over Postgres, scoped by owner: restoring, listing what emptying will remove,
// and purging (the desktop's trash.sqlite.repository.ts, same rules). A purged asset whose file
// stays in storage becomes a tombstone (visibility 'removed'): it shows nowhere, and its path
// stays known so the storage sweep leaves the file alone.
import { sql } from 'drizzle-orm';
import type { TrashedAsset, TrashRepository } from '@shoebox/core';
import type { Db } from '../db/database.ts';
import { tsParam } from './asset.pg.repository.ts';
import { first, isUuid, now, rows, run, uuidList } from './pg.query.ts';

/** Exactly what the trash grid shows (timeline-filter.pg.ts), so emptying removes what was counted. */
const TRASHED = `a.visibility = 'timeline' AND a.trashed_at IS NOT NULL AND a.duplicate_of IS NULL AND a.status <> 'failed' AND a.month IS NOT NULL`;

/**
 * The trashed assets with their Live Photo video and the sidecars no other asset shares (a
 * sidecar named after the stem, IMG_1.xmp, can belong to IMG_1.JPG and IMG_1.CR2 alike; only
 * assets of the same folder can share one).
 */
const SELECT_TRASHED = `SELECT a.id, a.path, a.offline, v.id AS video_id, v.path AS video_path,
    ARRAY(SELECT u.s FROM unnest(a.sidecars) WITH ORDINALITY AS u(s, i)
      WHERE NOT EXISTS (SELECT 1 FROM assets b WHERE b.owner_id = a.owner_id AND b.dir = a.dir AND u.s = ANY(b.sidecars)
        AND b.id <> a.id AND b.visibility <> 'removed')
      ORDER BY u.i) AS sidecars
  FROM assets a LEFT JOIN assets v ON v.id = a.live_photo_video_id AND v.owner_id = a.owner_id AND v.visibility <> 'removed'
  WHERE ${TRASHED}`;

interface TrashedRow {
  id: string;
  path: string;
  offline: boolean;
  video_id: string | null;
  video_path: string | null;
  sidecars: string[];
}

export class TrashPgRepository implements TrashRepository {
  private readonly db: Db;
  private readonly onAssetsRemoved: (ownerId: string, ids: string[]) => void | Promise<void>;

  /** `onAssetsRemoved` runs after purged assets left the catalog (to remove their derivative files). */
  constructor(db: Db, onAssetsRemoved: (ownerId: string, ids: string[]) => void | Promise<void> = () => undefined) {
    this.db = db;
    this.onAssetsRemoved = onAssetsRemoved;
  }

  async restore(ownerId: string, ids: readonly string[] | undefined): Promise<number> {
    if (!isUuid(ownerId)) return 0;
    const which = ids ? sql`AND id = ANY(${uuidList(ids)})` : sql``;
    return await run(this.db, sql`UPDATE assets SET trashed_at = NULL, updated_at = ${tsParam(now())}
      WHERE owner_id = ${ownerId} AND trashed_at IS NOT NULL AND visibility <> 'removed' ${which}`);
  }

  async isTrashed(ownerId: string, id: string): Promise<boolean> {
    if (!isUuid(ownerId) || !isUuid(id)) return false;
    return await first(this.db, sql`SELECT 1 AS ok FROM assets
      WHERE id = ${id} AND owner_id = ${ownerId} AND trashed_at IS NOT NULL AND visibility = 'timeline'`) !== null;
  }

  async trashed(ownerId: string, ids: readonly string[] | undefined): Promise<TrashedAsset[]> {
    if (!isUuid(ownerId)) return [];
    const which = ids ? sql`AND a.id = ANY(${uuidList(ids)})` : sql``;
    const found = await rows<TrashedRow>(this.db, sql`${sql.raw(SELECT_TRASHED)} AND a.owner_id = ${ownerId} ${which} ORDER BY a.id`);
    return found.map((r) => ({
      id: r.id,
      path: r.path,
      offline: r.offline,
      sidecars: r.sidecars,
      livePhotoVideo: r.video_id && r.video_path ? { id: r.video_id, path: r.video_path } : null,
    }));
  }

  async purge(ownerId: string, ids: readonly string[], keepTombstone: boolean): Promise<number> {
    if (!isUuid(ownerId) || ids.length === 0) return 0;
    const { purged, all } = await this.db.transaction(async (tx) => {
      const at = now();
      const targets = await rows<{ id: string; video: string | null }>(tx, sql`SELECT id, live_photo_video_id AS video FROM assets
        WHERE id = ANY(${uuidList(ids)}) AND owner_id = ${ownerId} AND visibility <> 'removed' AND trashed_at IS NOT NULL
        FOR UPDATE`);
      // A Live Photo's hidden video goes with its still.
      const gone = [...new Set(targets.flatMap((t) => (t.video ? [t.id, t.video] : [t.id])))];
      await detach(tx, ownerId, gone, keepTombstone, at);
      await promoteDuplicates(tx, ownerId, gone, at);
      return { purged: targets.length, all: gone };
    });
    if (all.length > 0) await this.onAssetsRemoved(ownerId, all);
    return purged;
  }
}

/** Album entries, covers, derivatives and jobs go; then the rows, or their content. */
async function detach(tx: Db, ownerId: string, ids: string[], keepTombstone: boolean, at: Date): Promise<void> {
  if (ids.length === 0) return;
  const list = uuidList(ids);
  await run(tx, sql`DELETE FROM album_assets WHERE owner_id = ${ownerId} AND asset_id = ANY(${list})`);
  await run(tx, sql`UPDATE albums SET cover_asset_id = NULL WHERE owner_id = ${ownerId} AND cover_asset_id = ANY(${list})`);
  await run(tx, sql`DELETE FROM derivatives WHERE owner_id = ${ownerId} AND asset_id = ANY(${list})`);
  await run(tx, sql`DELETE FROM jobs WHERE asset_id = ANY(${list})`);
  // A still whose video alone was purged is a plain photo from now on.
  await run(tx, sql`UPDATE assets SET live_photo_video_id = NULL WHERE owner_id = ${ownerId} AND live_photo_video_id = ANY(${list})`);
  if (!keepTombstone) {
    await run(tx, sql`DELETE FROM assets WHERE owner_id = ${ownerId} AND id = ANY(${list})`);
    return;
  }
  await run(tx, sql`DELETE FROM exif WHERE owner_id = ${ownerId} AND asset_id = ANY(${list})`);
  // What a tombstone keeps: its path (the storage sweep's key), size, mtime and checksum.
  await run(tx, sql`UPDATE assets SET visibility = 'removed', trashed_at = NULL, is_favorite = false, is_archived = false,
    rating = NULL, description = NULL, live_photo_video_id = NULL, duplicate_of = NULL, content_identifier = NULL, thumbhash = NULL,
    offline = false, updated_at = ${tsParam(at)} WHERE owner_id = ${ownerId} AND id = ANY(${list})`);
}

/**
 * Copies of a purged asset's content at other paths were hidden behind it as duplicates (desktop
 * libraries). Their files are still there, so the first becomes the one shown.
 */
async function promoteDuplicates(tx: Db, ownerId: string, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  const gone = new Set(ids);
  const copies = await rows<{ id: string; original: string }>(tx, sql`SELECT id, duplicate_of AS original FROM assets
    WHERE owner_id = ${ownerId} AND duplicate_of = ANY(${uuidList(ids)}) AND visibility <> 'removed' ORDER BY duplicate_of, id`);
  const firstOf = new Map<string, string>();
  for (const c of copies) if (!gone.has(c.id) && !firstOf.has(c.original)) firstOf.set(c.original, c.id);
  for (const [original, promoted] of firstOf) {
    await run(tx, sql`UPDATE assets SET duplicate_of = NULL, updated_at = ${tsParam(at)} WHERE id = ${promoted} AND owner_id = ${ownerId}`);
    await run(tx, sql`UPDATE assets SET duplicate_of = ${promoted}::uuid, updated_at = ${tsParam(at)}
      WHERE owner_id = ${ownerId} AND duplicate_of = ${original}::uuid AND id <> ${promoted}::uuid`);
  }
}
