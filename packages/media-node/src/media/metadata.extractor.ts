// Reads one file's metadata with a long-lived exiftool (batch mode), checks that the file is whole,
// and maps both, together with the file's XMP sidecars, to a MetadataResult.
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { checkStructure, sniffFormat, type MetadataResult } from '@shoebox/core';
import { ExifTool, type Tags } from 'exiftool-vendored';
import { readFailure, toExtractedMetadata } from './exif-metadata.ts';

export interface MetadataExtractorOptions {
  /** exiftool processes to run (each is a perl process using up to one core). Default 1. */
  maxProcs?: number;
  /** A read that takes longer than this restarts its exiftool process. Default 30 s. */
  taskTimeoutMillis?: number;
}

/**
 * exiftool arguments for one read. `readRaw` is used: exiftool-vendored's `read` re-parses every
 * date-like value with luxon on the main thread between two exiftool tasks, which costs more than
 * it gives here (exif-metadata.ts parses the raw values it needs).
 * - `-fast`: skip the scan for JPEG trailers (Samsung's trailer is parsed here instead, from the
 *   bytes the structure check reads anyway). `-fast2` would also drop the maker notes (Live Photo
 *   ids) and the HEIC `mpvd` box, so it is not used.
 * - `Filter=0`: otherwise exiftool-vendored installs a Perl filter, compiled for every tag value to
 *   capture invalid UTF-8 bytes, which costs about a third of exiftool's time; exiftool already
 *   repairs invalid UTF-8 in its JSON output.
 * - `struct=1`: Google's container directory as a list of items (flattened lists misalign).
 * - `keepUTCTime`: Unix-time dates stay UTC instead of the system time zone.
 * - `Tag#`: numbers instead of formatted text; GPS values then come from the signed composites.
 */
const READ_ARGS = [
  '-fast', '-api', 'Filter=0', '-api', 'struct=1', '-api', 'keepUTCTime',
  '-Duration#', '-GPSAltitude#', '-GPSLatitude#', '-GPSLongitude#', '-Orientation#', '-FocalLength#',
  '-all',
];

/**
 * What the structure check reads, by exiftool FileType. For JPEG, PNG and GIF a file whose last
 * bytes are the format's end marker only has its head walked (header segments, chunk and block
 * sizes): reading megabytes to confirm what the tail already shows costs more than exiftool's read.
 * Anything else (a missing end marker, Motion Photo video or other data appended) is read whole.
 */
const END_MARKERS: Readonly<Record<string, readonly number[]>> = {
  JPEG: [0xff, 0xd9],
  PNG: [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], // "IEND" and its CRC
  GIF: [0x3b],
};
const HEAD_ONLY = new Set(['WEBP', 'Extended WEBP', 'HEIC', 'HEIF', 'AVIF']);
const HEAD_BYTES = 64 * 1024;
/** Larger files only get their head checked (an unknown result counts as fine). */
const MAX_WHOLE_READ = 256 * 1024 * 1024;

export class MetadataExtractor {
  readonly #exiftool: ExifTool;

  constructor(options: MetadataExtractorOptions = {}) {
    this.#exiftool = new ExifTool({
      maxProcs: Math.max(1, options.maxProcs ?? 1),
      taskTimeoutMillis: options.taskTimeoutMillis ?? 30_000,
      maxTasksPerProcess: 2000,
      readArgs: READ_ARGS,
      useMWG: false,
      // Dates are mapped from exiftool's raw values (exif-metadata.ts) and no zone is ever guessed
      // from the system time zone; exiftool itself runs in UTC so it has none to apply either.
      exiftoolEnv: { TZ: 'UTC' },
    });
  }

  /** The exiftool instance, for the other reads of a file (embedded previews). */
  get exiftool(): ExifTool {
    return this.#exiftool;
  }

  /** Reads `file` and its XMP sidecars (`a.jpg.xmp`, `a.xmp`); never throws for a bad file. */
  async extract(file: string, sidecars: readonly string[] = []): Promise<MetadataResult> {
    // Sidecar reads queue behind the file's own read in the same exiftool process.
    const sidecarReads = orderSidecars(file, sidecars).map((s) => this.#read(s).catch(() => null));
    let tags: Tags;
    try {
      tags = await this.#read(file);
      if (hasBlankExifGps(tags)) tags = await this.#withXmpGps(file, tags);
    } catch (error) {
      await Promise.all(sidecarReads);
      return { ok: false, error: plainReadError(error instanceof Error ? error.message : String(error)) };
    }
    const failure = readFailure(tags);
    if (failure) return { ok: false, error: failure };

    const usable = (await Promise.all(sidecarReads)).filter((t): t is Tags => t !== null && !t.Error);
    let inspection: Inspection;
    try {
      inspection = await inspect(file, String(tags.FileType ?? ''));
    } catch (error) {
      inspection = { problem: `could not read the file to check it (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fileSize: null, trailerVideo: null };
    }
    const metadata = toExtractedMetadata(tags, usable, {
      ...(inspection.fileSize !== null ? { fileSize: inspection.fileSize } : {}),
      trailerVideo: inspection.trailerVideo,
    });
    return { ok: true, metadata, problem: inspection.problem };
  }

  #read(file: string): Promise<Tags> {
    return this.#exiftool.readRaw(file, { readArgs: READ_ARGS });
  }

  /**
   * Some editors blank the EXIF GPS tags but keep the position in XMP; without group names
   * exiftool reports the blank EXIF values, so the XMP ones are read separately (rare).
   */
  async #withXmpGps(file: string, tags: Tags): Promise<Tags> {
    const xmp: Record<string, unknown> = await this.#exiftool.readRaw(file, {
      readArgs: ['-fast', '-api', 'Filter=0', '-n', '-XMP:GPSLatitude', '-XMP:GPSLongitude', '-XMP:GPSAltitude', '-XMP:GPSAltitudeRef'],
    });
    const lat = xmp['GPSLatitude'];
    const lon = xmp['GPSLongitude'];
    if (typeof lat !== 'number' || typeof lon !== 'number') return tags;
    const alt = xmp['GPSAltitude'];
    const altitude = typeof alt === 'number' ? (xmp['GPSAltitudeRef'] === 1 ? -alt : alt) : undefined;
    return { ...tags, GPSLatitude: lat, GPSLongitude: lon, GPSAltitude: altitude };
  }

  async end(): Promise<void> {
    await this.#exiftool.end();
  }
}

function hasBlankExifGps(tags: Tags): boolean {
  const blank = (v: unknown) => typeof v === 'string' && v.trim() === '';
  return blank(tags.GPSLatitude) || blank(tags.GPSLongitude);
}

/** The most specific sidecar first: `photo.jpg.xmp` wins over `photo.xmp`. */
function orderSidecars(file: string, sidecars: readonly string[]): string[] {
  const exact = `${path.basename(file)}.xmp`.toLowerCase();
  return [...new Set(sidecars)].sort((a, b) => Number(path.basename(b).toLowerCase() === exact) - Number(path.basename(a).toLowerCase() === exact));
}

function plainReadError(message: string): string {
  if (/ENOENT|file not found/i.test(message)) return 'file not found';
  if (/EACCES|EPERM|permission/i.test(message)) return 'permission denied';
  if (/file is empty/i.test(message)) return 'empty file';
  if (/timed? ?out/i.test(message)) return 'timed out reading metadata';
  return `unreadable file (${message.split('\n')[0]?.trim() ?? 'error'})`;
}

interface Inspection {
  problem: string | null;
  fileSize: number | null;
  trailerVideo: { offset: number; length: number } | null;
}

/** Reads what the structure check needs (see END_MARKERS) and runs it. */
async function inspect(file: string, fileType: string): Promise<Inspection> {
  const endMarker = END_MARKERS[fileType];
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (!endMarker && !HEAD_ONLY.has(fileType)) return { problem: null, fileSize: size, trailerVideo: null };
    let bytes = await readAt(handle, 0, Math.min(size, HEAD_BYTES));
    if (endMarker && bytes.length < size && size <= MAX_WHOLE_READ) {
      const tail = await readAt(handle, size - endMarker.length, endMarker.length);
      if (!endMarker.every((b, i) => tail[i] === b)) {
        const whole = new Uint8Array(size);
        whole.set(bytes);
        whole.set(await readAt(handle, bytes.length, size - bytes.length), bytes.length);
        bytes = whole;
      }
    }
    const format = sniffFormat(bytes.subarray(0, 256));
    const problem = format ? checkStructure(format, bytes, size) : null;
    const trailerVideo = format === 'jpeg' && bytes.length === size ? samsungTrailerVideo(bytes) : null;
    return { problem, fileSize: size, trailerVideo };
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? bytes : bytes.subarray(0, filled);
}

/**
 * Samsung's JPEG trailer ends with `<dir length>SEFT`; its SEFH directory lists blocks by their
 * distance back from the directory. Block 0x0a30 ("MotionPhoto_Data") holds the Motion Photo MP4.
 */
export function samsungTrailerVideo(b: Uint8Array): { offset: number; length: number } | null {
  const n = b.length;
  if (n < 16 || String.fromCharCode(...b.subarray(n - 4)) !== 'SEFT') return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dirLength = view.getUint32(n - 8, true);
  const dirPos = n - 8 - dirLength;
  if (dirLength < 12 || dirPos < 0 || String.fromCharCode(...b.subarray(dirPos, dirPos + 4)) !== 'SEFH') return null;
  const count = view.getUint32(dirPos + 8, true);
  if (12 + 12 * count > dirLength) return null;
  for (let i = 0; i < count; i++) {
    const entry = dirPos + 12 + 12 * i;
    const type = view.getUint16(entry + 2, true);
    const distance = view.getUint32(entry + 4, true);
    const size = view.getUint32(entry + 8, true);
    const block = dirPos - distance;
    if (distance > dirPos || size > distance || size < 8) continue; // not a block we can read
    const nameLength = view.getUint32(block + 4, true);
    if (nameLength > 64 || 8 + nameLength > size) continue;
    const name = String.fromCharCode(...b.subarray(block + 8, block + 8 + nameLength));
    if (type === 0x0a30 || name === 'MotionPhoto_Data') {
      return { offset: block + 8 + nameLength, length: size - 8 - nameLength };
    }
  }
  return null;
}
