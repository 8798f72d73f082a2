// The metadata a worker extracts from one file, in a transport-friendly plain shape. The engine
// persists it; the API and CLI render it.

export type TakenAtSource = 'offset' | 'gps' | 'local' | 'utc' | 'mtime';

export interface TakenAt {
  /** Local wall-clock time, `YYYY-MM-DDTHH:mm:ss` with optional `.sss`, no offset. */
  local: string;
  /** Offset from UTC in minutes when known (offset tags, GPS time zone, UTC video containers). */
  offsetMinutes: number | null;
  source: TakenAtSource;
}

export interface ExtractedMetadata {
  /** What the content really is, as exiftool names it (JPEG, HEIC, MOV, ...). */
  fileType: string | null;
  mimeType: string | null;
  assetType: 'image' | 'video';
  /** null when no capture time tag exists; the engine then falls back to the file mtime. */
  takenAt: TakenAt | null;
  /** Displayed size: orientation and container rotation applied. */
  width: number | null;
  height: number | null;
  /** EXIF orientation 1..8 (videos: the equivalent of their rotation). */
  orientation: number | null;
  latitude: number | null;
  longitude: number | null;
  altitude: number | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  fNumber: number | null;
  exposureTime: string | null;
  iso: number | null;
  focalLength: number | null;
  /** Seconds, for videos. */
  duration: number | null;
  videoCodec: string | null;
  /** Apple Live Photo pairing key (still and video carry the same value). */
  contentIdentifier: string | null;
  /** Google or Samsung Motion Photo: a still with an embedded video. */
  motionPhoto: boolean;
  /** Byte range of the embedded motion-photo video inside the file, when known. */
  motionPhotoVideo: { offset: number; length: number } | null;
  rating: number | null;
  description: string | null;
  keywords: string[];
  /** Non-fatal problems exiftool reported. */
  warnings: string[];
}

/** Result of processing one file in a worker: metadata, or a failure with a plain reason. */
export type MetadataResult =
  | { ok: true; metadata: ExtractedMetadata; problem: string | null }
  | { ok: false; error: string };
