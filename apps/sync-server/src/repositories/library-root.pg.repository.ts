// LibraryRootRepository for the server, which scans no folder of its own: originals arrive by
// upload into its storage. The roots it lists are desktop library folders whose assets a desktop
// synced here (none until then: the list is empty); adding a folder is not supported.
import { sql } from 'drizzle-orm';
import { AppError, type LibraryRoot } from '@shoebox/core/contract';
import type { LibraryRootRepository } from '@shoebox/core';
import type { Db } from '../db/database.ts';
import { first, iso, isoOrNull, isUuid, rows } from './pg.query.ts';

interface RootRow {
  id: string;
  path: string;
  created_at: string;
  last_scan_at: string | null;
  asset_count: number;
}

const SELECT_ROOTS = `SELECT r.id, r.path, r.created_at, r.last_scan_at,
    (SELECT count(*)::int FROM assets a WHERE a.root_id = r.id AND a.visibility <> 'removed') AS asset_count
  FROM library_roots r`;

function toRoot(r: RootRow): LibraryRoot {
  return {
    id: r.id,
    path: r.path,
    createdAt: iso(r.created_at),
    lastScanAt: isoOrNull(r.last_scan_at),
    assetCount: r.asset_count,
    // The folder is on the desktop it was synced from, never on this machine.
    online: false,
  };
}

export class LibraryRootPgRepository implements LibraryRootRepository {
  private readonly db: Db;
  private readonly onAssetsRemoved: (ownerId: string, ids: string[]) => void | Promise<void>;

  /** `onAssetsRemoved` runs after the assets of a removed root left the catalog. */
  constructor(db: Db, onAssetsRemoved: (ownerId: string, ids: string[]) => void | Promise<void> = () => undefined) {
    this.db = db;
    this.onAssetsRemoved = onAssetsRemoved;
  }

  async list(ownerId: string): Promise<LibraryRoot[]> {
    if (!isUuid(ownerId)) return [];
    return (await rows<RootRow>(this.db, sql`${sql.raw(SELECT_ROOTS)} WHERE r.owner_id = ${ownerId} ORDER BY r.path, r.id`)).map(toRoot);
  }

  async get(ownerId: string, id: string): Promise<LibraryRoot | null> {
    if (!isUuid(ownerId) || !isUuid(id)) return null;
    const row = await first<RootRow>(this.db, sql`${sql.raw(SELECT_ROOTS)} WHERE r.id = ${id} AND r.owner_id = ${ownerId}`);
    return row ? toRoot(row) : null;
  }

  add(_ownerId: string, _path: string): LibraryRoot {
    throw new AppError('NOT_SUPPORTED', 'the sync server indexes no folders of its own: upload photos and videos instead');
  }

  /** Removes the root and, by cascade, its assets from the catalog (their files stay); returns how many assets went. */
  async remove(ownerId: string, id: string): Promise<number> {
    if (!isUuid(ownerId) || !isUuid(id)) return 0;
    const ids = await this.db.transaction(async (tx) => {
      const gone = await rows<{ id: string; visibility: string }>(tx, sql`SELECT id, visibility FROM assets
        WHERE root_id = ${id} AND owner_id = ${ownerId} FOR UPDATE`);
      await tx.execute(sql`DELETE FROM library_roots WHERE id = ${id} AND owner_id = ${ownerId}`);
      return gone;
    });
    if (ids.length > 0) await this.onAssetsRemoved(ownerId, ids.map((r) => r.id));
    // Tombstones were not assets to anyone: they are not counted.
    return ids.filter((r) => r.visibility !== 'removed').length;
  }
}
