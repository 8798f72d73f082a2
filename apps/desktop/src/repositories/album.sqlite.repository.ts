// AlbumRepository over the SQLite catalog. An album's count, dates and fallback cover are taken
// over the assets its grid shows (archived ones included; trashed, duplicate and unreadable ones
// not), so the album list and the album page always agree.
import type { AlbumRecord, AlbumRepository } from '@shoebox/core';
import { uuidv7 } from '@shoebox/core';
import type { Sqlite } from '../db/connection.ts';
import { takenAtString, type AssetRow } from './asset.mapper.ts';
import { DEFAULT_VISIBLE } from './timeline-filter.sql.ts';

const ID_CHUNK = 500;

const MEMBERS = `FROM album_assets aa JOIN assets a ON a.id = aa.asset_id WHERE aa.album_id = al.id AND ${DEFAULT_VISIBLE}`;

const SELECT_ALBUMS = `
  SELECT al.id, al.name, al.description, al.created_at AS createdAt, al.updated_at AS updatedAt,
    (SELECT count(*) ${MEMBERS}) AS assetCount,
    (SELECT a.id ${MEMBERS} AND a.id = al.cover_asset_id) AS chosenCover,
    (SELECT a.id ${MEMBERS} ORDER BY a.taken_utc_ms DESC, a.id DESC LIMIT 1) AS newestId,
    (SELECT a.id ${MEMBERS} ORDER BY a.taken_utc_ms ASC, a.id ASC LIMIT 1) AS oldestId
  FROM albums al`;

interface AlbumRow {
  id: string;
  name: string;
  description: string | null;
  createdAt: number;
  updatedAt: number;
  assetCount: number;
  chosenCover: string | null;
  newestId: string | null;
  oldestId: string | null;
}

type CoverRow = Pick<AssetRow, 'thumbhash' | 'takenLocal' | 'tzOffsetMin' | 'takenSource' | 'mtimeMs'>;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ID_CHUNK) out.push(items.slice(i, i + ID_CHUNK));
  return out;
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(',');

export class AlbumSqliteRepository implements AlbumRepository {
  private readonly sqlite: Sqlite;
  private readonly stmts;

  constructor(sqlite: Sqlite) {
    this.sqlite = sqlite;
    this.stmts = {
      all: sqlite.prepare(`${SELECT_ALBUMS} ORDER BY al.updated_at DESC, al.id DESC`),
      holding: sqlite.prepare(
        `${SELECT_ALBUMS} WHERE al.id IN (SELECT album_id FROM album_assets WHERE asset_id = ?) ORDER BY al.updated_at DESC, al.id DESC`),
      one: sqlite.prepare(`${SELECT_ALBUMS} WHERE al.id = ?`),
      asset: sqlite.prepare(`SELECT thumbhash, taken_local AS takenLocal, tz_offset_min AS tzOffsetMin, taken_source AS takenSource,
        mtime_ms AS mtimeMs FROM assets WHERE id = ?`),
      insert: sqlite.prepare(`INSERT INTO albums (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`),
      delete: sqlite.prepare(`DELETE FROM albums WHERE id = ?`),
      touch: sqlite.prepare(`UPDATE albums SET updated_at = ? WHERE id = ?`),
      contains: sqlite.prepare(`SELECT 1 FROM album_assets WHERE album_id = ? AND asset_id = ?`),
    };
  }

  private toRecord(row: AlbumRow): AlbumRecord {
    const load = (id: string | null): CoverRow | undefined => (id ? (this.stmts.asset.get(id) as CoverRow | undefined) : undefined);
    const coverAssetId = row.chosenCover ?? row.newestId;
    const newest = load(row.newestId);
    const oldest = row.oldestId === row.newestId ? newest : load(row.oldestId);
    const cover = coverAssetId === row.newestId ? newest : load(coverAssetId);
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      assetCount: row.assetCount,
      coverAssetId,
      coverThumbhash: cover?.thumbhash ?? null,
      startDate: oldest ? takenAtString(oldest) : null,
      endDate: newest ? takenAtString(newest) : null,
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    };
  }

  list(_ownerId: string, filter: { assetId?: string | undefined }): AlbumRecord[] {
    const rows = (filter.assetId ? this.stmts.holding.all(filter.assetId) : this.stmts.all.all()) as AlbumRow[];
    return rows.map((r) => this.toRecord(r));
  }

  get(_ownerId: string, id: string): AlbumRecord | null {
    const row = this.stmts.one.get(id) as AlbumRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  create(ownerId: string, input: { name: string; description: string | null; assetIds: readonly string[] }): AlbumRecord {
    const id = uuidv7();
    this.sqlite.transaction(() => {
      const now = Date.now();
      this.stmts.insert.run(id, input.name, input.description, now, now);
      this.insertMembers(id, input.assetIds, now);
    }).immediate();
    const album = this.get(ownerId, id);
    if (!album) throw new Error(`album ${id} vanished right after it was created`);
    return album;
  }

  update(_ownerId: string, id: string, patch: { name?: string | undefined; description?: string | null | undefined; coverAssetId?: string | null | undefined }): boolean {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (patch.name !== undefined) {
      sets.push('name = ?');
      params.push(patch.name);
    }
    if (patch.description !== undefined) {
      sets.push('description = ?');
      params.push(patch.description);
    }
    if (patch.coverAssetId !== undefined) {
      sets.push('cover_asset_id = ?');
      params.push(patch.coverAssetId);
    }
    sets.push('updated_at = ?');
    params.push(Date.now());
    return this.sqlite.prepare(`UPDATE albums SET ${sets.join(', ')} WHERE id = ?`).run(...params, id).changes > 0;
  }

  delete(_ownerId: string, id: string): boolean {
    return this.stmts.delete.run(id).changes > 0;
  }

  addAssets(_ownerId: string, id: string, assetIds: readonly string[]): number {
    return this.sqlite.transaction(() => {
      const now = Date.now();
      const added = this.insertMembers(id, assetIds, now);
      if (added > 0) this.stmts.touch.run(now, id);
      return added;
    }).immediate();
  }

  /** Adds the assets that exist (tombstones and Live Photo videos do not) and are not in yet. */
  private insertMembers(id: string, assetIds: readonly string[], now: number): number {
    let added = 0;
    for (const chunk of chunks(assetIds)) {
      added += this.sqlite
        .prepare(`INSERT OR IGNORE INTO album_assets (album_id, asset_id, added_at)
          SELECT ?, id, ? FROM assets WHERE id IN (${marks(chunk.length)}) AND visibility = 'timeline'`)
        .run(id, now, ...chunk).changes;
    }
    return added;
  }

  removeAssets(_ownerId: string, id: string, assetIds: readonly string[]): number {
    return this.sqlite.transaction(() => {
      let removed = 0;
      for (const chunk of chunks(assetIds)) {
        removed += this.sqlite.prepare(`DELETE FROM album_assets WHERE album_id = ? AND asset_id IN (${marks(chunk.length)})`)
          .run(id, ...chunk).changes;
        // A cover taken out of the album is no longer its cover: the newest asset serves again.
        this.sqlite.prepare(`UPDATE albums SET cover_asset_id = NULL WHERE id = ? AND cover_asset_id IN (${marks(chunk.length)})`)
          .run(id, ...chunk);
      }
      if (removed > 0) this.stmts.touch.run(Date.now(), id);
      return removed;
    }).immediate();
  }

  contains(_ownerId: string, id: string, assetId: string): boolean {
    return this.stmts.contains.get(id, assetId) !== undefined;
  }
}
