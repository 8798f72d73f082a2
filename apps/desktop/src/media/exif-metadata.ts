// Pure mapping from exiftool-vendored `Tags` (the file's own, plus any XMP sidecars) to core's
// `ExtractedMetadata`: capture time and its offset, GPS, displayed size, camera, Live/Motion Photos.
import type { ExtractedMetadata, TakenAt, TakenAtSource } from '@shoebox/core';
import { DefaultExifToolOptions, type Tags } from 'exiftool-vendored';

export interface MappingOptions {
  /** Size of the file in bytes: Google Motion Photo offsets are counted from its end. */
  fileSize?: number;
  /** Embedded video found by reading the file's Samsung trailer (exiftool skips it with -fast). */
  trailerVideo?: { offset: number; length: number } | null;
  /** IANA zone at a position; defaults to exiftool-vendored's offline lookup. */
  geoTz?: (lat: number, lon: number) => string | undefined;
}

type AnyTags = Readonly<Record<string, unknown>>;

const field = (tags: Tags, name: string): unknown => (tags as AnyTags)[name];

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function num(value: unknown): number | null {
  if (Array.isArray(value)) return num(value[0]);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number.parseFloat(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const positive = (value: unknown): number | null => {
  const n = num(value);
  return n !== null && n > 0 ? n : null;
};

// ---------------------------------------------------------------------------------------------
// Capture time

interface RawDate {
  /** Wall-clock fields as written in the tag. */
  local: string;
  /** The wall time read as if it were UTC, in ms (for offset arithmetic). */
  wallMs: number;
  /** Offset written in the value itself; 'Z' is kept apart: it marks UTC by definition. */
  offset: number | null;
  zulu: boolean;
}

const DATE_RE =
  /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Photography did not exist before 1826; anything after 2100 is a corrupt value. */
const MIN_YEAR = 1826;
const MAX_YEAR = 2100;

function rawString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'rawValue' in value) {
    const raw = (value as { rawValue?: unknown }).rawValue;
    return typeof raw === 'string' ? raw : null;
  }
  return null;
}

export function parseOffset(value: string): number | null {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/** Parses an exiftool date-time value; null for date-only, zero, out-of-range or invalid values. */
export function parseExifDateTime(value: unknown): RawDate | null {
  const raw = rawString(value)?.trim();
  if (!raw) return null;
  const m = DATE_RE.exec(raw);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(wallMs).getUTCDate() !== day) return null; // 31 February and friends
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const fraction = m[7] ? `.${m[7].slice(0, 3).padEnd(3, '0')}` : '';
  const local = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}`;
  const zone = m[8];
  const zulu = zone === 'Z';
  const offset = zulu ? 0 : zone ? parseOffset(zone) : null;
  if (zone && !zulu && offset === null) return null;
  return { local, wallMs: wallMs + Number(fraction ? fraction.slice(1) : 0), offset, zulu };
}

/** Capture-date tags, best first (Immich's order, plus the GPS clock as a last resort). */
const CAPTURE_TAGS = [
  'SubSecDateTimeOriginal',
  'DateTimeOriginal',
  'SubSecCreateDate',
  'CreationDate', // QuickTime Keys (Apple): local time with its offset
  'CreateDate',
  'SubSecMediaCreateDate',
  'MediaCreateDate',
  'DateTimeCreated',
  'DigitalCreationDateTime',
  'GPSDateTime',
] as const;

/** QuickTime movie-header dates are UTC by specification when they carry no zone. */
const QUICKTIME_UTC_TAGS = new Set(['CreateDate', 'MediaCreateDate', 'SubSecMediaCreateDate', 'TrackCreateDate']);

const OFFSET_TAG_FOR: Partial<Record<string, string>> = {
  SubSecDateTimeOriginal: 'OffsetTimeOriginal',
  DateTimeOriginal: 'OffsetTimeOriginal',
  SubSecCreateDate: 'OffsetTimeDigitized',
  CreateDate: 'OffsetTimeDigitized',
};

/** Offset in minutes from an offset tag value ("-06:00", "+0100", hours as a number). */
function offsetFromTag(name: string, value: unknown): number | null {
  if (name === 'TimeZoneOffset') {
    const hours = num(typeof value === 'string' ? value.split(/\s+/)[0] : value);
    return hours !== null && Math.abs(hours) <= 14 ? Math.round(hours * 60) : null;
  }
  const s = text(value);
  if (!s) return null;
  if (s === 'Z') return 0;
  return parseOffset(s);
}

/** The offset the camera recorded for `dateTag`: OffsetTime* tags, maker-note TimeZone. */
function offsetFromTags(tags: Tags, dateTag: string | null): number | null {
  const names = [OFFSET_TAG_FOR[dateTag ?? ''], 'OffsetTimeOriginal', 'TimeZone', 'OffsetTimeDigitized', 'TimeZoneOffset', 'OffsetTime'];
  for (const name of names) {
    if (!name) continue;
    let offset = offsetFromTag(name, field(tags, name));
    if (offset === null) continue;
    // Nikon stores standard time in TimeZone and daylight saving separately.
    if (name === 'TimeZone' && /\bnikon\b/i.test(String(field(tags, 'Make') ?? '')) && /^(yes|true|on|1)$/i.test(String(field(tags, 'DaylightSavings') ?? ''))) {
      offset += 60;
    }
    return offset;
  }
  return null;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat | null>();

/** Offset in minutes of IANA `zone` at the UTC instant `utcMs`; null for an unknown zone. */
export function zoneOffsetAt(zone: string, utcMs: number): number | null {
  let format = offsetFormats.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      format = null;
    }
    offsetFormats.set(zone, format);
  }
  if (!format) return null;
  const name = format.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (name === 'GMT') return 0;
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** Offset of `zone` at a wall-clock time (read as UTC ms): two passes settle DST transitions. */
function zoneOffsetAtWall(zone: string, wallMs: number): number | null {
  const first = zoneOffsetAt(zone, wallMs);
  if (first === null) return null;
  return zoneOffsetAt(zone, wallMs - first * 60_000);
}

function formatLocal(ms: number, fraction: boolean): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  return fraction ? iso.slice(0, 23) : iso.slice(0, 19);
}

interface ZoneContext {
  /** IANA zone of the GPS position, if any. */
  gpsZone: string | null;
}

/**
 * Picks the capture time from one set of tags. `containerUtc`: this is a QuickTime-family file,
 * whose zoneless CreateDate/MediaCreateDate are UTC by spec.
 */
function takenAtFrom(tags: Tags, containerUtc: boolean, ctx: ZoneContext): TakenAt | null {
  for (const name of CAPTURE_TAGS) {
    const date = parseExifDateTime(field(tags, name));
    if (!date) continue;
    const hasFraction = date.local.length > 19;
    if (date.offset !== null && !date.zulu) return { local: date.local, offsetMinutes: date.offset, source: 'offset' };
    const utc = date.zulu || name === 'GPSDateTime' || (containerUtc && QUICKTIME_UTC_TAGS.has(name));
    if (utc) {
      const utcMs = date.wallMs;
      const tagged = offsetFromTags(tags, null);
      const gps = tagged === null && ctx.gpsZone ? zoneOffsetAt(ctx.gpsZone, utcMs) : null;
      const offset = tagged ?? gps ?? 0;
      const source: TakenAtSource = tagged !== null ? 'offset' : gps !== null ? 'gps' : 'utc';
      return { local: formatLocal(utcMs + offset * 60_000, hasFraction), offsetMinutes: offset, source };
    }
    const tagged = offsetFromTags(tags, name);
    if (tagged !== null) return { local: date.local, offsetMinutes: tagged, source: 'offset' };
    const gps = ctx.gpsZone ? zoneOffsetAtWall(ctx.gpsZone, date.wallMs) : null;
    if (gps !== null) return { local: date.local, offsetMinutes: gps, source: 'gps' };
    const sibling = offsetFromSiblingDates(tags, date);
    if (sibling !== null) return { local: date.local, offsetMinutes: sibling, source: 'offset' };
    return { local: date.local, offsetMinutes: null, source: 'local' };
  }
  return null;
}

/**
 * Another capture-date tag with the same wall time and an explicit offset (XMP often carries the
 * zone that EXIF lacks). "+00:00" is ignored: software writes it when it does not know the zone.
 */
function offsetFromSiblingDates(tags: Tags, date: RawDate): number | null {
  for (const name of ['CreateDate', 'DateTimeDigitized', 'SubSecCreateDate', 'DateTimeOriginal', 'DateCreated', 'DateTimeCreated', 'DigitalCreationDateTime']) {
    const other = parseExifDateTime(field(tags, name));
    if (!other || other.zulu || other.offset === null || other.offset === 0) continue;
    if (Math.abs(Math.floor(other.wallMs / 1000) - Math.floor(date.wallMs / 1000)) <= 1) return other.offset;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// GPS, size, camera

interface Position {
  latitude: number;
  longitude: number;
  altitude: number | null;
}

function positionOf(tags: Tags): Position | null {
  const lat = num(field(tags, 'GPSLatitude'));
  const lon = num(field(tags, 'GPSLongitude'));
  if (lat === null || lon === null) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  if (lat === 0 && lon === 0) return null; // "null island": an unset position
  let altitude = num(field(tags, 'GPSAltitude'));
  // Some phones write a negative altitude as an unsigned 32-bit integer.
  if (altitude !== null && altitude > 2 ** 31) altitude -= 2 ** 32;
  if (altitude !== null && Math.abs(altitude) > 100_000) altitude = null;
  return { latitude: lat, longitude: lon, altitude };
}

/** Degrees of rotation from a Rotation tag: 90, "Rotate 90 CW", "Horizontal (normal)". */
function rotationDegrees(value: unknown): number | null {
  if (typeof value === 'number') return ((Math.round(value) % 360) + 360) % 360;
  if (typeof value !== 'string') return null;
  if (/horizontal|normal/i.test(value)) return 0;
  const m = /(\d+)/.exec(value);
  if (!m) return null;
  const degrees = Number(m[1]) % 360;
  return /ccw/i.test(value) ? (360 - degrees) % 360 : degrees;
}

const ORIENTATION_OF_ROTATION: Record<number, number> = { 0: 1, 90: 6, 180: 3, 270: 8 };

function storedSize(tags: Tags): [number, number] | null {
  const size = text(field(tags, 'ImageSize'));
  const m = size ? /^(\d+)[x ](\d+)$/.exec(size) : null;
  if (m) return [Number(m[1]), Number(m[2])];
  const w = positive(field(tags, 'ImageWidth'));
  const h = positive(field(tags, 'ImageHeight'));
  return w !== null && h !== null ? [Math.round(w), Math.round(h)] : null;
}

const ISO_BMFF_IMAGES = new Set(['HEIC', 'HEIF', 'AVIF']);

function lensOf(tags: Tags): string | null {
  for (const name of ['LensModel', 'Lens', 'LensID']) {
    const value = field(tags, name);
    if (typeof value === 'string' && value.trim() !== '' && !/^\d+$/.test(value.trim())) return value.trim();
  }
  return null;
}

function exposureOf(value: unknown): string | null {
  if (typeof value === 'number') {
    if (!(value > 0)) return null;
    return value >= 1 ? String(value) : `1/${Math.round(1 / value)}`;
  }
  const s = text(value);
  return s && s !== '0' ? s : null;
}

// ---------------------------------------------------------------------------------------------
// Live Photos, Motion Photos, XMP

interface ContainerItem {
  mime: string;
  semantic: string;
  length: number;
  padding: number;
}

/** Google's GContainer directory, from exiftool's structured (`-struct`) output. */
function containerItems(tags: Tags): ContainerItem[] {
  const directory = field(tags, 'ContainerDirectory');
  if (!Array.isArray(directory)) return [];
  return directory.map((entry: unknown) => {
    const item = ((entry as { Item?: unknown } | null)?.Item ?? entry ?? {}) as Record<string, unknown>;
    return {
      mime: String(item['Mime'] ?? ''),
      semantic: String(item['Semantic'] ?? ''),
      length: num(item['Length']) ?? 0,
      padding: num(item['Padding']) ?? 0,
    };
  });
}

interface Motion {
  motionPhoto: boolean;
  video: { offset: number; length: number } | null;
}

function motionOf(tags: Tags, options: MappingOptions): Motion {
  const fileSize = options.fileSize ?? positive(field(tags, 'FileSize'));
  // Samsung: the SEFT trailer names the video; exiftool gives its offset and size.
  const samsung = text(field(tags, 'EmbeddedVideoOffsetSize'));
  const pair = samsung ? /^(\d+)\s+(\d+)$/.exec(samsung) : null;
  if (pair) return { motionPhoto: true, video: { offset: Number(pair[1]), length: Number(pair[2]) } };
  if (options.trailerVideo) return { motionPhoto: true, video: options.trailerVideo };
  const embeddedType = text(field(tags, 'EmbeddedVideoType'));
  if (embeddedType === 'MotionPhoto_Data' || field(tags, 'MotionPhotoVideo') != null) {
    return { motionPhoto: true, video: null };
  }
  // Google: items are stored one after another at the end of the file, the last one ending at
  // the end of the file; each item's Padding is counted in its Length for the last item.
  const items = containerItems(tags);
  const isGoogle = num(field(tags, 'MotionPhoto')) === 1 || num(field(tags, 'MicroVideo')) === 1;
  const videoIndex = items.findIndex((i) => i.mime.startsWith('video/') || i.semantic === 'MotionPhoto');
  if (isGoogle && videoIndex > 0) {
    if (fileSize === null) return { motionPhoto: true, video: null };
    let end = fileSize;
    for (let i = items.length - 1; i > videoIndex; i--) end -= items[i]?.length ?? 0;
    const item = items[videoIndex];
    const length = item?.length ?? 0;
    if (length <= 0 || end - length < 0) return { motionPhoto: true, video: null };
    // The video is at the start of its slot; trailing padding belongs to the slot.
    return { motionPhoto: true, video: { offset: end - length, length: length - (item?.padding ?? 0) } };
  }
  // Older Google "MicroVideo" files: the video is the last MicroVideoOffset bytes.
  const microOffset = positive(field(tags, 'MicroVideoOffset'));
  if (num(field(tags, 'MicroVideo')) === 1 && microOffset !== null && items.length === 0) {
    return { motionPhoto: true, video: fileSize !== null && microOffset < fileSize ? { offset: fileSize - microOffset, length: microOffset } : null };
  }
  return { motionPhoto: false, video: null };
}

/** Camera firmware fills descriptions with placeholders; those are not the user's words. */
const PLACEHOLDER_DESCRIPTIONS = /^(OLYMPUS DIGITAL CAMERA|SONY DSC|KONICA MINOLTA DIGITAL CAMERA|MINOLTA DIGITAL CAMERA|DIGITAL CAMERA|SAMSUNG|DCIM\\.*|[A-Z]{3,4}\d{4,5}\.JPG|Default|Untitled|Image)$/i;

function descriptionOf(tags: Tags): string | null {
  const make = text(field(tags, 'Make'));
  const model = text(field(tags, 'Model'));
  for (const name of ['Description', 'ImageDescription', 'Caption-Abstract']) {
    const value = text(field(tags, name));
    if (!value || PLACEHOLDER_DESCRIPTIONS.test(value) || value === make || value === model) continue;
    return value;
  }
  return null;
}

function listOf(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value == null ? [] : [value];
  return values.map((v) => text(v)).filter((v): v is string => v !== null);
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

// ---------------------------------------------------------------------------------------------

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
    const what = mime === 'text/plain' ? 'plain text' : (fileType ?? (mime || 'unknown'));
    return `not a photo or video (content is ${what})`;
  }
  const warning = text(field(tags, 'Warning')) ?? '';
  if (/bad IFD0 directory/i.test(warning) && !storedSize(tags)) {
    return `unreadable ${fileType ?? 'file'}: bad IFD0 directory (corrupt or only a header)`;
  }
  return null;
}

/** Maps a file's tags, and its sidecars' (most specific first), to ExtractedMetadata. */
export function toExtractedMetadata(tags: Tags, sidecars: readonly Tags[] = [], options: MappingOptions = {}): ExtractedMetadata {
  const mimeType = text(field(tags, 'MIMEType'));
  const fileType = text(field(tags, 'FileType'));
  const isVideo = mimeType?.startsWith('video/') ?? false;

  const position = sidecars.map(positionOf).find((p) => p !== null) ?? positionOf(tags);
  const lookup = options.geoTz ?? DefaultExifToolOptions.geoTz;
  let gpsZone: string | null = null;
  if (position) {
    try {
      gpsZone = lookup(position.latitude, position.longitude) ?? null;
    } catch {
      gpsZone = null;
    }
  }
  const containerUtc = field(tags, 'MovieHeaderVersion') != null || isVideo;
  const takenAt =
    takenAtFrom(tags, containerUtc, { gpsZone }) ??
    sidecars.map((s) => takenAtFrom(s, false, { gpsZone })).find((t) => t !== null) ??
    null;

  // Displayed size: EXIF orientation for images, irot for HEIF, the track rotation for videos.
  const size = storedSize(tags);
  const exifOrientation = num(field(tags, 'Orientation'));
  const validOrientation = exifOrientation !== null && exifOrientation >= 1 && exifOrientation <= 8 ? exifOrientation : null;
  const rotation = rotationDegrees(field(tags, 'Rotation'));
  let orientation: number;
  let swap: boolean;
  if (isVideo) {
    orientation = ORIENTATION_OF_ROTATION[rotation ?? 0] ?? 1;
    swap = rotation === 90 || rotation === 270;
  } else {
    orientation = validOrientation ?? 1;
    swap = ISO_BMFF_IMAGES.has(fileType ?? '') && rotation !== null ? rotation === 90 || rotation === 270 : orientation >= 5;
  }
  const [width, height] = size ? (swap ? [size[1], size[0]] : size) : [null, null];

  const motion = isVideo ? { motionPhoto: false, video: null } : motionOf(tags, options);
  const fromSidecar = <T>(pick: (t: Tags) => T | null): T | null => {
    for (const sidecar of sidecars) {
      const value = pick(sidecar);
      if (value !== null) return value;
    }
    return pick(tags);
  };
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
