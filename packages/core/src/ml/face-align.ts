// Face alignment for MobileFaceNet: the least-squares similarity transform from YuNet's five
// landmarks onto the ArcFace 112×112 template, a bilinear affine warp, the network's input
// tensor, and the vector helpers used to compare embeddings.
import type { RawImage } from './clip-preprocess.ts';

export type Landmark = [number, number];
/** A 2×3 affine matrix [[a, b, c], [d, e, f]]: x' = a·x + b·y + c, y' = d·x + e·y + f. */
export type AffineMatrix = [[number, number, number], [number, number, number]];

export const ARCFACE_TEMPLATE_112: Landmark[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];
export const FACE_INPUT_SIZE = 112;
export const FACE_MEAN = [0.485, 0.456, 0.406] as const;
export const FACE_STD = [0.229, 0.224, 0.225] as const;

/**
 * The rotation + uniform scale + translation (no reflection) that maps `src` onto `dst` with the
 * least squared error. In 2-D this is Umeyama's estimate (what skimage's SimilarityTransform
 * gives) in closed form: with centred points, a = Σ s·d / Σ|s|², b = Σ s×d / Σ|s|².
 */
export function similarityTransform(src: readonly Landmark[], dst: readonly Landmark[] = ARCFACE_TEMPLATE_112): AffineMatrix {
  const n = src.length;
  if (n < 2 || dst.length !== n) throw new RangeError('similarityTransform: need at least two point pairs');
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0]; sy += src[i]![1];
    dx += dst[i]![0]; dy += dst[i]![1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let dotSum = 0, crossSum = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx, py = src[i]![1] - sy;
    const qx = dst[i]![0] - dx, qy = dst[i]![1] - dy;
    dotSum += px * qx + py * qy;
    crossSum += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (norm === 0) throw new RangeError('similarityTransform: source points coincide');
  const a = dotSum / norm;
  const b = crossSum / norm;
  return [
    [a, -b, dx - (a * sx - b * sy)],
    [b, a, dy - (b * sx + a * sy)],
  ];
}

/** Applies a 2×3 matrix to a point. */
export function transformPoint(m: AffineMatrix, [x, y]: Landmark): Landmark {
  return [m[0][0] * x + m[0][1] * y + m[0][2], m[1][0] * x + m[1][1] * y + m[1][2]];
}

/** The inverse of an affine matrix. */
export function invertAffine(m: AffineMatrix): AffineMatrix {
  const [[a, b, c], [d, e, f]] = m;
  const det = a * e - b * d;
  if (det === 0) throw new RangeError('invertAffine: singular matrix');
  return [
    [e / det, -b / det, (b * f - c * e) / det],
    [-d / det, a / det, (c * d - a * f) / det],
  ];
}

/**
 * cv2.warpAffine(image, matrix, (outWidth, outHeight)) with its defaults: each output pixel
 * samples the source at the inverse-mapped position with bilinear weights, and samples outside
 * the picture read black (BORDER_CONSTANT 0). Output is interleaved RGB; grey is replicated,
 * alpha dropped. Weights are exact rather than OpenCV's 1/32-pixel fixed point, so a value can
 * differ from OpenCV's by one.
 */
export function warpAffine(image: RawImage, matrix: AffineMatrix, outWidth: number, outHeight: number): Uint8Array {
  const { data, width, height, channels: c } = image;
  const inv = invertAffine(matrix);
  const out = new Uint8Array(outWidth * outHeight * 3);
  const offsets = c < 3 ? [0, 0, 0] : [0, 1, 2];
  const sample = (x: number, y: number, ch: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : data[(y * width + x) * c + offsets[ch]!]!;
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const sx = inv[0][0] * ox + inv[0][1] * oy + inv[0][2];
      const sy = inv[1][0] * ox + inv[1][1] * oy + inv[1][2];
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      const o = (oy * outWidth + ox) * 3;
      if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) continue;
      for (let ch = 0; ch < 3; ch++) {
        const top = sample(x0, y0, ch) * (1 - fx) + sample(x0 + 1, y0, ch) * fx;
        const bottom = sample(x0, y0 + 1, ch) * (1 - fx) + sample(x0 + 1, y0 + 1, ch) * fx;
        out[o + ch] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return out;
}

/** The aligned 112×112 RGB face for five landmarks (in the image's pixel coordinates). */
export function alignFace(image: RawImage, landmarks: readonly Landmark[]): Uint8Array {
  return warpAffine(image, similarityTransform(landmarks), FACE_INPUT_SIZE, FACE_INPUT_SIZE);
}

/**
 * MobileFaceNet's input for an aligned RGB crop: x/255, ImageNet mean and std, 1×3×112×112
 * NCHW. `flip` mirrors it left-right (foamliu adds the flipped crop's embedding).
 */
export function faceEmbeddingInput(crop: Uint8Array, flip = false): Float32Array {
  const size = FACE_INPUT_SIZE;
  const plane = size * size;
  if (crop.length !== plane * 3) throw new RangeError(`faceEmbeddingInput: expected ${size}×${size} RGB`);
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = (y * size + (flip ? size - 1 - x : x)) * 3;
      const o = y * size + x;
      for (let ch = 0; ch < 3; ch++) out[ch * plane + o] = (crop[p + ch]! / 255 - FACE_MEAN[ch]!) / FACE_STD[ch]!;
    }
  }
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError('dot: vectors differ in length');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** A unit-length copy (a zero vector stays zero). */
export function l2Normalize(v: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(v, v));
  const out = new Float32Array(v.length);
  if (norm > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
  return out;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  return na === 0 || nb === 0 ? 0 : dot(a, b) / (na * nb);
}
