// The rows `shoebox assets --json` prints: one flat record per asset, straight from the catalog.
import path from 'node:path';
import type { Sqlite } from '../db/connection.ts';
import { takenAtString } from '../repositories/asset.mapper.ts';

export interface AssetReport {
  id: string;
  path: string;
  type: 'image' | 'video';
  checksum: string;
  takenAt: string;
  takenAtSource: string;
  width: number | null;
  height: number | null;
  orientation: number | null;
  latitude: number | null;
  longitude: number | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  duration: number | null;
  livePhotoVideo: string | null;
  motionPhoto: boolean;
  duplicateOf: string | null;
  status: 'ok' | 'failed' | 'pending';
  error: string | null;
  offline: boolean;
  fileType: string | null;
  size: number;
  sidecars: string[];
  rating: number | null;
  description: string | null;
  keywords: string[];
  /** Absolute paths of the derivatives, null until made. */
  thumbnailPath: string | null;
  previewPath: string | null;
  /** The playable transcode, when one was made (null when the original plays as it is). */
  videoPath: string | null;
  /** original | transcoded | failed, for videos; null until the transcode job ran. */
  videoState: string | null;
  thumbhash: string | null;
  thumbnailSize: [number, number] | null;
  previewSize: [number, number] | null;
  /** Why a derivative could not be made. */
  derivativeErrors: { thumbnail: string | null; preview: string | null; video: string | null };
}

interface Row {
  id: string; path: string; type: 'image' | 'video'; checksum: string; taken_local: string | null;
  tz_offset_min: number | null; taken_source: 'offset' | 'gps' | 'local' | 'utc' | 'mtime' | null; mtime_ms: number;
  width: number | null; height: number | null; orientation: number | null; latitude: number | null;
  longitude: number | null; make: string | null; model: string | null; lens: string | null; duration: number | null;
  live_path: string | null; motion_photo: number; duplicate_of: string | null; status: 'ok' | 'failed' | 'pending';
  error: string | null; offline: number; format: string | null; size: number; sidecars: string; rating: number | null;
  description: string | null; keywords: string | null; thumbhash: string | null;
  thumbnail_path: string | null; thumbnail_width: number | null; thumbnail_height: number | null; thumbnail_error: string | null;
  preview_path: string | null; preview_width: number | null; preview_height: number | null; preview_error: string | null;
  video_state: string | null; video_path: string | null; video_error: string | null;
}

/** Every asset that a person would see as one (the motion half of a Live Photo is folded in). */
export function assetReport(sqlite: Sqlite, dataDir: string, opts: { failed: boolean }): AssetReport[] {
  const abs = (rel: string | null): string | null => (rel ? path.join(dataDir, rel) : null);
  const rows = sqlite
    .prepare(`
      SELECT a.id, a.path, a.type, a.checksum, a.taken_local, a.tz_offset_min, a.taken_source, a.mtime_ms, a.width,
        a.height, a.orientation, e.latitude, e.longitude, e.make, e.model, e.lens, a.duration, v.path AS live_path,
        a.motion_photo, a.duplicate_of, a.status, a.error, a.offline, a.format, a.size, a.sidecars, a.rating,
        a.description, e.keywords, a.thumbhash,
        d.thumbnail_path, d.thumbnail_width, d.thumbnail_height, d.thumbnail_error,
        d.preview_path, d.preview_width, d.preview_height, d.preview_error, d.video_state, d.video_path, d.video_error
      FROM assets a
      LEFT JOIN exif e ON e.asset_id = a.id
      LEFT JOIN derivatives d ON d.asset_id = a.id
      LEFT JOIN assets v ON v.id = a.live_photo_video_id
      WHERE a.visibility = 'timeline' ${opts.failed ? `AND a.status = 'failed'` : ''}
      ORDER BY a.path`)
    .all() as Row[];
  return rows.map((r) => ({
    id: r.id,
    path: r.path,
    type: r.type,
    checksum: r.checksum,
    takenAt: takenAtString({ takenLocal: r.taken_local, tzOffsetMin: r.tz_offset_min, takenSource: r.taken_source, mtimeMs: r.mtime_ms }),
    takenAtSource: r.taken_source ?? 'mtime',
    width: r.width,
    height: r.height,
    orientation: r.orientation,
    latitude: r.latitude,
    longitude: r.longitude,
    make: r.make,
    model: r.model,
    lens: r.lens,
    duration: r.duration,
    livePhotoVideo: r.live_path,
    motionPhoto: r.motion_photo === 1,
    duplicateOf: r.duplicate_of,
    status: r.status,
    error: r.error,
    offline: r.offline === 1,
    fileType: r.format,
    size: r.size,
    sidecars: JSON.parse(r.sidecars) as string[],
    rating: r.rating,
    description: r.description,
    keywords: r.keywords ? (JSON.parse(r.keywords) as string[]) : [],
    thumbnailPath: abs(r.thumbnail_path),
    previewPath: abs(r.preview_path),
    videoPath: r.video_state === 'transcoded' ? abs(r.video_path) : null,
    videoState: r.video_state,
    thumbhash: r.thumbhash,
    thumbnailSize: r.thumbnail_width && r.thumbnail_height ? [r.thumbnail_width, r.thumbnail_height] : null,
    previewSize: r.preview_width && r.preview_height ? [r.preview_width, r.preview_height] : null,
    derivativeErrors: { thumbnail: r.thumbnail_error, preview: r.preview_error, video: r.video_error },
  }));
}
