// Where a picture's pixels come from, for each kind of file: sharp (libvips) for JPEG, PNG, GIF,
// WebP, TIFF and AVIF; libheif (WebAssembly) for HEIC; libjxl (WebAssembly) for JPEG XL; the
// largest embedded preview for RAW; ffmpeg for video frames and for the images libvips cannot
// read (animated AVIF, BMP). Every source comes out upright, as a sharp pipeline.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import sharp, { type Sharp } from 'sharp';
import type { ExifTool } from 'exiftool-vendored';
import {
  MIN_EMBEDDED_LONG_SIDE, embeddedServesThumbnail, isRawFileType, sniffFormat, type SniffedFormat,
} from '@shoebox/core';
import { extractEmbeddedImage, listEmbeddedImages } from './embedded-images.ts';
import { openHeif, type DecodedPixels } from './heif-decode.ts';
import { ToolError } from './run-tool.ts';
import { extractFrame, posterTime } from './video-tools.ts';

export type SourceKind = 'decoded' | 'embedded' | 'frame';

export interface ImageSource {
  /** Upright pixels; resize and encode from here. */
  pipeline: Sharp;
  width: number;
  height: number;
  alpha: boolean;
  kind: SourceKind;
  /** The source is the whole picture at full quality (a preview can be made from it too). */
  full: boolean;
}

export interface SourceRequest {
  path: string;
  assetType: 'image' | 'video';
  /** exiftool's FileType, when the metadata job read it. */
  fileType: string | null;
  duration: number | null;
  /** The EXIF orientation the metadata job read (1–8). */
  orientation: number | null;
  /** Only the grid thumbnail is wanted: a smaller embedded image is good enough. */
  thumbnailOnly: boolean;
}

export interface SourceTools {
  exiftool: ExifTool;
  ffmpeg: string | null;
}

/** A failure that will recur on retry (the file itself is the problem). */
export class UndecodableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodableError';
  }
}

/** A tool the derivative needs is not installed: the file is fine, the machine is not ready. */
export class MissingToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingToolError';
  }
}

export const NO_FFMPEG = 'ffmpeg is not installed: install it (or set FFMPEG_PATH) to get video thumbnails and playable videos';

// libvips reads without failing on recoverable damage; truncated files were already caught by the
// metadata job's structure check.
const SHARP_OPTIONS = { failOn: 'none', limitInputPixels: 512 * 1024 * 1024, pages: 1, page: 0 } as const;

/**
 * Applies an EXIF orientation to pixels that carry none of their own. sharp mirrors before it
 * rotates, so transpose (5) is a mirror and a 270° turn, transverse (7) a mirror and a 90° turn.
 */
export function applyOrientation(s: Sharp, orientation: number | null): Sharp {
  switch (orientation) {
    case 2: return s.flop();
    case 3: return s.rotate(180);
    case 4: return s.flip();
    case 5: return s.flop().rotate(270);
    case 6: return s.rotate(90);
    case 7: return s.flop().rotate(90);
    case 8: return s.rotate(270);
    default: return s;
  }
}

function fromPixels(p: DecodedPixels, kind: SourceKind, full: boolean, orientation: number | null = null): ImageSource {
  const alpha = hasTransparency(p.data);
  const raw = sharp(Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength), { raw: { width: p.width, height: p.height, channels: 4 } });
  const swap = (orientation ?? 1) >= 5;
  return {
    pipeline: applyOrientation(raw, orientation),
    width: swap ? p.height : p.width, height: swap ? p.width : p.height, alpha, kind, full,
  };
}

function hasTransparency(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

/**
 * A file or buffer libvips reads. Its own EXIF orientation is applied; `fallbackOrientation` is
 * applied when it has none (a RAW's embedded preview is often stored without one).
 */
async function fromSharp(input: string | Buffer, kind: SourceKind, full: boolean, fallbackOrientation: number | null = null): Promise<ImageSource> {
  // One instance: its header is parsed once, for the metadata and for the pipeline.
  const image = sharp(input, SHARP_OPTIONS);
  const meta = await image.metadata();
  if (!meta.width || !meta.height) throw new UndecodableError('the image has no size');
  // The picture's own orientation, applied by libvips; or the fallback, applied by hand.
  const useFallback = meta.orientation === undefined && (fallbackOrientation ?? 1) > 1;
  const swap = ((useFallback ? fallbackOrientation : meta.orientation) ?? 1) >= 5;
  return {
    pipeline: useFallback ? applyOrientation(image, fallbackOrientation) : image.autoOrient(),
    width: swap ? meta.height : meta.width,
    height: swap ? meta.width : meta.height,
    alpha: meta.hasAlpha === true,
    kind,
    full,
  };
}

function explainFrameFailure(error: ToolError): string {
  if (/matches no streams|does not contain any stream/i.test(error.stderr)) return 'the file has no video stream';
  if (/Skipped opening external track/i.test(error.stderr)) {
    return 'the video frames are stored in another file (a QuickTime reference movie), which is not here';
  }
  return `ffmpeg could not decode a frame: ${error.message}`;
}

async function fromFrame(tools: SourceTools, file: string, at: number): Promise<ImageSource> {
  if (!tools.ffmpeg) throw new MissingToolError(NO_FFMPEG);
  let png: Buffer;
  try {
    png = await extractFrame(tools.ffmpeg, file, at);
  } catch (error) {
    // A tool that ran and refused the file will refuse it again; a time-out may not recur.
    if (error instanceof ToolError && error.refusedInput) throw new UndecodableError(explainFrameFailure(error));
    throw error;
  }
  return fromSharp(png, 'frame', true);
}

async function heicSource(req: SourceRequest): Promise<ImageSource> {
  let heif;
  try {
    heif = await openHeif(new Uint8Array(await fs.readFile(req.path)));
  } catch (error) {
    throw new UndecodableError(error instanceof Error ? error.message : String(error));
  }
  // Phones write irot/imir and an EXIF orientation describing the same turn: libheif applied the
  // first, so the second must not be. Files with only the EXIF orientation need it applied.
  const orientation = heif.transformed ? null : req.orientation;
  try {
    if (req.thumbnailOnly) {
      const index = heif.thumbnails.findIndex((t) => embeddedServesThumbnail(t, heif.primary));
      if (index >= 0) return fromPixels(await heif.decode(index), 'embedded', false, orientation);
    }
    return fromPixels(await heif.decode('primary'), 'decoded', true, orientation);
  } catch (error) {
    throw new UndecodableError(error instanceof Error ? error.message : String(error));
  } finally {
    heif.close();
  }
}

let jxlReady: Promise<(data: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>> | null = null;

function jxlDecoder(): NonNullable<typeof jxlReady> {
  jxlReady ??= (async () => {
    const mod = await import('@jsquash/jxl/decode.js');
    // The module would fetch() its .wasm, which Node cannot do for files: hand it the compiled module.
    const wasm = createRequire(import.meta.url).resolve('@jsquash/jxl/codec/dec/jxl_dec.wasm');
    const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } }).WebAssembly;
    await mod.init((await wasmApi.compile(await fs.readFile(wasm))) as never);
    return mod.default as unknown as (data: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
  })();
  return jxlReady;
}

async function jxlSource(file: string): Promise<ImageSource> {
  const bytes = await fs.readFile(file);
  const decode = await jxlDecoder();
  let image: { width: number; height: number; data: Uint8ClampedArray };
  try {
    image = await decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  } catch (error) {
    throw new UndecodableError(`the JPEG XL decoder could not read the file (${error instanceof Error ? error.message : String(error)})`);
  }
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return fromPixels({ width: image.width, height: image.height, data }, 'decoded', true);
}

/** A picture of one flat colour: what metadata-only RAW stubs keep where the preview was. */
async function isFlat(input: string | Buffer): Promise<boolean> {
  const stats = await sharp(input, SHARP_OPTIONS).resize(64, 64, { fit: 'inside' }).stats();
  return stats.channels.every((c) => c.min === c.max);
}

async function rawSource(req: SourceRequest, tools: SourceTools): Promise<ImageSource> {
  // A failed exiftool read is not the file's fault: it is retried (inline once, then as a job),
  // never mistaken for a file without a picture.
  const read = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch {
      return fn();
    }
  };
  let failure: unknown = null;
  for (const ref of await read(() => listEmbeddedImages(tools.exiftool, req.path))) {
    let buffer: Buffer;
    try {
      buffer = await read(() => extractEmbeddedImage(tools.exiftool, req.path, ref.tag));
    } catch (error) {
      // exiftool could not hand it over: if nothing else serves, retry the job rather than call
      // the file empty.
      failure = error;
      continue;
    }
    try {
      const source = await fromSharp(buffer, 'embedded', true, req.orientation);
      if (Math.max(source.width, source.height) >= MIN_EMBEDDED_LONG_SIDE && !(await isFlat(buffer))) return source;
    } catch {
      // Not a picture (stubs keep a few bytes of text there): try the next one.
    }
  }
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  // No usable preview: what libvips can decode itself (DNG and other TIFF-based RAW with standard
  // compression).
  try {
    const source = await fromSharp(req.path, 'decoded', true, req.orientation);
    // Stubs keep an 8×8 placeholder in IFD0; and a decode that fails must fail here, cleanly.
    if (Math.max(source.width, source.height) < MIN_EMBEDDED_LONG_SIDE) throw new Error('placeholder only');
    if (await isFlat(req.path)) throw new Error('placeholder only');
    return source;
  } catch {
    throw new UndecodableError('the RAW file holds no image data Shoebox can show (no embedded preview, and its raw data cannot be decoded here)');
  }
}

function sharpCannotRead(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /unsupported image format|bad seek|VipsForeignLoad/i.test(message);
}

/** The format exiftool named, for the formats whose decoder depends on it (saves a read). */
function formatOfFileType(fileType: string | null): SniffedFormat | null {
  switch (fileType?.toUpperCase()) {
    case 'JPEG': return 'jpeg';
    case 'PNG': return 'png';
    case 'GIF': return 'gif';
    case 'TIFF': return 'tiff';
    case 'HEIC': case 'HEIF': return 'heic';
    case 'AVIF': return 'avif';
    case 'JXL': return 'jxl';
    default: return null;
  }
}

async function sniffFile(file: string): Promise<SniffedFormat | null> {
  const head = Buffer.alloc(64);
  const handle = await fs.open(file, 'r');
  try {
    await handle.read(head, 0, 64, 0);
  } finally {
    await handle.close();
  }
  return sniffFormat(head);
}

/** Opens the best source for the request; throws UndecodableError when the file has no picture. */
export async function openImageSource(req: SourceRequest, tools: SourceTools): Promise<ImageSource> {
  if (req.assetType === 'video') return fromFrame(tools, req.path, posterTime(req.duration));
  const format = formatOfFileType(req.fileType) ?? (await sniffFile(req.path));
  if (format === 'heic') return heicSource(req);
  if (format === 'jxl') return jxlSource(req.path);
  if (isRawFileType(req.fileType) || format === 'crw' || format === 'cr3' || format === 'raf' || format === 'orf' || format === 'rw2') {
    return rawSource(req, tools);
  }
  try {
    const source = await fromSharp(req.path, 'decoded', true);
    // A JPEG shrinks while it decodes (1/2, 1/4, 1/8) and decodes fast: the thumbnail job decodes
    // at the thumbnail's scale only, so the grid fills first, and the preview job does the rest.
    // (Formats without shrink-on-load make both from one decode.)
    if (format === 'jpeg' && req.thumbnailOnly) source.full = false;
    return source;
  } catch (error) {
    if (!sharpCannotRead(error)) throw new UndecodableError(error instanceof Error ? error.message : String(error));
    // Animated AVIF, BMP and other formats libvips does not read here: ffmpeg's first frame.
    if (!tools.ffmpeg) throw new MissingToolError(`unsupported image format (${format ?? 'unknown'}), and ${NO_FFMPEG}`);
    try {
      return await fromFrame(tools, req.path, 0);
    } catch (frameError) {
      if (!(frameError instanceof UndecodableError)) throw frameError;
      throw new UndecodableError(`unsupported image format (${format ?? 'unknown'}); ${frameError.message}`);
    }
  }
}
