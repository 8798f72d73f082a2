// AlbumRepository over Postgres, scoped by owner. As on the desktop (album.sqlite.repository.ts),
// an album's count, dates and fallback cover are taken over the assets its grid shows (archived
// ones included; trashed, duplicate and unreadable ones not), so the list and the page agree.
// Members are the owner's own assets: (asset_id, owner_id) references assets, so the database
// refuses anything else.
import { sql, type SQL } from 'drizzle-orm';
import { uuidv7, type AlbumRecord, type AlbumRepository } from '@shoebox/core';
import type { Db } from '../db/database.ts';
import { takenAtString } from './asset.pg.mapper.ts';
import { tsParam } from './asset.pg.repository.ts';
import { first, iso, isUuid, now, rows, run, uuidList } from './pg.query.ts';
import { DEFAULT_VISIBLE } from './timeline-filter.pg.ts';

const MEMBERS = `FROM album_assets aa JOIN assets a ON a.id = aa.asset_id WHERE aa.album_id = al.id AND ${DEFAULT_VISIBLE}`;
const COVER_COLUMNS = 'a.id, a.thumbhash, a.taken_local, a.tz_offset_min, a.taken_source, a.mtime';

/** Each album with its shown members' count, chosen cover (while shown), newest and oldest member. */
const SELECT_ALBUMS = `
  SELECT al.id, al.name, al.description, al.created_at, al.updated_at, cnt.n AS asset_count,
    ch.id AS chosen_id, ch.thumbhash AS chosen_thumbhash,
    nw.id AS newest_id, nw.thumbhash AS newest_thumbhash, nw.taken_local AS newest_local, nw.tz_offset_min AS newest_offset,
    nw.taken_source AS newest_source, nw.mtime AS newest_mtime,
    ol.taken_local AS oldest_local, ol.tz_offset_min AS oldest_offset, ol.taken_source AS oldest_source, ol.mtime AS oldest_mtime
  FROM albums al
  CROSS JOIN LATERAL (SELECT count(*)::int AS n ${MEMBERS}) cnt
  LEFT JOIN LATERAL (SELECT ${COVER_COLUMNS} ${MEMBERS} AND a.id = al.cover_asset_id) ch ON true
  LEFT JOIN LATERAL (SELECT ${COVER_COLUMNS} ${MEMBERS} ORDER BY a.taken_at DESC NULLS LAST, a.id DESC LIMIT 1) nw ON true
  LEFT JOIN LATERAL (SELECT ${COVER_COLUMNS} ${MEMBERS} ORDER BY a.taken_at ASC NULLS FIRST, a.id ASC LIMIT 1) ol ON true`;

const ORDER = sql.raw('ORDER BY al.updated_at DESC, al.id DESC');

interface AlbumRow {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
  asset_count: number;
  chosen_id: string | null;
  chosen_thumbhash: string | null;
  newest_id: string | null;
  newest_thumbhash: string | null;
  newest_local: string | null;
  newest_offset: number | null;
  newest_source: 'offset' | 'gps' | 'local' | 'utc' | 'mtime' | null;
  newest_mtime: string | null;
  oldest_local: string | null;
  oldest_offset: number | null;
  oldest_source: 'offset' | 'gps' | 'local' | 'utc' | 'mtime' | null;
  oldest_mtime: string | null;
}

function dateOf(local: string | null, offset: number | null, source: AlbumRow['newest_source'], mtime: string | null): string | null {
  if (mtime === null) return null;
  return takenAtString({ takenLocal: local, tzOffsetMin: offset, takenSource: source, mtime: new Date(mtime) });
}

function toRecord(r: AlbumRow): AlbumRecord {
  const chosen = r.chosen_id !== null;
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    assetCount: r.asset_count,
    coverAssetId: chosen ? r.chosen_id : r.newest_id,
    coverThumbhash: chosen ? r.chosen_thumbhash : r.newest_thumbhash,
    startDate: dateOf(r.oldest_local, r.oldest_offset, r.oldest_source, r.oldest_mtime),
    endDate: dateOf(r.newest_local, r.newest_offset, r.newest_source, r.newest_mtime),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Adds the owner's assets that exist (tombstones and Live Photo videos do not) and are not in yet. */
async function insertMembers(db: Db, ownerId: string, albumId: string, assetIds: readonly string[], at: Date): Promise<number> {
  if (assetIds.length === 0) return 0;
  return await run(db, sql`INSERT INTO album_assets (album_id, asset_id, owner_id, added_at)
    SELECT ${albumId}::uuid, a.id, a.owner_id, ${tsParam(at)} FROM assets a
    WHERE a.id = ANY(${uuidList(assetIds)}) AND a.owner_id = ${ownerId} AND a.visibility = 'timeline'
    ON CONFLICT DO NOTHING`);
}

const touch = (db: Db, ownerId: string, id: string, at: Date): Promise<number> =>
  run(db, sql`UPDATE albums SET updated_at = ${tsParam(at)} WHERE id = ${id} AND owner_id = ${ownerId}`);

export class AlbumPgRepository implements AlbumRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  private async select(where: SQL): Promise<AlbumRecord[]> {
    const found = await rows<AlbumRow>(this.db, sql`${sql.raw(SELECT_ALBUMS)} WHERE ${where} ${ORDER}`);
    return found.map(toRecord);
  }

  async list(ownerId: string, filter: { assetId?: string | undefined }): Promise<AlbumRecord[]> {
    if (!isUuid(ownerId)) return [];
    if (filter.assetId === undefined) return await this.select(sql`al.owner_id = ${ownerId}`);
    if (!isUuid(filter.assetId)) return [];
    return await this.select(sql`al.owner_id = ${ownerId} AND al.id IN (SELECT album_id FROM album_assets WHERE asset_id = ${filter.assetId}::uuid)`);
  }

  async get(ownerId: string, id: string): Promise<AlbumRecord | null> {
    if (!isUuid(ownerId) || !isUuid(id)) return null;
    return (await this.select(sql`al.owner_id = ${ownerId} AND al.id = ${id}::uuid`))[0] ?? null;
  }

  async create(ownerId: string, input: { name: string; description: string | null; assetIds: readonly string[] }): Promise<AlbumRecord> {
    const id = uuidv7();
    await this.db.transaction(async (tx) => {
      const at = now();
      await run(tx, sql`INSERT INTO albums (id, owner_id, name, description, created_at, updated_at)
        VALUES (${id}, ${ownerId}, ${input.name}, ${input.description}::text, ${tsParam(at)}, ${tsParam(at)})`);
      await insertMembers(tx, ownerId, id, input.assetIds, at);
    });
    const album = await this.get(ownerId, id);
    if (!album) throw new Error(`album ${id} vanished right after it was created`);
    return album;
  }

  async update(ownerId: string, id: string, patch: { name?: string | undefined; description?: string | null | undefined; coverAssetId?: string | null | undefined }): Promise<boolean> {
    if (!isUuid(ownerId) || !isUuid(id)) return false;
    const sets: SQL[] = [];
    if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
    if (patch.description !== undefined) sets.push(sql`description = ${patch.description}::text`);
    if (patch.coverAssetId !== undefined) {
      // Only one of the owner's own assets can be a cover (the service checks it is a member).
      sets.push(isUuid(patch.coverAssetId)
        ? sql`cover_asset_id = (SELECT id FROM assets WHERE id = ${patch.coverAssetId}::uuid AND owner_id = ${ownerId})`
        : sql`cover_asset_id = NULL`);
    }
    sets.push(sql`updated_at = ${tsParam(now())}`);
    return await run(this.db, sql`UPDATE albums SET ${sql.join(sets, sql`, `)} WHERE id = ${id} AND owner_id = ${ownerId}`) > 0;
  }

  async delete(ownerId: string, id: string): Promise<boolean> {
    if (!isUuid(ownerId) || !isUuid(id)) return false;
    return await run(this.db, sql`DELETE FROM albums WHERE id = ${id} AND owner_id = ${ownerId}`) > 0;
  }

  async addAssets(ownerId: string, id: string, assetIds: readonly string[]): Promise<number> {
    if (!isUuid(ownerId) || !isUuid(id)) return 0;
    return await this.db.transaction(async (tx) => {
      // The album must be the owner's: the references check the assets, this checks the album.
      if (!await first(tx, sql`SELECT 1 FROM albums WHERE id = ${id} AND owner_id = ${ownerId} FOR UPDATE`)) return 0;
      const at = now();
      const added = await insertMembers(tx, ownerId, id, assetIds, at);
      if (added > 0) await touch(tx, ownerId, id, at);
      return added;
    });
  }

  async removeAssets(ownerId: string, id: string, assetIds: readonly string[]): Promise<number> {
    if (!isUuid(ownerId) || !isUuid(id)) return 0;
    return await this.db.transaction(async (tx) => {
      const removed = await run(tx, sql`DELETE FROM album_assets WHERE album_id = ${id} AND owner_id = ${ownerId} AND asset_id = ANY(${uuidList(assetIds)})`);
      // A cover taken out of the album is no longer its cover: the newest asset serves again.
      await run(tx, sql`UPDATE albums SET cover_asset_id = NULL WHERE id = ${id} AND owner_id = ${ownerId} AND cover_asset_id = ANY(${uuidList(assetIds)})`);
      if (removed > 0) await touch(tx, ownerId, id, now());
      return removed;
    });
  }

  async contains(ownerId: string, id: string, assetId: string): Promise<boolean> {
    if (!isUuid(ownerId) || !isUuid(id) || !isUuid(assetId)) return false;
    return await first(this.db, sql`SELECT 1 AS ok FROM album_assets WHERE album_id = ${id} AND asset_id = ${assetId} AND owner_id = ${ownerId}`) !== null;
  }
}
