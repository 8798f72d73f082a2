// The `metadata` job: loads the asset, asks a media worker to read the file (exiftool, and ffprobe
// for videos) and hands back the writes for the job's completing transaction. A file that cannot
// be read is recorded as failed on its asset; the other jobs go on. Idempotent: it can run again.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import type { MetadataResult } from '@shoebox/core';
import type { MediaWorkers } from '@shoebox/media-node/workers/worker-pool';
import type { JobOutcome } from '../job.types.ts';
import type { SqlDb } from '../sql-exec.ts';
import { writeMetadata } from './metadata.persist.ts';

interface AssetForMetadata {
  owner_id: string;
  path: string;
  checksum: string;
  sidecars: string[] | null;
  mtime: unknown;
  offline: boolean;
  visibility: string;
}

export function createMetadataHandler(db: SqlDb, pool: MediaWorkers) {
  return async ({ assetId }: { assetId: string }): Promise<JobOutcome> => {
    const [asset] = await db.rows<AssetForMetadata>(sql`
      SELECT owner_id, path, checksum, sidecars, mtime, offline, visibility FROM assets WHERE id = ${assetId}`);
    // Removed since the job was queued, or its storage is not there: nothing to read.
    if (!asset || asset.offline || asset.visibility === 'removed') return {};
    const xmp = (asset.sidecars ?? []).filter((p) => p.toLowerCase().endsWith('.xmp'));
    const result = await pool.call<MetadataResult>({ type: 'metadata', path: asset.path, sidecars: xmp });
    // The file went away while it was read (the asset is being deleted): nothing to record.
    if (!result.ok && !fs.existsSync(asset.path)) return {};
    const target = {
      id: assetId, ownerId: asset.owner_id, checksum: asset.checksum,
      mtime: asset.mtime instanceof Date ? asset.mtime : new Date(String(asset.mtime)),
    };
    const outcome: JobOutcome = { commit: (tx) => writeMetadata(tx, target, result) };
    const failed = result.ok ? (result.problem ?? undefined) : result.error;
    if (failed) outcome.failed = failed;
    else if (result.ok) outcome.facts = { assetType: result.metadata.assetType };
    return outcome;
  };
}
