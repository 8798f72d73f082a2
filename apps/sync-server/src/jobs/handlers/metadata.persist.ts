// Writes a metadata result into the catalog (inside the job's completing transaction) and pairs
// Live Photos of one owner: a still and a video with the same content identifier become one asset.
// Every write is guarded by the checksum that was read: changed content is read again.
import { sql } from 'drizzle-orm';
import { monthOf, takenAtFromMtime, takenAtUtcMs, type MetadataResult, type TakenAt } from '@shoebox/core';
import type { SqlExec } from '../sql-exec.ts';

export interface MetadataTarget {
  id: string;
  ownerId: string;
  checksum: string;
  /** The client's modification time (else the upload's date): the capture time when no tag has one. */
  mtime: Date;
}

/** A JS string array as a text[] parameter, the same way on both drivers. */
export function textArray(values: readonly string[]) {
  return sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}

function takenColumns(t: TakenAt) {
  return sql`taken_at = ${new Date(takenAtUtcMs(t)).toISOString()}::timestamptz, taken_local = ${t.local},
    tz_offset_min = ${t.offsetMinutes}, taken_source = ${t.source}, month = ${monthOf(t.local)}`;
}

export async function writeMetadata(tx: SqlExec, target: MetadataTarget, result: MetadataResult): Promise<void> {
  const { id, ownerId, checksum } = target;
  if (!result.ok) {
    const t = takenAtFromMtime(target.mtime.getTime());
    await tx.rows(sql`
      UPDATE assets SET status = 'failed', error = ${result.error}, ${takenColumns(t)}, updated_at = now()
      WHERE id = ${id} AND owner_id = ${ownerId} AND checksum = ${checksum}`);
    return;
  }
  const m = result.metadata;
  const taken = m.takenAt ?? takenAtFromMtime(target.mtime.getTime());
  const updated = await tx.rows(sql`
    UPDATE assets SET type = ${m.assetType}, format = ${m.fileType}, status = ${result.problem ? 'failed' : 'ok'},
      error = ${result.problem}, ${takenColumns(taken)},
      width = ${m.width}, height = ${m.height}, orientation = ${m.orientation}, duration = ${m.duration},
      rating = coalesce(${m.rating}::int, rating), description = coalesce(${m.description}, description),
      content_identifier = ${m.contentIdentifier}, motion_photo = ${m.motionPhoto},
      motion_video_offset = ${m.motionPhotoVideo?.offset ?? null}, motion_video_length = ${m.motionPhotoVideo?.length ?? null},
      updated_at = now()
    WHERE id = ${id} AND owner_id = ${ownerId} AND checksum = ${checksum}
    RETURNING id`);
  if (updated.length === 0) return;
  await tx.rows(sql`
    INSERT INTO exif (asset_id, owner_id, make, model, lens, f_number, exposure_time, iso, focal_length, latitude, longitude,
      altitude, video_codec, file_type, mime_type, keywords, warnings)
    VALUES (${id}, ${ownerId}, ${m.make}, ${m.model}, ${m.lens}, ${m.fNumber}, ${m.exposureTime}, ${m.iso === null ? null : Math.round(m.iso)}, ${m.focalLength},
      ${m.latitude}, ${m.longitude}, ${m.altitude}, ${m.videoCodec}, ${m.fileType}, ${m.mimeType},
      ${textArray(m.keywords)}, ${textArray(m.warnings)})
    ON CONFLICT (asset_id) DO UPDATE SET make = excluded.make, model = excluded.model, lens = excluded.lens,
      f_number = excluded.f_number, exposure_time = excluded.exposure_time, iso = excluded.iso,
      focal_length = excluded.focal_length, latitude = excluded.latitude, longitude = excluded.longitude,
      altitude = excluded.altitude, video_codec = excluded.video_codec, file_type = excluded.file_type,
      mime_type = excluded.mime_type, keywords = excluded.keywords, warnings = excluded.warnings`);
  if (m.contentIdentifier && !result.problem) await pairLivePhoto(tx, id, ownerId, m.contentIdentifier, m.assetType);
}

/** Links the still to the video with the same content identifier (same owner) and hides the video. */
async function pairLivePhoto(tx: SqlExec, id: string, ownerId: string, cid: string, type: 'image' | 'video'): Promise<void> {
  const other = type === 'image' ? 'video' : 'image';
  const [match] = await tx.rows<{ id: string }>(sql`
    SELECT id FROM assets
    WHERE owner_id = ${ownerId} AND content_identifier = ${cid} AND type = ${other} AND id <> ${id}
      AND duplicate_of IS NULL AND visibility <> 'removed'
    ORDER BY offline, created_at LIMIT 1`);
  if (!match) return;
  const still = type === 'image' ? id : match.id;
  const video = type === 'image' ? match.id : id;
  await tx.rows(sql`UPDATE assets SET live_photo_video_id = ${video}, updated_at = now() WHERE id = ${still} AND owner_id = ${ownerId}`);
  await tx.rows(sql`UPDATE assets SET visibility = 'hidden', updated_at = now() WHERE id = ${video} AND owner_id = ${ownerId} AND visibility = 'timeline'`);
}
