// Recognising files by name and by content, on the real corpus.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isJunkFolder, isJunkName, roleByName, sniffFormat } from '../src/media/media-types.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpus');
const head = (rel: string): Uint8Array => {
  const fd = fs.openSync(path.join(CORPUS, rel), 'r');
  const buf = Buffer.alloc(256);
  const n = fs.readSync(fd, buf, 0, 256, 0);
  fs.closeSync(fd);
  return buf.subarray(0, n);
};

describe('media types', () => {
  it('classifies by extension', () => {
    expect(roleByName('IMG_0001.JPG')).toBe('image');
    expect(roleByName('clip.MOV')).toBe('video');
    expect(roleByName('a.jpg.xmp')).toBe('sidecar');
    expect(roleByName('CRW_0304.THM')).toBe('companion');
    expect(roleByName('notes.txt')).toBe('ignore');
    expect(roleByName('no-extension')).toBe('unknown');
  });

  it('names formats from content, whatever the extension says', () => {
    expect(sniffFormat(head('broken/jpeg-named.png'))).toBe('jpeg');
    expect(sniffFormat(head('broken/wrong-extension-jpeg.heic'))).toBe('jpeg');
    expect(sniffFormat(head('heic/IMG_2682.heic'))).toBe('heic');
    expect(sniffFormat(head('avif/8bit-sRGB.avif'))).toBe('avif');
    expect(sniffFormat(head('avif/animated-sequence.avif'))).toBe('avif');
    expect(sniffFormat(head('jxl/8bit-sRGB.jxl'))).toBe('jxl');
    expect(sniffFormat(head('png/screenshot.png'))).toBe('png');
    expect(sniffFormat(head('gif/example-static.gif'))).toBe('gif');
    expect(sniffFormat(head('webp/denali.webp'))).toBe('webp');
    expect(sniffFormat(head('tiff/exif-example.tiff'))).toBe('tiff');
    expect(sniffFormat(head('raw/stubs/CanonRaw.cr3'))).toBe('cr3');
    expect(sniffFormat(head('raw/Canon_PowerShotG2_CRW_0304.CRW'))).toBe('crw');
    expect(sniffFormat(head('raw/stubs/FujiFilm.raf'))).toBe('raf');
    expect(sniffFormat(head('video/with-gps.mov'))).toBe('mov');
    expect(sniffFormat(head('video/isom-avc1.mp4'))).toBe('mp4');
    expect(sniffFormat(head('video/sample.3gp'))).toBe('3gp');
    expect(sniffFormat(head('video/Canon_S40_MVI_0121.AVI'))).toBe('avi');
    expect(sniffFormat(head('video/fate/hdr10tags-both.mkv'))).toBe('mkv');
    expect(sniffFormat(head('broken/self-made/text-file-renamed.jpg'))).toBeNull();
    expect(sniffFormat(new Uint8Array())).toBeNull();
  });

  it('skips OS junk and hidden folders', () => {
    for (const n of ['.DS_Store', '._IMG_1.jpg', 'Thumbs.db', 'x.jpg.part']) expect(isJunkName(n), n).toBe(true);
    expect(isJunkName('IMG_1.jpg')).toBe(false);
    for (const d of ['.git', '@eaDir', '$RECYCLE.BIN', '.thumbnails']) expect(isJunkFolder(d), d).toBe(true);
    expect(isJunkFolder('2024')).toBe(false);
  });
});
