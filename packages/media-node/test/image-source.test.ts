// Pieces of the image pipeline on real files: EXIF orientations applied by hand (for pixels that
// carry none: HEIC without irot, RAW previews) match libvips' own auto-orientation exactly, and
// HEIF thumbnail items and odd signalled sizes are handled.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderPixels } from '../src/media/image-output.ts';
import { applyOrientation } from '../src/media/image-source.ts';
import { exposeThumbnails, openHeif } from '../src/media/heif-decode.ts';
import { CORPUS } from '../src/testing/corpus-manifest.ts';

describe('image sources', () => {
  it('applies each EXIF orientation exactly as libvips auto-orientation does', async () => {
    for (let n = 1; n <= 8; n++) {
      const file = path.join(CORPUS, `orientation/tiny/f${n}t.jpg`);
      const auto = await sharp(file).autoOrient().raw().toBuffer({ resolveWithObject: true });
      const byHand = await applyOrientation(sharp(file, { autoOrient: false }), n).raw().toBuffer({ resolveWithObject: true });
      expect([byHand.info.width, byHand.info.height], `orientation ${n}`).toEqual([auto.info.width, auto.info.height]);
      expect(byHand.data.equals(auto.data), `orientation ${n}`).toBe(true);
    }
  });

  it('converts Display P3 and CMYK pictures to sRGB', async () => {
    const p3 = path.join(CORPUS, 'jpeg/misc/Iceland-P3.jpg');
    const ours = await renderPixels(sharp(p3).autoOrient(), { long: 1440 }, false);
    // The same pixel values read as if they were sRGB: saturated colours differ a lot.
    const asIfSrgb = await sharp(p3, { ignoreIcc: true }).ensureAlpha().raw().toBuffer();
    let sum = 0;
    let max = 0;
    for (let i = 0; i < asIfSrgb.length; i++) {
      const d = Math.abs(asIfSrgb[i]! - ours.data[i]!);
      sum += d;
      max = Math.max(max, d);
    }
    expect(sum / asIfSrgb.length).toBeGreaterThan(1);
    expect(max).toBeGreaterThan(30);
    const cmyk = await renderPixels(sharp(path.join(CORPUS, 'jpeg/misc/CMYK.jpg')).autoOrient(), { long: 1440 }, false);
    expect([cmyk.width, cmyk.height, cmyk.data.length]).toEqual([500, 333, 500 * 333 * 4]);
  });

  it('exposes HEIF thumbnail items and decodes them upright', async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(CORPUS, 'heic/iphone_15_pro.heic')));
    expect(exposeThumbnails(new Uint8Array(bytes))).toBe(1);
    const heif = await openHeif(bytes);
    try {
      expect(heif.transformed).toBe(true);
      expect(heif.primary).toEqual({ width: 3024, height: 4032 });
      expect(heif.thumbnails).toEqual([{ width: 240, height: 320 }]);
      const thumb = await heif.decode(0);
      expect([thumb.width, thumb.height, thumb.data.length]).toEqual([240, 320, 240 * 320 * 4]);
    } finally {
      heif.close();
    }
  });

  it('decodes a HEIC whose signalled size disagrees with its HEVC stream, cropped to the signalled size', async () => {
    const heif = await openHeif(new Uint8Array(fs.readFileSync(path.join(CORPUS, 'heic/elodie-photo.heic'))));
    try {
      const p = await heif.decode('primary');
      expect([p.width, p.height]).toEqual([100, 74]);
      // Real picture content, not a blank buffer.
      expect(new Set(p.data.subarray(0, 4000)).size).toBeGreaterThan(20);
    } finally {
      heif.close();
    }
  });
});
