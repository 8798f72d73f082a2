// Face alignment: the similarity transform recovers known transforms, the warp samples like
// cv2.warpAffine, and the MobileFaceNet tensor and vector helpers.
import { describe, expect, it } from 'vitest';
import type { RawImage } from '../../src/ml/clip-preprocess.ts';
import {
  type AffineMatrix,
  ARCFACE_TEMPLATE_112,
  alignFace,
  cosine,
  dot,
  faceEmbeddingInput,
  invertAffine,
  l2Normalize,
  type Landmark,
  similarityTransform,
  transformPoint,
  warpAffine,
} from '../../src/ml/face-align.ts';

function similarity(angleDeg: number, scale: number, tx: number, ty: number): AffineMatrix {
  const a = scale * Math.cos((angleDeg * Math.PI) / 180);
  const b = scale * Math.sin((angleDeg * Math.PI) / 180);
  return [
    [a, -b, tx],
    [b, a, ty],
  ];
}

function expectMatrix(actual: AffineMatrix, expected: AffineMatrix, digits = 6) {
  for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) expect(actual[r]![c]).toBeCloseTo(expected[r]![c]!, digits);
}

/** An RGB test image whose pixel (x, y) is (x, y, x + y) (mod 256). */
function ramp(width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x & 255, y & 255, (x + y) & 255], (y * width + x) * 3);
  return { data, width, height, channels: 3 };
}

const pixel = (rgb: Uint8Array, width: number, x: number, y: number) => [...rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];

describe('similarityTransform', () => {
  it('recovers a known rotation, scale and translation of the template', () => {
    for (const [angle, scale, tx, ty] of [[0, 1, 0, 0], [17, 2.5, 130, -40], [-75, 0.3, 5, 999], [180, 1.1, -3, 3]] as const) {
      const known = similarity(angle, scale, tx, ty);
      const moved = ARCFACE_TEMPLATE_112.map((p) => transformPoint(known, p));
      // Template → moved gives the transform itself; moved → template (the default) its inverse.
      expectMatrix(similarityTransform(ARCFACE_TEMPLATE_112, moved), known);
      expectMatrix(similarityTransform(moved), invertAffine(known));
      const back = moved.map((p) => transformPoint(similarityTransform(moved), p));
      back.forEach((p, i) => {
        expect(p[0]).toBeCloseTo(ARCFACE_TEMPLATE_112[i]![0], 6);
        expect(p[1]).toBeCloseTo(ARCFACE_TEMPLATE_112[i]![1], 6);
      });
    }
  });

  it('is the least-squares fit for noisy landmarks and never reflects', () => {
    const known = similarity(30, 1.8, 200, 100);
    const noise = [[0.4, -0.2], [-0.3, 0.5], [0.1, 0.1], [-0.5, -0.4], [0.3, 0.2]];
    const src = ARCFACE_TEMPLATE_112.map((p, i) => {
      const q = transformPoint(known, p);
      return [q[0] + noise[i]![0]!, q[1] + noise[i]![1]!] as Landmark;
    });
    const m = similarityTransform(src);
    const error = (mat: AffineMatrix) =>
      src.reduce((s, p, i) => {
        const q = transformPoint(mat, p);
        return s + (q[0] - ARCFACE_TEMPLATE_112[i]![0]) ** 2 + (q[1] - ARCFACE_TEMPLATE_112[i]![1]) ** 2;
      }, 0);
    // Any nudge of angle, scale or shift makes the error larger.
    const [[a, b0, c], [d, , f]] = m;
    const base = error(m);
    for (const [da, db, dc, df] of [[1e-3, 0, 0, 0], [0, 1e-3, 0, 0], [0, 0, 1e-2, 0], [0, 0, 0, 1e-2], [-1e-3, 0, 0, 0]]) {
      const nudged: AffineMatrix = [[a + da!, b0 - db!, c + dc!], [d + db!, a + da!, f + df!]];
      expect(error(nudged)).toBeGreaterThan(base);
    }
    // A mirrored face still gets a proper rotation (positive determinant), not a reflection.
    const mirrored = src.map(([x, y]) => [-x, y] as Landmark);
    const r = similarityTransform(mirrored);
    expect(r[0][0] * r[1][1] - r[0][1] * r[1][0]).toBeGreaterThan(0);
  });
});

describe('warpAffine', () => {
  it('copies pixels under the identity and shifts them under a translation', () => {
    const img = ramp(40, 30);
    const same = warpAffine(img, [[1, 0, 0], [0, 1, 0]], 40, 30);
    expect(same).toEqual(img.data);
    // x' = x - 5, y' = y - 3: output (0, 0) reads source (5, 3).
    const shifted = warpAffine(img, [[1, 0, -5], [0, 1, -3]], 20, 20);
    expect(pixel(shifted, 20, 0, 0)).toEqual([5, 3, 8]);
    expect(pixel(shifted, 20, 19, 19)).toEqual([24, 22, 46]);
  });

  it('interpolates bilinearly and reads black outside the picture', () => {
    const img = ramp(40, 30);
    // Half a pixel to the right: the average of two neighbours.
    const half = warpAffine(img, [[1, 0, -0.5], [0, 1, 0]], 10, 10);
    expect(pixel(half, 10, 2, 4)).toEqual([Math.round(2.5), 4, Math.round(6.5)]);
    // Shift right by 10: the first 10 columns come from outside → black; half outside → half weight.
    const right = warpAffine(img, [[1, 0, 10], [0, 1, 0]], 40, 30);
    expect(pixel(right, 40, 3, 5)).toEqual([0, 0, 0]);
    expect(pixel(right, 40, 10, 5)).toEqual([0, 5, 5]);
    const edge = warpAffine(img, [[1, 0, 0.5], [0, 1, 0]], 40, 30);
    expect(pixel(edge, 40, 0, 8)).toEqual([0, 4, 4]); // half of source (0, 8), half black
  });

  it('scales down by two and replicates grey', () => {
    const grey: RawImage = { data: Uint8Array.from({ length: 64 }, (_, i) => i * 4), width: 8, height: 8, channels: 1 };
    const out = warpAffine(grey, [[0.5, 0, 0], [0, 0.5, 0]], 4, 4);
    // Output (1, 1) samples source (2, 2) = 4·(2·8 + 2).
    expect(pixel(out, 4, 1, 1)).toEqual([72, 72, 72]);
  });

  it('aligns five landmarks onto the ArcFace template', () => {
    const img = ramp(300, 300);
    const known = similarity(12, 2, 40, 25);
    const landmarks = ARCFACE_TEMPLATE_112.map((p) => transformPoint(known, p));
    const crop = alignFace(img, landmarks);
    expect(crop.length).toBe(112 * 112 * 3);
    // Template pixel (56, 71) maps to the source point `known` sends it to.
    const [sx, sy] = transformPoint(known, [56, 71]);
    const got = pixel(crop, 112, 56, 71);
    expect(Math.abs(got[0]! - sx)).toBeLessThanOrEqual(1);
    expect(Math.abs(got[1]! - sy)).toBeLessThanOrEqual(1);
  });
});

describe('faceEmbeddingInput and vectors', () => {
  it('normalises RGB with ImageNet statistics into NCHW, optionally mirrored', () => {
    const crop = new Uint8Array(112 * 112 * 3);
    crop.set([255, 0, 128], 0); // pixel (0, 0)
    crop.set([10, 20, 30], 111 * 3); // pixel (111, 0)
    const t = faceEmbeddingInput(crop);
    const plane = 112 * 112;
    expect(t.length).toBe(3 * plane);
    expect(t[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(t[plane]).toBeCloseTo((0 - 0.456) / 0.224, 5);
    expect(t[2 * plane]).toBeCloseTo((128 / 255 - 0.406) / 0.225, 5);
    const flipped = faceEmbeddingInput(crop, true);
    expect(flipped[111]).toBeCloseTo(t[0]!, 6);
    expect(flipped[0]).toBeCloseTo((10 / 255 - 0.485) / 0.229, 5);
    expect(() => faceEmbeddingInput(new Uint8Array(10))).toThrow();
  });

  it('normalises, and measures dot and cosine', () => {
    const v = l2Normalize(new Float32Array([3, 4]));
    expect([...v]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect([...l2Normalize(new Float32Array(3))]).toEqual([0, 0, 0]);
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(cosine([1, 0], [0, 2])).toBe(0);
    expect(cosine([1, 1], [2, 2])).toBeCloseTo(1, 9);
    expect(cosine([1, 0], [-3, 0])).toBeCloseTo(-1, 9);
    expect(() => dot([1], [1, 2])).toThrow();
  });
});
