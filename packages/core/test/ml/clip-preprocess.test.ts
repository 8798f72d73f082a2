// CLIP image preprocessing against Pillow 9.4: every reference crop in fixtures/clip-reference.json
// (made by fixtures/make-clip-reference.py) must match byte for byte, and the tensor to 1e-6.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  CLIP_IMAGE_SIZE,
  clipImageCrop,
  clipImageTensor,
  clipNormalize,
  clipResizedSize,
  pillowResizeBicubic,
  type RawImage,
} from '../../src/ml/clip-preprocess.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const SHARED = path.resolve(import.meta.dirname, '../../../../../shared');

interface ReferenceCase {
  name: string;
  shared?: string;
  fixture?: string;
  pattern?: { channels: 1 | 2 | 3 | 4; seed: number };
  mode: string;
  width: number;
  height: number;
  resized: [number, number];
  crop: [number, number];
  sha256: string;
  probes: [number, number][];
  sum: number;
}

const reference = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'clip-reference.json'), 'utf8')) as {
  pillow: string;
  cases: ReferenceCase[];
};

/** The generator script's `pattern`, pixel for pixel. */
function pattern(width: number, height: number, channels: 1 | 2 | 3 | 4, seed: number): RawImage {
  const data = new Uint8Array(width * height * channels);
  let i = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        if ((channels === 2 || channels === 4) && c === channels - 1) {
          const band = Math.floor((4 * x) / width);
          data[i++] = band === 0 ? 0 : band === 3 ? 255 : (x * 5 + y * 3 + seed * 40) & 255;
        } else {
          data[i++] = (x * (3 + c + seed) + y * (5 + 2 * c) + ((x * y) >> (3 + c)) + ((x ^ y) & (31 + 16 * seed))) & 255;
        }
      }
    }
  }
  return { data, width, height, channels };
}

async function decode(file: string): Promise<RawImage> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels };
}

/** sharp expands grey (and grey + alpha) to sRGB: also feed the PNG's own channels. */
function nativeGrey(image: RawImage): RawImage {
  const keep = image.channels === 4 ? [0, 3] : [0];
  const data = new Uint8Array(image.width * image.height * keep.length);
  for (let p = 0, o = 0; p < image.data.length; p += image.channels) for (const ch of keep) data[o++] = image.data[p + ch]!;
  return { ...image, data, channels: keep.length as 1 | 2 };
}

async function inputs(c: ReferenceCase): Promise<RawImage[]> {
  if (c.pattern) return [pattern(c.width, c.height, c.pattern.channels, c.pattern.seed)];
  const decoded = await decode(c.shared ? path.join(SHARED, c.shared) : path.join(FIXTURES, c.fixture!));
  return c.mode === 'L' || c.mode === 'LA' ? [decoded, nativeGrey(decoded)] : [decoded];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('CLIP preprocessing matches Pillow', () => {
  it(`covers the reference set made with Pillow ${reference.pillow}`, () => {
    expect(reference.pillow).toBe('9.4.0');
    expect(reference.cases.length).toBeGreaterThanOrEqual(20);
    const modes = new Set(reference.cases.map((c) => c.mode));
    expect([...modes].sort()).toEqual(['L', 'LA', 'RGB', 'RGBA']);
    // The crop offsets include both directions of Python's half-to-even rounding.
    const rounding = reference.cases.flatMap((c) =>
      [0, 1].filter((axis) => (c.resized[axis]! - 224) % 2 === 1).map((axis) => c.crop[axis]! * 2 - (c.resized[axis]! - 224)),
    );
    expect(rounding).toEqual(expect.arrayContaining([-1, 1]));
  });

  for (const c of reference.cases) {
    it(`${c.name} (${c.mode} ${c.width}×${c.height}) crops bit for bit`, async () => {
      for (const image of await inputs(c)) {
        expect([image.width, image.height]).toEqual([c.width, c.height]);
        const size = clipResizedSize(image.width, image.height);
        expect([size.width, size.height]).toEqual(c.resized);
        const crop = clipImageCrop(image);
        expect(crop.length).toBe(224 * 224 * 3);
        expect(sha256(crop), `${c.name} with ${image.channels} channels`).toBe(c.sha256);
        const tensor = clipNormalize(crop);
        for (const [index, value] of c.probes) expect(tensor[index]).toBeCloseTo(value, 6);
        let sum = 0;
        for (const v of tensor) sum += v;
        expect(Math.abs(sum - c.sum)).toBeLessThan(1e-6 * Math.max(1, Math.abs(c.sum)));
      }
    }, 30_000);
  }
});

describe('CLIP preprocessing details', () => {
  it('makes a 1×3×224×224 tensor with CLIP mean and std', () => {
    const white = { data: new Uint8Array(300 * 400 * 3).fill(255), width: 300, height: 400, channels: 3 as const };
    const tensor = clipImageTensor(white);
    expect(tensor.length).toBe(3 * CLIP_IMAGE_SIZE * CLIP_IMAGE_SIZE);
    expect(tensor[0]).toBeCloseTo((1 - 0.48145466) / 0.26862954, 5);
    expect(tensor[224 * 224]).toBeCloseTo((1 - 0.4578275) / 0.26130258, 5);
    expect(tensor[2 * 224 * 224 + 5]).toBeCloseTo((1 - 0.40821073) / 0.27577711, 5);
  });

  it('turns fully transparent pixels black and keeps opaque ones', () => {
    const data = new Uint8Array(448 * 448 * 4);
    for (let i = 0; i < data.length; i += 4) data.set(i % (448 * 4) < 224 * 4 ? [255, 0, 0, 0] : [0, 0, 255, 255], i);
    const crop = clipImageCrop({ data, width: 448, height: 448, channels: 4 });
    expect([...crop.subarray(0, 3)]).toEqual([0, 0, 0]);
    expect([...crop.subarray(223 * 3, 224 * 3)]).toEqual([0, 0, 255]);
  });

  it('copies an image that already has the size, and resizes only the axis that changes', () => {
    const image = pattern(64, 48, 3, 1);
    expect(pillowResizeBicubic(image, 64, 48).data).toEqual(image.data);
    const taller = pillowResizeBicubic(image, 64, 96);
    expect([taller.width, taller.height, taller.data.length]).toEqual([64, 96, 64 * 96 * 3]);
  });

  it('keeps a constant image constant in both directions', () => {
    const grey = { data: new Uint8Array(37 * 23).fill(77), width: 37, height: 23, channels: 1 as const };
    for (const [w, h] of [[5, 3], [300, 200]] as const) {
      expect(new Set(pillowResizeBicubic(grey, w, h).data)).toEqual(new Set([77]));
    }
  });
});
