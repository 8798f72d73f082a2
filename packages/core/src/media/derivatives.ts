// What the media pipeline makes for each asset, and where it keeps it: sizes, formats, the
// pipeline version (bump it to have every derivative remade) and the sharded on-disk layout.

export type DerivativeKind = 'thumbnail' | 'preview' | 'video';

/** Bumped whenever the derivatives' look changes; older ones are remade on `regenerate`. */
export const DERIVATIVE_VERSION = 1;

export const THUMBNAIL_SHORT_SIDE = 250;
export const PREVIEW_LONG_SIDE = 1440;
/** thumbhash encodes at most 100×100 pixels. */
export const THUMBHASH_MAX_SIDE = 100;
/**
 * An embedded thumbnail (HEIC thumbnail item, RAW preview) serves the grid when its short side is
 * at least this fraction of the thumbnail's: iPhone HEIC thumbnails are 320×240.
 */
export const EMBEDDED_THUMBNAIL_MIN_FRACTION = 0.9;
/** Embedded images smaller than this on their long side are placeholders, not pictures. */
export const MIN_EMBEDDED_LONG_SIDE = 64;
/** Transcodes are capped at 1080p (on the short side): enough for the viewer, and quick to make. */
export const VIDEO_MAX_SHORT_SIDE = 1080;

const FOLDER: Record<DerivativeKind, string> = { thumbnail: 'thumbs', preview: 'previews', video: 'videos' };

/**
 * Path of a derivative relative to the data folder: `media/<kind>/<xx>/<yy>/<assetId>.<ext>`.
 * The two shard levels come from the random tail of the UUIDv7, so a folder holds about
 * n / 65 536 files: under a few thousand even at a hundred million assets.
 */
export function derivativeRelPath(kind: DerivativeKind, assetId: string, ext: string): string {
  return `${derivativeRelBase(kind, assetId)}.${ext}`;
}

/** The same path without its extension (the preview is .jpg, or .webp when it is transparent). */
export function derivativeRelBase(kind: DerivativeKind, assetId: string): string {
  const hex = assetId.replace(/-/g, '');
  const a = hex.slice(-2);
  const b = hex.slice(-4, -2);
  return `media/${FOLDER[kind]}/${a}/${b}/${assetId}`;
}

/** What `regenerate` asks to remake, carried in the jobs' payload. */
export type RegenerateScope = 'images' | 'videos';

export interface Size {
  width: number;
  height: number;
}

/** Scales so that the short side is `short`, never enlarging. */
export function fitShortSide(src: Size, short: number): Size {
  const scale = Math.min(1, short / Math.min(src.width, src.height));
  return { width: Math.max(1, Math.round(src.width * scale)), height: Math.max(1, Math.round(src.height * scale)) };
}

/** Scales so that the long side is `long`, never enlarging. */
export function fitLongSide(src: Size, long: number): Size {
  const scale = Math.min(1, long / Math.max(src.width, src.height));
  return { width: Math.max(1, Math.round(src.width * scale)), height: Math.max(1, Math.round(src.height * scale)) };
}

/** Whether an embedded image is large enough to be the grid thumbnail of the full picture. */
export function embeddedServesThumbnail(embedded: Size, full: Size | null): boolean {
  const short = Math.min(embedded.width, embedded.height);
  if (short >= THUMBNAIL_SHORT_SIDE * EMBEDDED_THUMBNAIL_MIN_FRACTION) return true;
  // A picture that is itself small has no larger thumbnail to give.
  return full !== null && Math.min(full.width, full.height) <= short;
}

/** File types (exiftool's FileType) that are camera RAW formats. */
export const RAW_FILE_TYPES = new Set([
  '3FR', 'ARI', 'ARW', 'CAP', 'CR2', 'CR3', 'CRW', 'DCR', 'DNG', 'ERF', 'FFF', 'GPR', 'IIQ', 'K25', 'KDC', 'MEF',
  'MOS', 'MRW', 'NEF', 'NRW', 'ORF', 'ORI', 'PEF', 'RAF', 'RAW', 'RW2', 'RWL', 'SR2', 'SRF', 'SRW', 'X3F',
]);

export function isRawFileType(fileType: string | null | undefined): boolean {
  return fileType !== null && fileType !== undefined && RAW_FILE_TYPES.has(fileType.toUpperCase());
}
