// YuNet pre/post-processing with synthetic output tensors: sizing, the BGR tensor, anchor
// decoding on each stride, score threshold and NMS.
import { describe, expect, it } from 'vitest';
import { boxIou, decodeYunet, scaleDetection, yunetInputSize, yunetTensor } from '../../src/ml/yunet.ts';

/** Zeroed outputs for a padded input, with a setter for one anchor. */
function outputs(paddedWidth: number, paddedHeight: number) {
  const out: Record<string, Float32Array> = {};
  for (const s of [8, 16, 32]) {
    const n = (paddedWidth / s) * (paddedHeight / s);
    out[`cls_${s}`] = new Float32Array(n);
    out[`obj_${s}`] = new Float32Array(n);
    out[`bbox_${s}`] = new Float32Array(n * 4);
    out[`kps_${s}`] = new Float32Array(n * 10);
  }
  const set = (s: number, row: number, col: number, cls: number, obj: number, bbox: number[], kps: number[]) => {
    const i = row * (paddedWidth / s) + col;
    out[`cls_${s}`]![i] = cls;
    out[`obj_${s}`]![i] = obj;
    out[`bbox_${s}`]!.set(bbox, i * 4);
    out[`kps_${s}`]!.set(kps, i * 10);
  };
  return { out, set };
}

const KPS = [0.2, 0.3, 0.8, 0.3, 0.5, 0.5, 0.3, 0.8, 0.7, 0.8];

describe('yunetInputSize', () => {
  it('fits the long side and pads to multiples of 32', () => {
    expect(yunetInputSize(4000, 3000, 640)).toEqual({ width: 640, height: 480, scale: 0.16, paddedWidth: 640, paddedHeight: 480 });
    expect(yunetInputSize(3000, 4000, 640)).toMatchObject({ width: 480, height: 640, paddedWidth: 480, paddedHeight: 640 });
    const odd = yunetInputSize(1000, 333, 640);
    expect(odd).toMatchObject({ width: 640, height: 213, paddedWidth: 640, paddedHeight: 224 });
  });

  it('never enlarges', () => {
    expect(yunetInputSize(300, 200, 640)).toEqual({ width: 300, height: 200, scale: 1, paddedWidth: 320, paddedHeight: 224 });
    expect(yunetInputSize(64, 64, 640)).toMatchObject({ scale: 1, paddedWidth: 64, paddedHeight: 64 });
  });
});

describe('yunetTensor', () => {
  it('writes BGR planes in 0..255 with zero padding', () => {
    const rgb = new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]); // 2×2 RGB
    const t = yunetTensor(rgb, 2, 2, 3, 4, 3);
    const plane = 12;
    expect(t.length).toBe(3 * plane);
    expect([t[0], t[plane], t[2 * plane]]).toEqual([30, 20, 10]); // pixel (0,0): B, G, R
    expect([t[1], t[plane + 1], t[2 * plane + 1]]).toEqual([60, 50, 40]); // pixel (1,0)
    expect([t[4], t[plane + 4], t[2 * plane + 4]]).toEqual([90, 80, 70]); // pixel (0,1)
    expect([t[2], t[3], t[6], t[8], t[11]]).toEqual([0, 0, 0, 0, 0]); // padding
  });

  it('replicates grey and ignores alpha', () => {
    const grey = yunetTensor(new Uint8Array([200]), 1, 1, 1, 32, 32);
    expect([grey[0], grey[1024], grey[2048]]).toEqual([200, 200, 200]);
    const rgba = yunetTensor(new Uint8Array([1, 2, 3, 0]), 1, 1, 4, 32, 32);
    expect([rgba[0], rgba[1024], rgba[2048]]).toEqual([3, 2, 1]);
  });
});

describe('decodeYunet', () => {
  it('decodes an anchor on each stride into its box, landmarks and score', () => {
    const { out, set } = outputs(320, 256);
    set(8, 3, 5, 0.9, 0.8, [0.5, 0.5, Math.log(4), Math.log(6)], KPS);
    set(16, 10, 2, 0.95, 0.95, [0, 0, Math.log(2), Math.log(2)], KPS);
    set(32, 7, 9, 1, 1, [0.25, 0.75, 0, Math.log(3)], KPS);
    const faces = decodeYunet(out, 320, 256, { scoreThreshold: 0.5 });
    expect(faces).toHaveLength(3);
    const [big, mid, small] = faces as [(typeof faces)[0], (typeof faces)[0], (typeof faces)[0]];
    expect(big.score).toBe(1);
    // stride 32, col 9, row 7: centre ((9.25)·32, (7.75)·32) = (296, 248), 32×96.
    expect(big.box.x).toBeCloseTo(280, 4);
    expect(big.box.y).toBeCloseTo(200, 4);
    expect(big.box.width).toBeCloseTo(32, 4);
    expect(big.box.height).toBeCloseTo(96, 4);
    expect(mid.score).toBeCloseTo(0.95, 6);
    expect(mid.box).toMatchObject({ width: expect.closeTo(32, 4), height: expect.closeTo(32, 4) });
    expect([mid.box.x, mid.box.y]).toEqual([expect.closeTo(16, 4), expect.closeTo(144, 4)]);
    // stride 8, col 5, row 3: centre (44, 28), 32×48 → (28, 4).
    expect(small.score).toBeCloseTo(Math.sqrt(0.72), 6);
    expect([small.box.x, small.box.y, small.box.width, small.box.height].map((v) => Math.round(v * 1e4) / 1e4)).toEqual([28, 4, 32, 48]);
    expect(small.landmarks).toHaveLength(5);
    expect(small.landmarks[0]![0]).toBeCloseTo((5 + 0.2) * 8, 4);
    expect(small.landmarks[0]![1]).toBeCloseTo((3 + 0.3) * 8, 4);
    expect(small.landmarks[4]![0]).toBeCloseTo((5 + 0.7) * 8, 4);
    expect(small.landmarks[4]![1]).toBeCloseTo((3 + 0.8) * 8, 4);
  });

  it('applies the score threshold with clamped probabilities', () => {
    const { out, set } = outputs(64, 64);
    set(8, 1, 1, 0.5, 0.5, [0, 0, 0, 0], KPS); // score 0.5
    set(8, 6, 6, 1.4, -0.1, [0, 0, 0, 0], KPS); // clamps to sqrt(1 · 0) = 0
    set(16, 2, 2, 1.2, 0.81, [0, 0, 0, 0], KPS); // clamps to sqrt(1 · 0.81) = 0.9
    const faces = decodeYunet(out, 64, 64, { scoreThreshold: 0.6 });
    expect(faces.map((f) => f.score)).toEqual([expect.closeTo(0.9, 6)]);
    expect(decodeYunet(out, 64, 64, { scoreThreshold: 0.5 })).toHaveLength(2);
  });

  it('keeps the best of overlapping boxes and leaves separate ones', () => {
    const { out, set } = outputs(128, 128);
    // Three boxes around the same face on strides 8 and 16, and one elsewhere.
    set(8, 4, 4, 0.9, 0.9, [0.5, 0.5, Math.log(4), Math.log(4)], KPS); // 20..52 square
    set(16, 2, 2, 0.95, 0.95, [0.3, 0.25, Math.log(2), Math.log(2)], KPS); // x 20.8..52.8, y 20..52
    set(8, 5, 5, 0.8, 0.8, [0, 0, Math.log(4), Math.log(4)], KPS); // 24..56 square
    set(8, 13, 13, 0.85, 0.85, [0.5, 0.5, Math.log(2), Math.log(2)], KPS); // 100..116, apart
    const faces = decodeYunet(out, 128, 128, { scoreThreshold: 0.5 });
    expect(faces.map((f) => f.score)).toEqual([expect.closeTo(0.95, 6), expect.closeTo(0.85, 6)]);
    // With a permissive IoU every box survives; top-k cuts before NMS.
    expect(decodeYunet(out, 128, 128, { scoreThreshold: 0.5, nmsThreshold: 0.99 })).toHaveLength(4);
    expect(decodeYunet(out, 128, 128, { scoreThreshold: 0.5, nmsThreshold: 0.99, topK: 2 })).toHaveLength(2);
  });

  it('measures IoU and maps detections back to the source', () => {
    expect(boxIou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150, 9);
    expect(boxIou({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 })).toBe(0);
    const back = scaleDetection({ box: { x: 10, y: 20, width: 30, height: 40 }, landmarks: [[1, 2]], score: 0.9 }, 0.5);
    expect(back).toEqual({ box: { x: 20, y: 40, width: 60, height: 80 }, landmarks: [[2, 4]], score: 0.9 });
  });

  it('rejects missing or short outputs', () => {
    const { out } = outputs(64, 64);
    delete out.kps_32;
    expect(() => decodeYunet(out, 64, 64, { scoreThreshold: 0.5 })).toThrow(/kps_32/);
    expect(() => decodeYunet(outputs(64, 64).out, 128, 64, { scoreThreshold: 0.5 })).toThrow(/cls_8/);
  });
});
