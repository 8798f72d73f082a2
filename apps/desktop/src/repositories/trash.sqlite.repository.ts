// TrashRepository over the SQLite catalog: restoring, listing what emptying will remove, and
// purging. A purged asset whose file stays on disk becomes a tombstone (visibility 'removed'):
// it shows nowhere, and the scanner leaves its path alone while the file stays there (see
// scan.thread.ts). Tombstones are by path, not by content: the same file moved or copied to a new
// path is something the person did after removing it, so it comes back as a new asset.
import type { TrashedAsset, TrashRepository } from '@shoebox/core';
import type { Sqlite } from '../db/connection.ts';

const ID_CHUNK = 500;

interface TrashedRow {
  id: string;
  path: string;
  dir: string;
  offline: number;
  sidecars: string;
  videoId: string | null;
  videoPath: string | null;
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(',');

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ID_CHUNK) out.push(items.slice(i, i + ID_CHUNK));
  return out;
}

/** Exactly what the trash grid shows (timeline-filter.sql.ts), so emptying it removes what was counted. */
const TRASHED = `a.visibility = 'timeline' AND a.trashed_at IS NOT NULL AND a.duplicate_of IS NULL AND a.status != 'failed' AND a.month IS NOT NULL`;
const SELECT_TRASHED = `SELECT a.id, a.path, a.dir, a.offline, a.sidecars, v.id AS videoId, v.path AS videoPath
  FROM assets a LEFT JOIN assets v ON v.id = a.live_photo_video_id AND v.visibility != 'removed' WHERE ${TRASHED}`;

export class TrashSqliteRepository implements TrashRepository {
  private readonly sqlite: Sqlite;
  private readonly onAssetsRemoved: (ids: string[]) => void;
  private readonly stmts;

  /** `onAssetsRemoved` runs after purged assets left the catalog, to remove their derivative files. */
  constructor(sqlite: Sqlite, onAssetsRemoved: (ids: string[]) => void) {
    this.sqlite = sqlite;
    this.onAssetsRemoved = onAssetsRemoved;
    this.stmts = {
      restoreAll: sqlite.prepare(`UPDATE assets SET trashed_at = NULL, updated_at = ? WHERE trashed_at IS NOT NULL AND visibility != 'removed'`),
      allTrashed: sqlite.prepare(`${SELECT_TRASHED} ORDER BY a.id`),
      isTrashed: sqlite.prepare(`SELECT 1 FROM assets WHERE id = ? AND trashed_at IS NOT NULL AND visibility = 'timeline'`).pluck(),
      // A sidecar named after the stem (IMG_1.xmp) can belong to IMG_1.JPG and IMG_1.CR2 alike.
      // Sidecars sit beside their photos: only the assets of the same folder can share one.
      sharedSidecar: sqlite.prepare(`SELECT 1 FROM assets b, json_each(b.sidecars) j
        WHERE b.dir = ? AND j.value = ? AND b.id != ? AND b.visibility != 'removed' LIMIT 1`).pluck(),
      duplicatesOf: sqlite.prepare(`SELECT id FROM assets WHERE duplicate_of = ? AND visibility != 'removed' ORDER BY id`).pluck(),
      promote: sqlite.prepare(`UPDATE assets SET duplicate_of = NULL, updated_at = ? WHERE id = ?`),
      repoint: sqlite.prepare(`UPDATE assets SET duplicate_of = ?, updated_at = ? WHERE duplicate_of = ? AND id != ?`),
    };
  }

  restore(_ownerId: string, ids: readonly string[] | undefined): number {
    const now = Date.now();
    if (!ids) return this.stmts.restoreAll.run(now).changes;
    return this.sqlite.transaction(() => {
      let n = 0;
      for (const chunk of chunks(ids)) {
        n += this.sqlite
          .prepare(`UPDATE assets SET trashed_at = NULL, updated_at = ? WHERE id IN (${marks(chunk.length)}) AND trashed_at IS NOT NULL AND visibility != 'removed'`)
          .run(now, ...chunk).changes;
      }
      return n;
    }).immediate();
  }

  isTrashed(_ownerId: string, id: string): boolean {
    return this.stmts.isTrashed.get(id) === 1;
  }

  trashed(_ownerId: string, ids: readonly string[] | undefined): TrashedAsset[] {
    const rows = ids
      ? chunks(ids).flatMap((chunk) => this.sqlite.prepare(`${SELECT_TRASHED} AND a.id IN (${marks(chunk.length)})`).all(...chunk) as TrashedRow[])
      : (this.stmts.allTrashed.all() as TrashedRow[]);
    return rows.map((r) => ({
      id: r.id,
      path: r.path,
      offline: r.offline === 1,
      // Only the sidecars no other asset shares go with it.
      sidecars: (JSON.parse(r.sidecars) as string[]).filter((sc) => this.stmts.sharedSidecar.get(r.dir, sc, r.id) !== 1),
      livePhotoVideo: r.videoId && r.videoPath ? { id: r.videoId, path: r.videoPath } : null,
    }));
  }

  purge(_ownerId: string, ids: readonly string[], keepTombstone: boolean): number {
    if (ids.length === 0) return 0;
    const { purged, all } = this.sqlite.transaction(() => {
      const now = Date.now();
      const targets: { id: string; video: string | null }[] = [];
      for (const chunk of chunks(ids)) {
        targets.push(...(this.sqlite
          .prepare(`SELECT id, live_photo_video_id AS video FROM assets WHERE id IN (${marks(chunk.length)}) AND visibility != 'removed' AND trashed_at IS NOT NULL`)
          .all(...chunk) as { id: string; video: string | null }[]));
      }
      // A Live Photo's hidden video goes with its still.
      const gone = new Set(targets.flatMap((t) => (t.video ? [t.id, t.video] : [t.id])));
      const everyId = [...gone];
      for (const chunk of chunks(everyId)) this.detach(chunk, keepTombstone, now);
      this.promoteDuplicates(everyId, gone, now);
      return { purged: targets.length, all: everyId };
    }).immediate();
    this.onAssetsRemoved(all);
    return purged;
  }

  /** Album entries, covers, derivatives rows and jobs go; then the rows or their content. */
  private detach(chunk: string[], keepTombstone: boolean, now: number): void {
    const m = marks(chunk.length);
    const run = (sql: string, ...params: unknown[]): void => {
      this.sqlite.prepare(sql).run(...params, ...chunk);
    };
    run(`DELETE FROM album_assets WHERE asset_id IN (${m})`);
    run(`UPDATE albums SET cover_asset_id = NULL WHERE cover_asset_id IN (${m})`);
    run(`DELETE FROM derivatives WHERE asset_id IN (${m})`);
    run(`DELETE FROM jobs WHERE asset_id IN (${m})`);
    // A still whose video alone was purged is a plain photo from now on.
    run(`UPDATE assets SET live_photo_video_id = NULL WHERE live_photo_video_id IN (${m})`);
    if (!keepTombstone) {
      run(`DELETE FROM assets WHERE id IN (${m})`);
      return;
    }
    run(`DELETE FROM exif WHERE asset_id IN (${m})`);
    // What a tombstone keeps: its path (the scanner's key), root, size, mtime and checksum.
    run(`UPDATE assets SET visibility = 'removed', trashed_at = NULL, is_favorite = 0, is_archived = 0, rating = NULL,
      description = NULL, live_photo_video_id = NULL, duplicate_of = NULL, content_identifier = NULL, thumbhash = NULL,
      offline = 0, updated_at = ? WHERE id IN (${m})`, now);
  }

  /**
   * Copies of a purged asset's content at other paths were hidden behind it as duplicates. Their
   * files are still on disk and still in the library, so the first becomes the one shown.
   */
  private promoteDuplicates(ids: readonly string[], gone: Set<string>, now: number): void {
    for (const id of ids) {
      const copies = (this.stmts.duplicatesOf.all(id) as string[]).filter((c) => !gone.has(c));
      const first = copies[0];
      if (!first) continue;
      this.stmts.promote.run(now, first);
      this.stmts.repoint.run(first, now, id, first);
    }
  }
}
