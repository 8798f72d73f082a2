// Turns catalog rows into the contract's asset shapes.
import type { AssetDerivatives, AssetDetail, AssetSummary, DerivativeStatus, TimelineAsset } from '@shoebox/core/contract';
import { formatTakenAt } from '@shoebox/core';
import type { assets, derivatives, exif } from '../db/schema.ts';

export type AssetRow = typeof assets.$inferSelect;
export type ExifRow = typeof exif.$inferSelect;
export type DerivativeRow = typeof derivatives.$inferSelect;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The capture time as shown everywhere: local time with its offset, or the mtime before metadata. */
export function takenAtString(row: Pick<AssetRow, 'takenLocal' | 'tzOffsetMin' | 'takenSource' | 'mtimeMs'>): string {
  if (row.takenLocal && row.takenSource) {
    return formatTakenAt({ local: row.takenLocal, offsetMinutes: row.tzOffsetMin, source: row.takenSource });
  }
  return iso(row.mtimeMs);
}

export function toSummary(row: AssetRow): AssetSummary {
  return {
    id: row.id,
    type: row.type,
    rootId: row.rootId,
    path: row.path,
    fileName: row.fileName,
    size: row.size,
    checksum: row.checksum,
    takenAt: takenAtString(row),
    takenAtUtc: iso(row.takenUtcMs ?? row.mtimeMs),
    takenAtSource: row.takenSource ?? 'mtime',
    width: row.width,
    height: row.height,
    orientation: row.orientation,
    duration: row.duration,
    isFavorite: row.isFavorite,
    isArchived: row.isArchived,
    trashedAt: row.trashedAt === null ? null : iso(row.trashedAt),
    rating: row.rating,
    status: row.status,
    offline: row.offline,
    livePhotoVideoId: row.livePhotoVideoId,
    motionPhoto: row.motionPhoto,
    duplicateOf: row.duplicateOf,
    thumbhash: row.thumbhash,
  };
}

/** The columns a grid cell is made from, as the timeline's raw statement selects them. */
export const TIMELINE_COLUMNS = `a.id, a.type, a.file_name AS fileName, a.taken_local AS takenLocal, a.tz_offset_min AS tzOffsetMin,
  a.taken_source AS takenSource, a.mtime_ms AS mtimeMs, a.width, a.height, a.duration, a.is_favorite AS isFavorite,
  a.is_archived AS isArchived, a.trashed_at AS trashedAt, a.rating, a.live_photo_video_id AS livePhotoVideoId,
  a.motion_photo AS motionPhoto, a.thumbhash`;

export interface TimelineRow extends Pick<AssetRow, 'id' | 'type' | 'fileName' | 'takenLocal' | 'tzOffsetMin' | 'takenSource' | 'mtimeMs' | 'width' | 'height' | 'duration' | 'trashedAt' | 'rating' | 'livePhotoVideoId' | 'thumbhash'> {
  /** SQLite booleans, as integers (the raw statement skips drizzle's conversion). */
  isFavorite: number;
  isArchived: number;
  motionPhoto: number;
}

export function toTimelineAsset(row: TimelineRow): TimelineAsset {
  return {
    id: row.id,
    type: row.type,
    fileName: row.fileName,
    takenAt: takenAtString(row),
    width: row.width,
    height: row.height,
    duration: row.duration,
    isFavorite: row.isFavorite === 1,
    isArchived: row.isArchived === 1,
    isTrashed: row.trashedAt !== null,
    rating: row.rating,
    livePhotoVideoId: row.livePhotoVideoId,
    motionPhoto: row.motionPhoto === 1,
    thumbhash: row.thumbhash,
  };
}

function status(path: string | null, error: string | null, width: number | null, height: number | null): DerivativeStatus {
  return { state: path ? 'ready' : error ? 'failed' : 'pending', error, width, height };
}

export function toDerivatives(row: AssetRow, d: DerivativeRow | undefined): AssetDerivatives {
  const video: DerivativeStatus | null = row.type !== 'video' ? null : {
    state: d?.videoState === 'original' ? 'original' : d?.videoState === 'transcoded' ? 'ready' : d?.videoState === 'failed' ? 'failed' : 'pending',
    error: d?.videoError ?? null,
    width: null,
    height: null,
  };
  return {
    thumbnail: status(d?.thumbnailPath ?? null, d?.thumbnailError ?? null, d?.thumbnailWidth ?? null, d?.thumbnailHeight ?? null),
    preview: status(d?.previewPath ?? null, d?.previewError ?? null, d?.previewWidth ?? null, d?.previewHeight ?? null),
    video,
  };
}

export function toDetail(row: AssetRow, ex: ExifRow | undefined, d: DerivativeRow | undefined, livePhotoVideoPath: string | null): AssetDetail {
  return {
    ...toSummary(row),
    mtime: iso(row.mtimeMs),
    description: row.description,
    error: row.error,
    livePhotoVideoPath,
    sidecars: JSON.parse(row.sidecars) as string[],
    exif: {
      make: ex?.make ?? null,
      model: ex?.model ?? null,
      lens: ex?.lens ?? null,
      fNumber: ex?.fNumber ?? null,
      exposureTime: ex?.exposureTime ?? null,
      iso: ex?.iso ?? null,
      focalLength: ex?.focalLength ?? null,
      latitude: ex?.latitude ?? null,
      longitude: ex?.longitude ?? null,
      altitude: ex?.altitude ?? null,
      videoCodec: ex?.videoCodec ?? null,
      fileType: ex?.fileType ?? row.format,
      mimeType: ex?.mimeType ?? null,
      keywords: ex ? (JSON.parse(ex.keywords) as string[]) : [],
    },
    derivatives: toDerivatives(row, d),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
