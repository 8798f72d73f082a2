// Turns catalog rows into the contract's asset shapes: the Postgres twin of the desktop's
// asset.mapper.ts, so both adapters answer the same. An upload's root is its owner's storage.
import type { AssetDerivatives, AssetDetail, AssetSummary, DerivativeStatus, TimelineAsset } from '@shoebox/core/contract';
import { formatTakenAt } from '@shoebox/core';
import type { assets, derivatives, exif } from '../db/schema.ts';

export type AssetRow = typeof assets.$inferSelect;
export type ExifRow = typeof exif.$inferSelect;
export type DerivativeRow = typeof derivatives.$inferSelect;

type TakenFields = Pick<AssetRow, 'takenLocal' | 'tzOffsetMin' | 'takenSource' | 'mtime'>;

/** The capture time as shown everywhere: local time with its offset, or the mtime before metadata. */
export function takenAtString(row: TakenFields): string {
  if (row.takenLocal && row.takenSource) {
    return formatTakenAt({ local: row.takenLocal, offsetMinutes: row.tzOffsetMin, source: row.takenSource });
  }
  return row.mtime.toISOString();
}

export function toSummary(row: AssetRow): AssetSummary {
  return {
    id: row.id,
    type: row.type,
    rootId: row.rootId ?? row.ownerId,
    path: row.path,
    fileName: row.fileName,
    size: row.size,
    checksum: row.checksum,
    takenAt: takenAtString(row),
    takenAtUtc: (row.takenAt ?? row.mtime).toISOString(),
    takenAtSource: row.takenSource ?? 'mtime',
    width: row.width,
    height: row.height,
    orientation: row.orientation,
    duration: row.duration,
    isFavorite: row.isFavorite,
    isArchived: row.isArchived,
    trashedAt: row.trashedAt?.toISOString() ?? null,
    rating: row.rating,
    status: row.status,
    offline: row.offline,
    livePhotoVideoId: row.livePhotoVideoId,
    motionPhoto: row.motionPhoto,
    duplicateOf: row.duplicateOf,
    thumbhash: row.thumbhash,
  };
}

/** The columns a grid cell is made from. */
export type TimelineRow = Pick<AssetRow, 'id' | 'type' | 'fileName' | 'takenLocal' | 'tzOffsetMin' | 'takenSource' | 'mtime' | 'width'
  | 'height' | 'duration' | 'isFavorite' | 'isArchived' | 'trashedAt' | 'rating' | 'livePhotoVideoId' | 'motionPhoto' | 'thumbhash'>;

export function toTimelineAsset(row: TimelineRow): TimelineAsset {
  return {
    id: row.id,
    type: row.type,
    fileName: row.fileName,
    takenAt: takenAtString(row),
    width: row.width,
    height: row.height,
    duration: row.duration,
    isFavorite: row.isFavorite,
    isArchived: row.isArchived,
    isTrashed: row.trashedAt !== null,
    rating: row.rating,
    livePhotoVideoId: row.livePhotoVideoId,
    motionPhoto: row.motionPhoto,
    thumbhash: row.thumbhash,
  };
}

function status(path: string | null, error: string | null, width: number | null, height: number | null): DerivativeStatus {
  return { state: path ? 'ready' : error ? 'failed' : 'pending', error, width, height };
}

export function toDerivatives(row: AssetRow, d: DerivativeRow | null): AssetDerivatives {
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

export function toDetail(row: AssetRow, ex: ExifRow | null, d: DerivativeRow | null, livePhotoVideoPath: string | null): AssetDetail {
  return {
    ...toSummary(row),
    mtime: row.mtime.toISOString(),
    description: row.description,
    error: row.error,
    livePhotoVideoPath,
    sidecars: row.sidecars,
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
      // The type sniffed at upload stands in until exif is read.
      mimeType: ex?.mimeType ?? row.mimeType,
      keywords: ex?.keywords ?? [],
    },
    derivatives: toDerivatives(row, d),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
