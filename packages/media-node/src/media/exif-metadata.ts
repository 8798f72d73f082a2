// Pure mapping from exiftool-vendored `Tags` (the file's own, plus any XMP sidecars) to core's
// `ExtractedMetadata`: capture time and its offset, GPS, displayed size, camera, Live/Motion Photos.
import type { ExtractedMetadata, TakenAt } from '@shoebox/core';
import { DefaultExifToolOptions, type Tags } from 'exiftool-vendored';

type ByteRange = { offset: number; length: number };

export interface MappingOptions {
  /** Size of the file in bytes: Google Motion Photo offsets are counted from its end. */
  fileSize?: number;
  /** Motion Photo video found in the file's Samsung trailer (exiftool skips it with -fast). */
  trailerVideo?: ByteRange | null;
  /** IANA zone at a position; defaults to exiftool-vendored's offline lookup. */
  geoTz?: (lat: number, lon: number) => string | undefined;
}

const field = (tags: Tags, name: string): unknown => (tags as Readonly<Record<string, unknown>>)[name];

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? null : trimmed;
}

function num(value: unknown): number | null {
  if (Array.isArray(value)) return num(value[0]);
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number.parseFloat(value) : NaN;
  return Number.isFinite(n) ? n : null;
}

const positive = (value: unknown): number | null => {
  const n = num(value);
  return n !== null && n > 0 ? n : null;
};

function listOf(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value == null ? [] : [value];
  return values.map(text).filter((v): v is string => v !== null);
}

// --- Capture time ------------------------------------------------------------------------------

interface RawDate {
  /** Wall-clock time as written, `YYYY-MM-DDTHH:mm:ss[.sss]`. */
  local: string;
  /** That wall time read as if it were UTC, in ms (for offset arithmetic). */
  wallMs: number;
  /** Offset written in the value itself; `Z` is told apart: it marks UTC by definition. */
  offset: number | null;
  zulu: boolean;
}

const DATE_RE = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;
/** Photography did not exist before 1826; a year after 2100 is a corrupt value. */
const MIN_YEAR = 1826;
const MAX_YEAR = 2100;

export function parseOffset(value: string): number | null {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/** Parses an exiftool date-time (raw string or ExifDateTime); null for date-only or invalid ones. */
export function parseExifDateTime(value: unknown): RawDate | null {
  const raw = typeof value === 'string' ? value : (value as { rawValue?: unknown } | null)?.rawValue;
  const m = typeof raw === 'string' ? DATE_RE.exec(raw.trim()) : null;
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(wallMs).getUTCDate() !== day) return null; // 30 February and friends
  const fraction = m[7] ? `.${m[7].slice(0, 3).padEnd(3, '0')}` : '';
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const local = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}`;
  const zulu = m[8] === 'Z';
  const offset = zulu ? 0 : m[8] ? parseOffset(m[8]) : null;
  if (m[8] && offset === null) return null;
  return { local, wallMs: wallMs + Number(fraction.slice(1) || 0), offset, zulu };
}

/** Capture-date tags, best first: Immich's order, then the GPS clock as a last resort. */
const CAPTURE_TAGS = [
  'SubSecDateTimeOriginal', 'DateTimeOriginal', 'SubSecCreateDate',
  'CreationDate', // QuickTime Keys (Apple): local time with its offset
  'CreateDate', 'SubSecMediaCreateDate', 'MediaCreateDate', 'DateTimeCreated', 'DigitalCreationDateTime', 'GPSDateTime',
];
/** QuickTime movie-header dates are UTC by specification when they carry no zone. */
const QUICKTIME_UTC_TAGS = new Set(['CreateDate', 'MediaCreateDate', 'SubSecMediaCreateDate']);
const OFFSET_TAG_FOR: Readonly<Record<string, string>> = {
  SubSecDateTimeOriginal: 'OffsetTimeOriginal', DateTimeOriginal: 'OffsetTimeOriginal',
  SubSecCreateDate: 'OffsetTimeDigitized', CreateDate: 'OffsetTimeDigitized',
};

/** The offset the camera recorded for `dateTag`: OffsetTime* tags, then maker-note time zones. */
function offsetFromTags(tags: Tags, dateTag: string | null): number | null {
  const names = [OFFSET_TAG_FOR[dateTag ?? ''], 'OffsetTimeOriginal', 'TimeZone', 'OffsetTimeDigitized', 'TimeZoneOffset', 'OffsetTime'];
  for (const name of names) {
    if (!name) continue;
    const value = field(tags, name);
    let offset: number | null;
    if (name === 'TimeZoneOffset') {
      const hours = num(typeof value === 'string' ? value.split(/\s+/)[0] : value); // hours, 1 or 2 values
      offset = hours !== null && Math.abs(hours) <= 14 ? Math.round(hours * 60) : null;
    } else {
      const s = text(value);
      offset = s === 'Z' ? 0 : s ? parseOffset(s) : null;
    }
    if (offset === null) continue;
    // Nikon keeps standard time in TimeZone and daylight saving in a separate tag.
    const nikonDst = /\bnikon\b/i.test(String(field(tags, 'Make') ?? '')) && /^(yes|true|on|1)$/i.test(String(field(tags, 'DaylightSavings') ?? ''));
    return name === 'TimeZone' && nikonDst ? offset + 60 : offset;
  }
  return null;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat | null>();

/** Offset in minutes of IANA `zone` at the UTC instant `utcMs`; null for an unknown zone. */
export function zoneOffsetAt(zone: string, utcMs: number): number | null {
  if (!offsetFormats.has(zone)) {
    let format: Intl.DateTimeFormat | null = null;
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      // unknown zone
    }
    offsetFormats.set(zone, format);
  }
  const name = offsetFormats.get(zone)?.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')?.value;
  if (name === 'GMT') return 0;
  const m = name ? /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name) : null;
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** Offset of `zone` at a wall-clock time (read as UTC ms); the second pass settles DST changes. */
function zoneOffsetAtWall(zone: string, wallMs: number): number | null {
  const first = zoneOffsetAt(zone, wallMs);
  return first === null ? null : zoneOffsetAt(zone, wallMs - first * 60_000);
}

/**
 * Another capture-date tag with the same wall time and an explicit offset (XMP often carries the
 * zone EXIF lacks). "+00:00" is ignored: software writes it when it does not know the zone.
 */
function offsetFromSiblingDates(tags: Tags, date: RawDate): number | null {
  for (const name of ['CreateDate', 'DateTimeDigitized', 'SubSecCreateDate', 'DateTimeOriginal', 'DateCreated', 'DateTimeCreated', 'DigitalCreationDateTime']) {
    const other = parseExifDateTime(field(tags, name));
    if (!other || other.zulu || !other.offset) continue;
    if (Math.abs(Math.floor(other.wallMs / 1000) - Math.floor(date.wallMs / 1000)) <= 1) return other.offset;
  }
  return null;
}

/**
 * The capture time from one set of tags. Zone, in order: the value's own offset, the offset tags,
 * the GPS position's zone at that date, a sibling date's offset; else local time only.
 * `containerUtc`: a QuickTime-family file, whose zoneless CreateDate/MediaCreateDate are UTC.
 */
function takenAtFrom(tags: Tags, containerUtc: boolean, gpsZone: string | null): TakenAt | null {
  for (const name of CAPTURE_TAGS) {
    const date = parseExifDateTime(field(tags, name));
    if (!date) continue;
    if (date.offset !== null && !date.zulu) return { local: date.local, offsetMinutes: date.offset, source: 'offset' };
    if (date.zulu || name === 'GPSDateTime' || (containerUtc && QUICKTIME_UTC_TAGS.has(name))) {
      const tagged = offsetFromTags(tags, null);
      const gps = tagged === null && gpsZone ? zoneOffsetAt(gpsZone, date.wallMs) : null;
      const offset = tagged ?? gps ?? 0;
      const iso = new Date(date.wallMs + offset * 60_000).toISOString();
      const local = iso.slice(0, date.local.length > 19 ? 23 : 19);
      return { local, offsetMinutes: offset, source: tagged !== null ? 'offset' : gps !== null ? 'gps' : 'utc' };
    }
    const tagged = offsetFromTags(tags, name);
    if (tagged !== null) return { local: date.local, offsetMinutes: tagged, source: 'offset' };
    const gps = gpsZone ? zoneOffsetAtWall(gpsZone, date.wallMs) : null;
    if (gps !== null) return { local: date.local, offsetMinutes: gps, source: 'gps' };
    const sibling = offsetFromSiblingDates(tags, date);
    if (sibling !== null) return { local: date.local, offsetMinutes: sibling, source: 'offset' };
    return { local: date.local, offsetMinutes: null, source: 'local' };
  }
  return null;
}

// --- GPS, size, camera -------------------------------------------------------------------------

function positionOf(tags: Tags): { latitude: number; longitude: number; altitude: number | null } | null {
  const latitude = num(field(tags, 'GPSLatitude'));
  const longitude = num(field(tags, 'GPSLongitude'));
  if (latitude === null || longitude === null || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  if (latitude === 0 && longitude === 0) return null; // "null island": an unset position
  let altitude = num(field(tags, 'GPSAltitude'));
  if (altitude !== null && altitude > 2 ** 31) altitude -= 2 ** 32; // a negative altitude written unsigned
  if (altitude !== null && Math.abs(altitude) > 100_000) altitude = null;
  return { latitude, longitude, altitude };
}

/** Degrees clockwise from a Rotation tag: 90 (videos), "Rotate 90 CW" (HEIF irot). */
function rotationDegrees(value: unknown): number | null {
  if (typeof value === 'number') return ((Math.round(value) % 360) + 360) % 360;
  if (typeof value !== 'string') return null;
  if (/horizontal|normal/i.test(value)) return 0;
  const m = /(\d+)/.exec(value);
  if (!m) return null;
  const degrees = Number(m[1]) % 360;
  return /ccw/i.test(value) ? (360 - degrees) % 360 : degrees;
}

const ORIENTATION_OF_ROTATION: Readonly<Record<number, number>> = { 0: 1, 90: 6, 180: 3, 270: 8 };
const HEIF_IMAGES = new Set(['HEIC', 'HEIF', 'AVIF']);

/** Stored pixel size: exiftool's ImageSize composite picks the real one (SOF, ispe, RAW sensor). */
function storedSize(tags: Tags): [number, number] | null {
  const m = /^(\d+)[x ](\d+)$/.exec(text(field(tags, 'ImageSize')) ?? '');
  if (m) return [Number(m[1]), Number(m[2])];
  const w = positive(field(tags, 'ImageWidth'));
  const h = positive(field(tags, 'ImageHeight'));
  return w !== null && h !== null ? [Math.round(w), Math.round(h)] : null;
}

function lensOf(tags: Tags): string | null {
  for (const name of ['LensModel', 'Lens', 'LensID']) {
    const value = field(tags, name);
    if (typeof value === 'string' && value.trim() !== '' && !/^\d+$/.test(value.trim())) return value.trim();
  }
  return null;
}

function exposureOf(value: unknown): string | null {
  if (typeof value === 'number') return value > 0 ? (value >= 1 ? String(value) : `1/${Math.round(1 / value)}`) : null;
  const s = text(value);
  return s && s !== '0' ? s : null;
}

// --- Motion Photos, descriptive metadata -------------------------------------------------------

function motionOf(tags: Tags, options: MappingOptions): { motionPhoto: boolean; video: ByteRange | null } {
  // Samsung: exiftool reads the SEFT trailer (HEIC) or the extractor does (JPEG under -fast).
  const pair = /^(\d+)\s+(\d+)$/.exec(text(field(tags, 'EmbeddedVideoOffsetSize')) ?? '');
  if (pair) return { motionPhoto: true, video: { offset: Number(pair[1]), length: Number(pair[2]) } };
  if (options.trailerVideo) return { motionPhoto: true, video: options.trailerVideo };
  if (text(field(tags, 'EmbeddedVideoType')) === 'MotionPhoto_Data' || field(tags, 'MotionPhotoVideo') != null) {
    return { motionPhoto: true, video: null };
  }
  const fileSize = options.fileSize ?? null;
  const isGoogle = num(field(tags, 'MotionPhoto')) === 1 || num(field(tags, 'MicroVideo')) === 1;
  const directory = field(tags, 'ContainerDirectory');
  const items = (Array.isArray(directory) ? directory : []).map((entry: unknown) => {
    const item = ((entry as { Item?: unknown } | null)?.Item ?? entry ?? {}) as Record<string, unknown>;
    return { mime: String(item['Mime'] ?? ''), semantic: String(item['Semantic'] ?? ''), length: num(item['Length']) ?? 0, padding: num(item['Padding']) ?? 0 };
  });
  // Google: secondary items follow the primary image back to back, the last ending at the end of
  // the file (as media3 reads them). A gain map alone is not a Motion Photo.
  const videoIndex = items.findIndex((i) => i.mime.startsWith('video/') || i.semantic === 'MotionPhoto');
  if (isGoogle && videoIndex > 0) {
    let end = fileSize ?? 0;
    for (let i = items.length - 1; i > videoIndex; i--) end -= items[i]?.length ?? 0;
    const { length = 0, padding = 0 } = items[videoIndex] ?? {};
    // Samsung's HEIC counts its trailer as the video item's padding: keep it out of the MP4.
    const video = fileSize !== null && length > 0 && end - length >= 0 ? { offset: end - length, length: length - padding } : null;
    return { motionPhoto: true, video };
  }
  // Google's older MicroVideo files: the video is the last MicroVideoOffset bytes.
  const micro = positive(field(tags, 'MicroVideoOffset'));
  if (num(field(tags, 'MicroVideo')) === 1 && micro !== null && items.length === 0) {
    return { motionPhoto: true, video: fileSize !== null && micro < fileSize ? { offset: fileSize - micro, length: micro } : null };
  }
  return { motionPhoto: false, video: null };
}

/** Camera firmware fills descriptions with placeholders; those are not the user's words. */
const PLACEHOLDER_DESCRIPTION =
  /^(OLYMPUS DIGITAL CAMERA|SONY DSC|(KONICA )?MINOLTA DIGITAL CAMERA|DIGITAL CAMERA|SAMSUNG|([A-Z]:\\)?DCIM\\.*|[A-Z]{3,4}\d{4,5}\.JPG|Default|Untitled|Image)$/i;

function descriptionOf(tags: Tags): string | null {
  const camera = [text(field(tags, 'Make')), text(field(tags, 'Model'))];
  for (const name of ['Description', 'ImageDescription', 'Caption-Abstract']) {
    const value = text(field(tags, name));
    if (value && !PLACEHOLDER_DESCRIPTION.test(value) && !camera.includes(value)) return value;
  }
  return null;
}

function keywordsOf(tags: Tags): string[] {
  const flat = [...listOf(field(tags, 'Subject')), ...listOf(field(tags, 'Keywords'))];
  const keywords = flat.length > 0 ? flat : listOf(field(tags, 'HierarchicalSubject')).map((k) => k.split('|').pop() ?? k);
  return [...new Set(keywords)];
}

function ratingOf(tags: Tags): number | null {
  const rating = num(field(tags, 'Rating'));
  return rating !== null && rating >= -1 && rating <= 5 ? Math.round(rating) : null;
}

// --- Entry points ------------------------------------------------------------------------------

/** Why exiftool could not give us a photo or video, in plain words; null when it could. */
export function readFailure(tags: Tags): string | null {
  const error = text(field(tags, 'Error')) ?? listOf(field(tags, 'errors'))[0] ?? null;
  if (error) {
    if (/file is empty/i.test(error)) return 'empty file';
    if (/file not found/i.test(error)) return 'file not found';
    if (/unknown file type/i.test(error)) return 'not a photo or video (unknown file type)';
    return `unreadable file (${error.replace(/^Error:\s*/i, '')})`;
  }
  const mime = text(field(tags, 'MIMEType')) ?? '';
  const fileType = text(field(tags, 'FileType'));
  if (!/^(image|video)\//.test(mime) && fileType !== 'PSD' && fileType !== 'PSB') {
    return `not a photo or video (content is ${mime === 'text/plain' ? 'plain text' : (fileType ?? (mime || 'unknown'))})`;
  }
  // A TIFF-based file (TIFF, most RAW) whose first directory is unreadable has no image at all.
  if (/bad IFD0 directory/i.test(text(field(tags, 'Warning')) ?? '') && !storedSize(tags)) {
    return `unreadable ${fileType ?? 'file'}: bad IFD0 directory (corrupt or only a header)`;
  }
  return null;
}

/** Maps a file's tags, and its sidecars' (most specific first), to ExtractedMetadata. */
export function toExtractedMetadata(tags: Tags, sidecars: readonly Tags[] = [], options: MappingOptions = {}): ExtractedMetadata {
  const mimeType = text(field(tags, 'MIMEType'));
  const fileType = text(field(tags, 'FileType'));
  const isVideo = mimeType?.startsWith('video/') ?? false;
  // Sidecars win for rating, description, keywords and GPS; the file wins for the capture time.
  const fromSidecar = <T>(pick: (t: Tags) => T | null): T | null => {
    for (const t of [...sidecars, tags]) {
      const value = pick(t);
      if (value !== null) return value;
    }
    return null;
  };

  const position = fromSidecar(positionOf);
  let gpsZone: string | null = null;
  try {
    gpsZone = position ? ((options.geoTz ?? DefaultExifToolOptions.geoTz)(position.latitude, position.longitude) ?? null) : null;
  } catch {
    // no zone for this position
  }
  const containerUtc = isVideo || field(tags, 'MovieHeaderVersion') != null; // animated AVIF/HEIF have one too
  const takenAt = takenAtFrom(tags, containerUtc, gpsZone) ?? sidecars.map((s) => takenAtFrom(s, false, gpsZone)).find((t) => t !== null) ?? null;

  // Displayed size: EXIF orientation for images, irot for HEIF (iPhones write both, the same
  // rotation), the track rotation for videos.
  const size = storedSize(tags);
  const exif = num(field(tags, 'Orientation'));
  const validOrientation = exif !== null && exif >= 1 && exif <= 8 ? exif : null;
  const rotation = rotationDegrees(field(tags, 'Rotation'));
  const orientation = isVideo ? (ORIENTATION_OF_ROTATION[rotation ?? 0] ?? 1) : (validOrientation ?? 1);
  const swap = isVideo || (HEIF_IMAGES.has(fileType ?? '') && rotation !== null) ? rotation === 90 || rotation === 270 : orientation >= 5;
  const [width, height] = size ? (swap ? [size[1], size[0]] : size) : [null, null];
  const motion = isVideo ? { motionPhoto: false, video: null } : motionOf(tags, options);
  const sidecarKeywords = sidecars.map(keywordsOf).find((k) => k.length > 0);

  return {
    fileType,
    mimeType,
    assetType: isVideo ? 'video' : 'image',
    takenAt,
    width,
    height,
    orientation: size || isVideo || validOrientation !== null ? orientation : null,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    altitude: position?.altitude ?? null,
    make: text(field(tags, 'Make')),
    model: text(field(tags, 'Model')),
    lens: lensOf(tags),
    fNumber: positive(field(tags, 'FNumber')),
    exposureTime: exposureOf(field(tags, 'ExposureTime')),
    iso: positive(field(tags, 'ISO')),
    focalLength: positive(field(tags, 'FocalLength')),
    duration: isVideo ? positive(field(tags, 'Duration')) : null,
    videoCodec: isVideo ? (text(field(tags, 'CompressorID')) ?? text(field(tags, 'VideoCodec')) ?? text(field(tags, 'VideoCodecID'))) : null,
    contentIdentifier: text(field(tags, 'ContentIdentifier')) ?? text(field(tags, 'MediaGroupUUID')),
    motionPhoto: motion.motionPhoto,
    motionPhotoVideo: motion.video,
    rating: fromSidecar(ratingOf),
    description: fromSidecar(descriptionOf),
    keywords: sidecarKeywords ?? keywordsOf(tags),
    warnings: listOf(field(tags, 'warnings')),
  };
}
