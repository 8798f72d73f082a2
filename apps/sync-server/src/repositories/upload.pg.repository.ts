// Uploaded originals into the catalog. The unique index on (owner_id, checksum) among live rows
// decides between concurrent uploads of one file: one INSERT wins, the others find its row. A
// tombstone (removed from the library, file kept) does not count, so its content can come back.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { uuidv7 } from '@shoebox/core';
import type { Db } from '../db/database.ts';
import type { NewUploadedAsset, UploadRepository } from '../ports/server.ports.ts';
import { first, isUuid, rows, textList } from './pg.query.ts';

/** An INSERT that lost to a row purged right after: try again (bounded, it cannot keep happening). */
const ATTEMPTS = 5;

export class UploadPgRepository implements UploadRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async insert(asset: NewUploadedAsset): Promise<{ id: string; created: boolean }> {
    const checksum = asset.checksum.toLowerCase();
    const at = new Date().toISOString();
    // Until metadata is read, the file's time stands in for the capture time (and is the list's fallback).
    const mtime = asset.fileModifiedAt ?? asset.takenAt;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const inserted = await first<{ id: string }>(this.db, sql`INSERT INTO assets (id, owner_id, checksum, path, dir, file_name,
          mime_type, format, type, size, mtime, device_id, device_asset_id, file_created_at, file_modified_at, created_at, updated_at)
        VALUES (${uuidv7()}, ${asset.ownerId}, ${checksum}, ${asset.path}, ${path.dirname(asset.path)}, ${asset.fileName},
          ${asset.mimeType}, ${asset.format}, ${asset.type}, ${asset.size}, ${mtime}::timestamptz, ${asset.deviceId}::text,
          ${asset.deviceAssetId}::text, ${asset.fileCreatedAt}::timestamptz, ${asset.fileModifiedAt}::timestamptz, ${at}::timestamptz, ${at}::timestamptz)
        ON CONFLICT (owner_id, checksum) WHERE visibility <> 'removed' DO NOTHING
        RETURNING id`);
      if (inserted) return { id: inserted.id, created: true };
      const existing = await first<{ id: string }>(this.db, sql`SELECT id FROM assets
        WHERE owner_id = ${asset.ownerId} AND checksum = ${checksum} AND visibility <> 'removed'`);
      if (existing) return { id: existing.id, created: false };
    }
    throw new Error(`could not file the upload ${checksum}: its asset kept changing`);
  }

  async byChecksums(ownerId: string, checksums: readonly string[]): Promise<Map<string, string>> {
    if (!isUuid(ownerId) || checksums.length === 0) return new Map();
    const wanted = [...new Set(checksums.map((c) => c.toLowerCase()))];
    const found = await rows<{ checksum: string; id: string }>(this.db, sql`SELECT checksum, id FROM assets
      WHERE owner_id = ${ownerId} AND checksum = ANY(${textList(wanted)}) AND visibility <> 'removed'`);
    return new Map(found.map((r) => [r.checksum, r.id]));
  }

  async knownPaths(): Promise<Set<string>> {
    // Tombstones included: their files were kept on purpose.
    const found = await rows<{ path: string }>(this.db, sql`SELECT path FROM assets UNION SELECT unnest(sidecars) FROM assets`);
    return new Set(found.map((r) => r.path));
  }
}
