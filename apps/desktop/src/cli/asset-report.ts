// The rows `shoebox assets --json` prints: one flat record per asset, straight from the catalog.
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
}

interface Row {
  id: string; path: string; type: 'image' | 'video'; checksum: string; taken_local: string | null;
  tz_offset_min: number | null; taken_source: 'offset' | 'gps' | 'local' | 'utc' | 'mtime' | null; mtime_ms: number;
  width: number | null; height: number | null; orientation: number | null; latitude: number | null;
  longitude: number | null; make: string | null; model: string | null; lens: string | null; duration: number | null;
  live_path: string | null; motion_photo: number; duplicate_of: string | null; status: 'ok' | 'failed' | 'pending';
  error: string | null; offline: number; format: string | null; size: number; sidecars: string; rating: number | null;
  description: string | null; keywords: string | null;
}

/** Every asset that a person would see as one (the motion half of a Live Photo is folded in). */
export function assetReport(sqlite: Sqlite, opts: { failed: boolean }): AssetReport[] {
  const rows = sqlite
    .prepare(`
      SELECT a.id, a.path, a.type, a.checksum, a.taken_local, a.tz_offset_min, a.taken_source, a.mtime_ms, a.width,
        a.height, a.orientation, e.latitude, e.longitude, e.make, e.model, e.lens, a.duration, v.path AS live_path,
        a.motion_photo, a.duplicate_of, a.status, a.error, a.offline, a.format, a.size, a.sidecars, a.rating,
        a.description, e.keywords
      FROM assets a
      LEFT JOIN exif e ON e.asset_id = a.id
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
  }));
}
