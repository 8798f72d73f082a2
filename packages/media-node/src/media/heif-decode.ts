// HEIC/HEIF decoding with libheif compiled to WebAssembly (the prebuilt sharp has no HEVC decoder).
// libheif applies the container's rotation and mirroring (irot, imir) itself, so the pixels come
// out upright and the EXIF orientation must not be applied again.
//
// Phones store a small thumbnail item (320×240 on iPhones, 512×384 on Samsungs) next to the
// full image. libheif hides thumbnails behind their master image; renaming the `thmb` references
// in a private copy of the file turns them into ordinary top-level images that can be decoded on
// their own, in a few milliseconds instead of the full picture's few hundred.
import { createRequire } from 'node:module';
import { spsFromHvcC, spsSize } from './hevc-sps.ts';

interface HeifImage {
  get_width(): number;
  get_height(): number;
  is_primary(): boolean;
  display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (result: unknown) => void): void;
  free(): void;
}

interface HeifDecoder {
  decode(buffer: Uint8Array): HeifImage[];
  decoder: { delete(): void };
}

interface LibHeif {
  ready: Promise<void>;
  HeifDecoder: new () => HeifDecoder;
}

let libheif: LibHeif | null = null;

async function load(): Promise<LibHeif> {
  if (!libheif) {
    libheif = createRequire(import.meta.url)('libheif-js/wasm-bundle') as LibHeif;
    await libheif.ready;
  }
  return libheif;
}

export interface DecodedPixels {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel. */
  data: Uint8Array;
}

export interface HeifContents {
  /** libheif applied the file's rotation and mirroring (irot, imir). */
  transformed: boolean;
  primary: { width: number; height: number };
  /** Thumbnail items, smallest first. */
  thumbnails: { width: number; height: number }[];
  /** Decodes the primary image, or one of `thumbnails` by index. */
  decode(which: 'primary' | number): Promise<DecodedPixels>;
  close(): void;
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

function type4(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** The boxes between `start` and `end`: [type, start, size]; a malformed size ends the walk. */
function children(b: Uint8Array, start: number, end: number): [string, number, number][] {
  const out: [string, number, number][] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = readU32(b, at);
    let header = 8;
    if (size === 1) {
      size = readU32(b, at + 8) * 2 ** 32 + readU32(b, at + 12);
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header || at + size > end) break;
    out.push([type4(b, at + 4), at, size]);
    at += size;
  }
  return out;
}

/** Finds a child box of the given type between `start` and `end`; returns [start, size]. */
function findBox(b: Uint8Array, start: number, end: number, type: string): [number, number] | null {
  const box = children(b, start, end).find(([t]) => t === type);
  return box ? [box[1], box[2]] : null;
}

/**
 * Renames every `thmb` reference in the `iref` box of the `meta` box (in place) so that libheif
 * lists thumbnail items as top-level images. Returns how many references were renamed.
 */
export function exposeThumbnails(b: Uint8Array): number {
  const meta = findBox(b, 0, b.length, 'meta');
  if (!meta) return 0;
  // meta is a full box: 4 bytes of version and flags after the header.
  const iref = findBox(b, meta[0] + 12, meta[0] + meta[1], 'iref');
  if (!iref) return 0;
  const version = b[iref[0] + 8]!;
  const idBytes = version === 0 ? 2 : 4;
  let at = iref[0] + 12;
  const end = iref[0] + iref[1];
  let renamed = 0;
  while (at + 8 <= end) {
    const size = readU32(b, at);
    if (size < 8 + idBytes + 2 || at + size > end) break;
    if (type4(b, at + 4) === 'thmb') {
      // An unknown reference type, which libheif ignores.
      b.set([0x73, 0x68, 0x62, 0x78], at + 4); // "shbx"
      renamed++;
    }
    at += size;
  }
  return renamed;
}

/**
 * Whether the file carries HEIF transformation properties (irot, imir), which libheif applies
 * while decoding. Without them, the EXIF orientation is the only one there is and must be applied.
 */
export function hasTransformProperties(b: Uint8Array): boolean {
  const meta = findBox(b, 0, b.length, 'meta');
  if (!meta) return false;
  const iprp = findBox(b, meta[0] + 12, meta[0] + meta[1], 'iprp');
  if (!iprp) return false;
  const ipco = findBox(b, iprp[0] + 8, iprp[0] + iprp[1], 'ipco');
  if (!ipco) return false;
  return children(b, ipco[0] + 8, ipco[0] + ipco[1]).some(([t]) => t === 'irot' || t === 'imir');
}

/**
 * For a single-image file whose `ispe` size disagrees with its HEVC stream (libheif refuses those),
 * writes the stream's size into `ispe` (in place) and returns the signalled size to crop back to.
 */
export function reconcileImageSize(b: Uint8Array): { width: number; height: number } | null {
  const meta = findBox(b, 0, b.length, 'meta');
  const iprp = meta && findBox(b, meta[0] + 12, meta[0] + meta[1], 'iprp');
  const ipco = iprp && findBox(b, iprp[0] + 8, iprp[0] + iprp[1], 'ipco');
  if (!ipco) return null;
  const props = children(b, ipco[0] + 8, ipco[0] + ipco[1]);
  const ispes = props.filter(([t]) => t === 'ispe');
  const hvccs = props.filter(([t]) => t === 'hvcC');
  if (ispes.length !== 1 || hvccs.length !== 1) return null;
  const [, ispeAt] = ispes[0]!;
  const [, hvcAt, hvcSize] = hvccs[0]!;
  const sps = spsFromHvcC(b.subarray(hvcAt + 8, hvcAt + hvcSize))[0];
  if (!sps) return null;
  let coded: { width: number; height: number };
  try {
    coded = spsSize(sps);
  } catch {
    return null;
  }
  const signalled = { width: readU32(b, ispeAt + 12), height: readU32(b, ispeAt + 16) };
  if (coded.width === signalled.width && coded.height === signalled.height) return null;
  if (coded.width < signalled.width || coded.height < signalled.height) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  view.setUint32(ispeAt + 12, coded.width);
  view.setUint32(ispeAt + 16, coded.height);
  return signalled;
}

function crop(p: DecodedPixels, size: { width: number; height: number }): DecodedPixels {
  if (p.width === size.width && p.height === size.height) return p;
  const data = new Uint8Array(size.width * size.height * 4);
  for (let y = 0; y < size.height; y++) data.set(p.data.subarray(y * p.width * 4, (y * p.width + size.width) * 4), y * size.width * 4);
  return { width: size.width, height: size.height, data };
}

function decodeImage(image: HeifImage): Promise<DecodedPixels> {
  const width = image.get_width();
  const height = image.get_height();
  return new Promise((resolve, reject) => {
    const data = new Uint8ClampedArray(width * height * 4);
    try {
      image.display({ data, width, height }, (result) => {
        if (!result) reject(new Error('the HEIF decoder could not decode the image (corrupt or unsupported coding)'));
        else resolve({ width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** Opens a HEIF file held in memory (the buffer is modified: see exposeThumbnails). */
export async function openHeif(buffer: Uint8Array): Promise<HeifContents> {
  const lib = await load();
  const transformed = hasTransformProperties(buffer);
  // Only for untransformed files: libheif returns rotated pixels, and the crop is in coded terms.
  const cropTo = transformed ? null : reconcileImageSize(buffer);
  exposeThumbnails(buffer);
  const decoder = new lib.HeifDecoder();
  let images: HeifImage[];
  try {
    images = decoder.decode(buffer);
  } catch (error) {
    decoder.decoder.delete();
    throw new Error(`not a readable HEIF file: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (images.length === 0) {
    decoder.decoder.delete();
    throw new Error('the HEIF file holds no image');
  }
  const primary = images.find((i) => i.is_primary()) ?? images.reduce((a, b) => (a.get_width() * a.get_height() >= b.get_width() * b.get_height() ? a : b));
  const others = images
    .filter((i) => i !== primary)
    // Only images with the primary's shape are its thumbnails (others are depth maps and the like).
    .filter((i) => Math.abs(i.get_width() / i.get_height() - primary.get_width() / primary.get_height()) < 0.02)
    .sort((a, b) => a.get_width() * a.get_height() - b.get_width() * b.get_height());
  let closed = false;
  return {
    transformed,
    primary: cropTo ?? { width: primary.get_width(), height: primary.get_height() },
    thumbnails: others.map((i) => ({ width: i.get_width(), height: i.get_height() })),
    decode: async (which) => {
      if (which !== 'primary') return decodeImage(others[which]!);
      const pixels = await decodeImage(primary);
      return cropTo ? crop(pixels, cropTo) : pixels;
    },
    close: () => {
      if (closed) return;
      closed = true;
      for (const i of images) i.free();
      decoder.decoder.delete();
    },
  };
}
