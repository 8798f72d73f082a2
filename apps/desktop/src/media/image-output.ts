// Turns decoded pictures into the files the library shows: resizing to the thumbnail and preview
// sizes, colour conversion to sRGB (Display P3, CMYK and 16-bit sources included), encoding, and
// the thumbhash. Every output is written through a temporary file and renamed into place.
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

const THUMBNAIL_WEBP = { quality: 80, effort: 2 } as const;
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

async function writeAtomically(file: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(tmp, data);
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

/** A thumbhash (base64) of the picture: a blurred placeholder of a few dozen bytes. */
export async function thumbhashOf(p: Pixels): Promise<string> {
  const size = fitLongSide(p, THUMBHASH_MAX_SIDE);
  const { data, info } = await sharp(p.data, { raw: { width: p.width, height: p.height, channels: 4 } })
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const hash = rgbaToThumbHash(info.width, info.height, data);
  return Buffer.from(hash).toString('base64');
}
