// YuNet face detector around the ONNX session: input sizing and the BGR NCHW tensor before it,
// decoding of the 12 output heads (strides 8/16/32) and greedy NMS after it, as OpenCV's
// FaceDetectorYN does (see shared/models/MANIFEST.md).

export interface YunetInputSize {
  /** The picture scaled to fit (what the caller resizes it to). */
  width: number;
  height: number;
  /** Network pixels per source pixel: divide decoded coordinates by it. */
  scale: number;
  /** The tensor's size: the scaled picture zero-padded right and bottom to multiples of 32. */
  paddedWidth: number;
  paddedHeight: number;
}

export interface YunetBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceDetection {
  box: YunetBox;
  /** Right eye, left eye, nose tip, right and left mouth corners (the subject's sides). */
  landmarks: [number, number][];
  score: number;
}

export interface YunetDecodeOptions {
  scoreThreshold: number;
  /** IoU above which the lower-scored of two boxes is dropped (OpenCV's default 0.3). */
  nmsThreshold?: number;
  /** Candidates kept, best first, before NMS (OpenCV's default 5000). */
  topK?: number;
}

export const YUNET_STRIDES = [8, 16, 32] as const;
const ALIGN = 32;

/** Fits the picture's long side into `maxSide` (never enlarging) and pads to multiples of 32. */
export function yunetInputSize(width: number, height: number, maxSide: number): YunetInputSize {
  if (!(width > 0 && height > 0 && maxSide > 0)) throw new RangeError('yunetInputSize: sizes must be positive');
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.min(maxSide, Math.round(width * scale)));
  const h = Math.max(1, Math.min(maxSide, Math.round(height * scale)));
  return {
    width: w,
    height: h,
    scale,
    paddedWidth: Math.ceil(w / ALIGN) * ALIGN,
    paddedHeight: Math.ceil(h / ALIGN) * ALIGN,
  };
}

/**
 * The network input for already-resized pixels: float32 BGR in 0..255 (no mean, no scaling),
 * NCHW, zero outside the picture. Grey is replicated; alpha is ignored.
 */
export function yunetTensor(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: number,
  paddedWidth: number,
  paddedHeight: number,
): Float32Array {
  if (paddedWidth < width || paddedHeight < height) throw new RangeError('yunetTensor: padded size below picture size');
  if (pixels.length < width * height * channels) throw new RangeError('yunetTensor: pixel buffer too short');
  const plane = paddedWidth * paddedHeight;
  const out = new Float32Array(3 * plane);
  const grey = channels < 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * channels;
      const o = y * paddedWidth + x;
      const r = pixels[p]!;
      out[o] = grey ? r : pixels[p + 2]!; // B
      out[plane + o] = grey ? r : pixels[p + 1]!; // G
      out[2 * plane + o] = r; // R
    }
  }
  return out;
}

function head(outputs: Record<string, Float32Array>, name: string, length: number): Float32Array {
  const tensor = outputs[name];
  if (!tensor) throw new Error(`YuNet output ${name} is missing`);
  if (tensor.length < length) throw new Error(`YuNet output ${name} has ${tensor.length} values, expected ${length}`);
  return tensor;
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Intersection over union of two boxes. */
export function boxIou(a: YunetBox, b: YunetBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/**
 * Faces from YuNet's outputs (`cls_8` … `kps_32`, batch 1), in network-input pixels, best first.
 * Anchors under the score threshold are skipped; the rest are sorted, cut to top-k and
 * de-duplicated by greedy NMS.
 */
export function decodeYunet(
  outputs: Record<string, Float32Array>,
  paddedWidth: number,
  paddedHeight: number,
  opts: YunetDecodeOptions,
): FaceDetection[] {
  const nmsThreshold = opts.nmsThreshold ?? 0.3;
  const topK = opts.topK ?? 5000;
  const candidates: FaceDetection[] = [];
  for (const s of YUNET_STRIDES) {
    const cols = Math.floor(paddedWidth / s);
    const rows = Math.floor(paddedHeight / s);
    const n = cols * rows;
    const cls = head(outputs, `cls_${s}`, n);
    const obj = head(outputs, `obj_${s}`, n);
    const bbox = head(outputs, `bbox_${s}`, n * 4);
    const kps = head(outputs, `kps_${s}`, n * 10);
    for (let i = 0; i < n; i++) {
      const score = Math.sqrt(clamp01(cls[i]!) * clamp01(obj[i]!));
      if (!(score >= opts.scoreThreshold)) continue;
      const row = Math.floor(i / cols);
      const col = i - row * cols;
      const cx = (col + bbox[i * 4]!) * s;
      const cy = (row + bbox[i * 4 + 1]!) * s;
      const w = Math.exp(bbox[i * 4 + 2]!) * s;
      const h = Math.exp(bbox[i * 4 + 3]!) * s;
      const landmarks: [number, number][] = [];
      for (let k = 0; k < 5; k++) landmarks.push([(col + kps[i * 10 + 2 * k]!) * s, (row + kps[i * 10 + 2 * k + 1]!) * s]);
      candidates.push({ box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, landmarks, score });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  const kept: FaceDetection[] = [];
  for (const candidate of candidates.slice(0, topK)) {
    if (kept.every((k) => boxIou(k.box, candidate.box) <= nmsThreshold)) kept.push(candidate);
  }
  return kept;
}

/** Maps a detection from network-input pixels back to the source picture (divides by `scale`). */
export function scaleDetection(face: FaceDetection, scale: number): FaceDetection {
  const f = 1 / scale;
  return {
    box: { x: face.box.x * f, y: face.box.y * f, width: face.box.width * f, height: face.box.height * f },
    landmarks: face.landmarks.map(([x, y]) => [x * f, y * f]),
    score: face.score,
  };
}
