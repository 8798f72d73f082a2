// The `metadata` job: loads the asset, asks a media worker to read the file, and hands back the
// writes for the runner's batch transaction. Idempotent: it can run again for the same asset.
import fs from 'node:fs';
import type { MetadataResult } from '@shoebox/core';
import type { Sqlite } from '../db/connection.ts';
import type { JobOutcome } from '../jobs/job.runner.ts';
import type { MediaWorkers } from '@shoebox/media-node/workers/worker-pool';
import type { MetadataWriter } from './metadata.persist.ts';

interface AssetForMetadata {
  path: string;
  checksum: string;
  sidecars: string;
  mtimeMs: number;
  offline: number;
}

export function createMetadataHandler(sqlite: Sqlite, pool: MediaWorkers, writer: MetadataWriter) {
  const load = sqlite.prepare(`SELECT path, checksum, sidecars, mtime_ms AS mtimeMs, offline FROM assets WHERE id = ?`);
  return async ({ assetId }: { assetId: string }): Promise<JobOutcome> => {
    const asset = load.get(assetId) as AssetForMetadata | undefined;
    // Removed or offline since the job was queued: nothing to read; a rescan queues it again.
    if (!asset || asset.offline) return {};
    const xmp = (JSON.parse(asset.sidecars) as string[]).filter((p) => p.toLowerCase().endsWith('.xmp'));
    const result = await pool.call<MetadataResult>({ type: 'metadata', path: asset.path, sidecars: xmp });
    // The file moved or vanished while it was read: the scan that notices re-queues the job.
    if (!result.ok && !fs.existsSync(asset.path)) return {};
    const failed = result.ok ? (result.problem ?? undefined) : result.error;
    const outcome: JobOutcome = { commit: () => writer.write(assetId, asset.checksum, asset.mtimeMs, result) };
    if (failed) outcome.failed = failed;
    else if (result.ok) outcome.facts = { assetType: result.metadata.assetType };
    return outcome;
  };
}
