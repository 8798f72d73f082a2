// Cheap, linear structure checks that catch truncated or corrupt image files (a JPEG without its
// end-of-image marker, a PNG cut before IEND, ...). Pure: the caller reads the bytes.
import type { SniffedFormat } from './media-types.ts';

/**
 * Returns a plain-English problem ("truncated JPEG: no end-of-image marker") or null when the file
 * looks whole. `bytes` is the file, or a prefix of it when `fileSize` says the file is longer:
 * checks that need data past the prefix then give null (unknown), never a false alarm.
 * Videos, TIFF, RAW, JPEG XL and BMP are not checked (valid files often fail naive checks).
 */
export function checkStructure(format: SniffedFormat, bytes: Uint8Array, fileSize: number = bytes.length): string | null {
  if (fileSize === 0) return 'empty file';
  switch (format) {
    case 'jpeg':
      return checkJpeg(bytes, fileSize);
    case 'png':
      return checkPng(bytes, fileSize);
    case 'gif':
      return checkGif(bytes, fileSize);
    case 'webp':
      return checkWebp(bytes, fileSize);
    case 'heic':
    case 'avif':
      return checkIsoBmff(format === 'heic' ? 'HEIC' : 'AVIF', bytes, fileSize);
    default:
      return null;
  }
}

const u16be = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u32be = (b: Uint8Array, at: number): number =>
  (((b[at] ?? 0) << 24) >>> 0) + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0));
const u32le = (b: Uint8Array, at: number): number =>
  (((b[at + 3] ?? 0) << 24) >>> 0) + (((b[at + 2] ?? 0) << 16) | ((b[at + 1] ?? 0) << 8) | (b[at] ?? 0));
const ascii = (b: Uint8Array, at: number, length: number): string =>
  String.fromCharCode(...b.subarray(at, at + length));

/**
 * JPEG: walk the marker segments from SOI; after each SOS skip the entropy-coded data to the next
 * marker (progressive files have several scans). Reaching the end before EOI means truncated.
 * Bytes after EOI are fine (Motion Photo videos, gain maps and MPF images live there).
 */
function checkJpeg(b: Uint8Array, fileSize: number): string | null {
  const partial = b.length < fileSize;
  const truncated = partial ? null : 'truncated JPEG: no end-of-image marker';
  if (b[0] !== 0xff || b[1] !== 0xd8) return 'corrupt JPEG: no start-of-image marker';
  let pos = 2;
  let scans = 0;
  for (;;) {
    // Find the next 0xFF. Stray bytes between segments are tolerated, as libjpeg does.
    if (b[pos] !== 0xff) {
      const next = b.indexOf(0xff, pos);
      if (next < 0) return truncated;
      pos = next;
    }
    while (b[pos] === 0xff) pos++; // fill bytes
    if (pos >= b.length) return truncated;
    const marker = b[pos] ?? 0;
    pos++;
    if (marker === 0xd9) return null; // EOI
    if (marker === 0xd8) return 'corrupt JPEG: unexpected start-of-image marker';
    if (marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (pos + 2 > b.length) return truncated;
    const length = u16be(b, pos);
    if (length < 2) return `corrupt JPEG: bad segment length at byte ${pos}`;
    if (pos + length > fileSize) {
      return scans === 0
        ? 'truncated or corrupt JPEG: a header segment runs past the end of the file'
        : 'truncated JPEG: a segment runs past the end of the file';
    }
    if (pos + length > b.length) return null; // past the prefix we were given
    pos += length;
    if (marker !== 0xda) continue;
    scans++;
    // Entropy-coded data: 0xFF is followed by 0x00 (stuffing), RSTn, more 0xFF, or the next marker.
    for (;;) {
      const ff = b.indexOf(0xff, pos);
      if (ff < 0 || ff + 1 >= b.length) return truncated;
      const after = b[ff + 1] ?? 0;
      if (after === 0x00 || (after >= 0xd0 && after <= 0xd7)) {
        pos = ff + 2;
        continue;
      }
      if (after === 0xff) {
        pos = ff + 1;
        continue;
      }
      pos = ff;
      break;
    }
  }
}

/** PNG: signature, then chunks by length (CRCs not verified) until IEND. */
function checkPng(b: Uint8Array, fileSize: number): string | null {
  const partial = b.length < fileSize;
  const SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!SIG.every((v, i) => b[i] === v)) return 'corrupt PNG: bad signature';
  let pos = 8;
  let first = true;
  for (;;) {
    if (pos + 8 > b.length) return partial ? null : 'truncated PNG: no IEND chunk';
    const length = u32be(b, pos);
    const type = ascii(b, pos + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) return `corrupt PNG: invalid chunk at byte ${pos}`;
    if (first && type !== 'IHDR') return 'corrupt PNG: first chunk is not IHDR';
    first = false;
    const end = pos + 12 + length;
    if (end > fileSize) return 'truncated PNG: a chunk runs past the end of the file';
    if (type === 'IEND') return null;
    pos = end;
  }
}

/** GIF: header, optional colour table, then extension and image blocks until the trailer (0x3B). */
function checkGif(b: Uint8Array, fileSize: number): string | null {
  const partial = b.length < fileSize;
  const truncated = partial ? null : 'truncated GIF: no trailer';
  const sig = ascii(b, 0, 6);
  if (sig !== 'GIF87a' && sig !== 'GIF89a') return 'corrupt GIF: bad signature';
  if (b.length < 13) return truncated;
  const flags = b[10] ?? 0;
  let pos = 13 + (flags & 0x80 ? 3 * (1 << ((flags & 0x07) + 1)) : 0);
  // Skips a chain of data sub-blocks; returns the position after the terminator or -1 at the end.
  const skipSubBlocks = (at: number): number => {
    let p = at;
    for (;;) {
      if (p >= b.length) return -1;
      const size = b[p] ?? 0;
      p += 1 + size;
      if (size === 0) return p;
    }
  };
  for (;;) {
    if (pos >= b.length) return truncated;
    const block = b[pos];
    if (block === 0x3b) return null; // trailer
    if (block === 0x21) {
      pos = skipSubBlocks(pos + 2); // introducer, label, sub-blocks
    } else if (block === 0x2c) {
      if (pos + 10 > b.length) return truncated;
      const local = b[pos + 9] ?? 0;
      pos += 10 + (local & 0x80 ? 3 * (1 << ((local & 0x07) + 1)) : 0);
      pos = skipSubBlocks(pos + 1); // LZW minimum code size, then the image data
    } else {
      return `corrupt GIF: unexpected block 0x${(block ?? 0).toString(16)} at byte ${pos}`;
    }
    if (pos < 0) return truncated;
  }
}

/** WebP: the RIFF size must fit in the file (a smaller one just means trailing bytes). */
function checkWebp(b: Uint8Array, fileSize: number): string | null {
  if (b.length < 12 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return 'corrupt WebP: bad RIFF header';
  const riffEnd = 8 + u32le(b, 4);
  // Writers pad odd chunk sizes: allow one byte of slack.
  if (riffEnd > fileSize + 1) return 'truncated WebP: the file is shorter than its RIFF header says';
  return null;
}

/**
 * HEIC/AVIF: walk the top-level ISO BMFF boxes. A box that runs past the end of the file means
 * truncated; size 0 means "to the end of the file". Data after the boxes that does not look like a
 * box (Samsung's SEFT trailer, for instance) is accepted once ftyp and meta have been seen.
 */
function checkIsoBmff(name: string, b: Uint8Array, fileSize: number): string | null {
  let pos = 0;
  let sawMeta = false;
  while (pos < fileSize) {
    if (pos + 8 > b.length) return b.length < fileSize ? null : sawMeta ? null : `truncated ${name}: no metadata box`;
    let size = u32be(b, pos);
    const type = ascii(b, pos + 4, 4);
    if (!/^[\x20-\x7e]{4}$/.test(type)) {
      if (pos > 0 && sawMeta) return null;
      return `corrupt ${name}: invalid box at byte ${pos}`;
    }
    if (pos === 0 && type !== 'ftyp') return `corrupt ${name}: no ftyp box`;
    let header = 8;
    if (size === 1) {
      if (pos + 16 > b.length) return b.length < fileSize ? null : `truncated ${name}: a box header runs past the end of the file`;
      size = u32be(b, pos + 8) * 2 ** 32 + u32be(b, pos + 12);
      header = 16;
    } else if (size === 0) {
      size = fileSize - pos;
    }
    if (size < header) return `corrupt ${name}: bad box size at byte ${pos}`;
    if (type === 'meta') sawMeta = true;
    if (pos + size > fileSize) return `truncated ${name}: the '${type}' box runs past the end of the file`;
    pos += size;
  }
  return sawMeta ? null : `corrupt ${name}: no metadata box`;
}
