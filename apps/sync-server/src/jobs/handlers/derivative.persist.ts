// Writes what the media workers made (or why they could not) into `derivatives`, inside the job's
// completing transaction. Every write is guarded by the checksum the work was done for: when the
// content changed meanwhile, nothing is written and the re-queued job makes fresh derivatives.
import { sql, type SQL } from 'drizzle-orm';
import { DERIVATIVE_VERSION } from '@shoebox/core';
import type { SqlExec } from '../sql-exec.ts';

export interface MadeImage {
  /** As stored: relative to the data folder. */
  rel: string;
  width: number;
  height: number;
}

export interface Target {
  id: string;
  ownerId: string;
  checksum: string;
}

type Values = Record<string, string | number | null>;

/** Inserts or updates these columns of the asset's derivatives row, if the asset still has this content. */
async function upsert(tx: SqlExec, t: Target, values: Values): Promise<boolean> {
  const cols = Object.keys(values);
  const names = sql.raw(cols.join(', '));
  const params = sql.join(cols.map((c) => sql`${values[c]}`), sql`, `);
  const sets = sql.raw(cols.map((c) => `${c} = excluded.${c}`).join(', '));
  const rows = await tx.rows(sql`
    INSERT INTO derivatives (asset_id, owner_id, ${names}, updated_at)
    SELECT a.id, a.owner_id, ${params}, now() FROM assets a
    WHERE a.id = ${t.id} AND a.owner_id = ${t.ownerId} AND a.checksum = ${t.checksum}
    ON CONFLICT (asset_id) DO UPDATE SET ${sets}, updated_at = excluded.updated_at
    RETURNING asset_id`);
  return rows.length > 0;
}

async function setAsset(tx: SqlExec, t: Target, set: SQL): Promise<void> {
  await tx.rows(sql`UPDATE assets SET ${set}, updated_at = now() WHERE id = ${t.id} AND owner_id = ${t.ownerId} AND checksum = ${t.checksum}`);
}

export async function thumbnailMade(
  tx: SqlExec, t: Target, made: MadeImage & { source: string; thumbhash: string; preview: MadeImage | null },
): Promise<void> {
  const ok = await upsert(tx, t, {
    thumbnail_path: made.rel, thumbnail_width: made.width, thumbnail_height: made.height, thumbnail_source: made.source,
    thumbnail_checksum: t.checksum, thumbnail_version: DERIVATIVE_VERSION, thumbnail_error: null,
  });
  if (!ok) return;
  await setAsset(tx, t, sql`thumbhash = ${made.thumbhash}`);
  if (made.preview) await previewMade(tx, t, made.preview);
}

/** `failAsset`: the file itself cannot be shown, so the asset is failed with the same reason. */
export async function thumbnailFailed(tx: SqlExec, t: Target, error: string, failAsset: boolean): Promise<void> {
  const ok = await upsert(tx, t, {
    thumbnail_path: null, thumbnail_width: null, thumbnail_height: null, thumbnail_source: null,
    thumbnail_checksum: t.checksum, thumbnail_version: DERIVATIVE_VERSION, thumbnail_error: error,
    // A preview of earlier content is not this content's.
    preview_path: null, preview_width: null, preview_height: null,
    preview_checksum: t.checksum, preview_version: DERIVATIVE_VERSION, preview_error: error,
  });
  if (!ok) return;
  await setAsset(tx, t, failAsset ? sql`thumbhash = NULL, status = 'failed', error = ${error}` : sql`thumbhash = NULL`);
}

export async function previewMade(tx: SqlExec, t: Target, made: MadeImage): Promise<void> {
  await upsert(tx, t, {
    preview_path: made.rel, preview_width: made.width, preview_height: made.height,
    preview_checksum: t.checksum, preview_version: DERIVATIVE_VERSION, preview_error: null,
  });
}

export async function previewFailed(tx: SqlExec, t: Target, error: string): Promise<void> {
  await upsert(tx, t, {
    preview_path: null, preview_width: null, preview_height: null,
    preview_checksum: t.checksum, preview_version: DERIVATIVE_VERSION, preview_error: error,
  });
}

export async function videoMade(tx: SqlExec, t: Target, state: 'original' | 'transcoded', rel: string | null): Promise<void> {
  await upsert(tx, t, {
    video_state: state, video_path: rel, video_checksum: t.checksum, video_version: DERIVATIVE_VERSION, video_error: null,
  });
}

export async function videoFailed(tx: SqlExec, t: Target, error: string): Promise<void> {
  await upsert(tx, t, {
    video_state: 'failed', video_path: null, video_checksum: t.checksum, video_version: DERIVATIVE_VERSION, video_error: error,
  });
}
