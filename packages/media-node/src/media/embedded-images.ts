// The images a camera embeds in a RAW file (JpgFromRaw, PreviewImage, OtherImage, ThumbnailImage
// and their TIFF cousins), read with exiftool. The largest one is what a RAW looks like in
// Shoebox; metadata-only stubs carry 8×8 placeholders, which do not count.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ExifTool } from 'exiftool-vendored';

const EMBEDDED_TAGS = ['JpgFromRaw', 'PreviewImage', 'OtherImage', 'ThumbnailImage', 'PreviewTIFF', 'ThumbnailTIFF'];
const LIST_ARGS = ['-G1', '-a', '-fast', ...EMBEDDED_TAGS.map((t) => `-${t}`)];

export interface EmbeddedImageRef {
  /** Group-qualified tag, e.g. `SubIFD1:PreviewImage`. */
  tag: string;
  bytes: number;
}

/** Lists the embedded images of a file, largest first. */
export async function listEmbeddedImages(exiftool: ExifTool, file: string): Promise<EmbeddedImageRef[]> {
  const tags = (await exiftool.readRaw(file, { readArgs: LIST_ARGS })) as unknown as Record<string, unknown>;
  const found: EmbeddedImageRef[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const name = key.split(':').pop() ?? '';
    if (!EMBEDDED_TAGS.includes(name)) continue;
    if (typeof value !== 'string' || value.length === 0) continue;
    // Normally "(Binary data N bytes, …)"; now and then exiftool answers with the bytes themselves
    // (seen under load), whose length then stands for the size.
    const match = /^\(Binary data (\d+) bytes/.exec(value);
    const bytes = match ? Number(match[1]) : value.startsWith('base64:') ? Math.floor(((value.length - 7) * 3) / 4) : value.length;
    found.push({ tag: key, bytes });
  }
  return found.sort((a, b) => b.bytes - a.bytes);
}

/**
 * Reads one embedded image. Through a temporary file: exiftool-vendored's in-memory extraction
 * cannot name a group (`SubIFD1:PreviewImage`), which files with two previews need.
 */
export async function extractEmbeddedImage(exiftool: ExifTool, file: string, tag: string): Promise<Buffer> {
  const tmp = path.join(os.tmpdir(), `shoebox-embedded-${process.pid}-${randomUUID()}`);
  try {
    await exiftool.extractBinaryTag(tag, file, tmp);
    return await fs.readFile(tmp);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
