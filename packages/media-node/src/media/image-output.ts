// Turns decoded pictures into the files the library shows: resizing to the thumbnail and preview
// sizes, colour conversion to sRGB (Display P3, CMYK and 16-bit sources included), encoding, and
// the thumbhash. Every output is written through a temporary file and renamed into place.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { PREVIEW_LONG_SIDE, THUMBHASH_MAX_SIDE, THUMBNAIL_SHORT_SIDE, fitLongSide, fitShortSide } from '@shoebox/core';

/** Pixels ready for encoding: upright, 8-bit sRGB, RGBA. */
export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  /** The picture has real transparency (otherwise the alpha channel is opaque padding). */
  alpha: boolean;
}

export interface WrittenImage {
  width: number;
  height: number;
  bytes: number;
}

const THUMBNAIL_WEBP = { quality: 80, effort: 1 } as const;
const PREVIEW_JPEG = { quality: 82, progressive: false, mozjpeg: false } as const;
const PREVIEW_WEBP = { quality: 82, effort: 2 } as const;

/** Renders a pipeline (already oriented) to RGBA pixels that fit the given box. */
export async function renderPixels(pipeline: Sharp, box: { short?: number; long?: number }, alpha: boolean): Promise<Pixels> {
  const fitted = box.short
    ? pipeline.resize({ width: box.short, height: box.short, fit: 'outside', withoutEnlargement: true })
    : pipeline.resize({ width: box.long, height: box.long, fit: 'inside', withoutEnlargement: true });
  const { data, info } = await fitted.toColourspace('srgb').ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, alpha };
}

function fromPixels(p: Pixels): Sharp {
  const s = sharp(p.data, { raw: { width: p.width, height: p.height, channels: 4 } });
  return p.alpha ? s : s.removeAlpha();
}

/** Folders this process made or found: a few thousand at most (the shard layout). */
const knownFolders = new Set<string>();

async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const dir = path.dirname(file);
  if (!knownFolders.has(dir)) {
    await fs.mkdir(dir, { recursive: true });
    knownFolders.add(dir);
  }
  // Unique: a thumbnail pass and a preview job may write the same file at once.
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    await fs.writeFile(tmp, data).catch(async (error: NodeJS.ErrnoException) => {
      // The folder went away under us (someone cleared the data folder): make it again.
      if (error.code !== 'ENOENT') throw error;
      knownFolders.delete(dir);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(tmp, data);
    });
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/** The thumbnail: about THUMBNAIL_SHORT_SIDE on the short side, WebP. */
export async function writeThumbnail(p: Pixels, file: string): Promise<WrittenImage> {
  const size = fitShortSide(p, THUMBNAIL_SHORT_SIDE);
  let s = fromPixels(p);
  if (size.width !== p.width || size.height !== p.height) s = s.resize(size.width, size.height, { fit: 'fill' });
  const { data, info } = await s.webp(THUMBNAIL_WEBP).toBuffer({ resolveWithObject: true });
  await writeAtomically(file, data);
  return { width: info.width, height: info.height, bytes: data.length };
}

/** The preview: about PREVIEW_LONG_SIDE on the long side; JPEG, or WebP when it has transparency. */
export async function writePreview(p: Pixels, file: string): Promise<WrittenImage> {
  const size = fitLongSide(p, PREVIEW_LONG_SIDE);
  let s = fromPixels(p);
  if (size.width !== p.width || size.height !== p.height) s = s.resize(size.width, size.height, { fit: 'fill' });
  const encoded = p.alpha ? s.webp(PREVIEW_WEBP) : s.jpeg(PREVIEW_JPEG);
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  await writeAtomically(file, data);
  return { width: info.width, height: info.height, bytes: data.length };
}

/** The preview's file extension for these pixels. */
export function previewExtension(alpha: boolean): 'jpg' | 'webp' {
  return alpha ? 'webp' : 'jpg';
}

/**
 * Averages RGBA pixels down to a box of at most `size` (an area filter: every source pixel counts
 * once, which is all a placeholder of a few dozen bytes needs).
 */
export function shrinkRgba(p: { data: Uint8Array; width: number; height: number }, size: { width: number; height: number }): Uint8Array {
  const { width: w, height: h } = size;
  const out = new Uint8Array(w * h * 4);
  const sums = new Float64Array(w * h * 4);
  const counts = new Uint32Array(w * h);
  for (let y = 0; y < p.height; y++) {
    const ty = Math.min(h - 1, Math.floor((y * h) / p.height));
    for (let x = 0; x < p.width; x++) {
      const tx = Math.min(w - 1, Math.floor((x * w) / p.width));
      const t = ty * w + tx;
      const s = (y * p.width + x) * 4;
      for (let c = 0; c < 4; c++) sums[t * 4 + c] = sums[t * 4 + c]! + p.data[s + c]!;
      counts[t]!++;
    }
  }
  for (let t = 0; t < w * h; t++) {
    const n = counts[t] || 1;
    for (let c = 0; c < 4; c++) out[t * 4 + c] = Math.round(sums[t * 4 + c]! / n);
  }
  return out;
}

/** A thumbhash (base64) of the picture: a blurred placeholder of a few dozen bytes. */
export function thumbhashOf(p: Pixels): string {
  const size = fitLongSide(p, THUMBHASH_MAX_SIDE);
  const hash = rgbaToThumbHash(size.width, size.height, shrinkRgba(p, size));
  return Buffer.from(hash).toString('base64');
}
