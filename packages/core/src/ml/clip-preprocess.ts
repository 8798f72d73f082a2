// CLIP's image preprocessing as OpenAI's code runs it: torchvision Resize(224, BICUBIC) on a PIL
// image, CenterCrop(224), convert('RGB'), ToTensor, Normalize. The resize reproduces Pillow 9.4's
// ImagingResample bit for bit (fixed-point separable bicubic, horizontal pass first) including
// its premultiplied-alpha round trip, so the crop equals Pillow's byte for byte.
//
// Pillow resizes palette ("P") and bilevel images with NEAREST and ignores a tRNS colour key;
// a caller that hands over decoded RGB(A) pixels gets the RGB(A) result instead.

export interface RawImage {
  /** Row-major interleaved 8-bit samples, as sharp's `.raw()` gives them. */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
}

export const CLIP_IMAGE_SIZE = 224;
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

const PRECISION_BITS = 32 - 8 - 2;

function checkImage({ data, width, height, channels }: RawImage): void {
  if (!(width >= 1 && height >= 1) || ![1, 2, 3, 4].includes(channels) || data.length < width * height * channels) {
    throw new RangeError(`not a ${width}×${height}×${channels} 8-bit image`);
  }
}
const BICUBIC_SUPPORT = 2;

/** Pillow's bicubic kernel with a = -0.5, evaluated in the same order as Resample.c. */
function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

interface Coefficients {
  ksize: number;
  /** Per output sample: first input sample and the number of them used. */
  bounds: Int32Array;
  /** Fixed-point weights, `ksize` per output sample (normalize_coeffs_8bpc). */
  weights: Int32Array;
}

/** precompute_coeffs + normalize_coeffs_8bpc for the whole input range (box = 0..inSize). */
function coefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = BICUBIC_SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x]! / ww : k[x]!;
      weights[xx * ksize + x] = Math.trunc(w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

/** clip8: the accumulator (rounding bias included) shifted down and clamped to 0..255. */
function clip8(ss: number): number {
  const v = ss >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

const ROUNDING = 1 << (PRECISION_BITS - 1);

/** ImagingResampleHorizontal_8bpc over the source rows first..first+rows-1. */
function resampleHorizontal(src: RawImage, outWidth: number, first: number, rows: number): Uint8Array {
  const { data, width, channels: c } = src;
  const { ksize, bounds, weights } = coefficients(width, outWidth);
  const out = new Uint8Array(outWidth * rows * c);
  for (let yy = 0; yy < rows; yy++) {
    const rowIn = (yy + first) * width * c;
    const rowOut = yy * outWidth * c;
    for (let xx = 0; xx < outWidth; xx++) {
      const xmin = bounds[xx * 2]!;
      const xmax = bounds[xx * 2 + 1]!;
      const k = xx * ksize;
      const o = rowOut + xx * c;
      if (c === 3) {
        // All channels in one sweep over the taps: the hot loop for photos.
        let s0 = ROUNDING, s1 = ROUNDING, s2 = ROUNDING;
        for (let x = 0, p = rowIn + xmin * 3; x < xmax; x++, p += 3) {
          const w = weights[k + x]!;
          s0 += data[p]! * w;
          s1 += data[p + 1]! * w;
          s2 += data[p + 2]! * w;
        }
        out[o] = clip8(s0);
        out[o + 1] = clip8(s1);
        out[o + 2] = clip8(s2);
        continue;
      }
      if (c === 4) {
        let s0 = ROUNDING, s1 = ROUNDING, s2 = ROUNDING, s3 = ROUNDING;
        for (let x = 0, p = rowIn + xmin * 4; x < xmax; x++, p += 4) {
          const w = weights[k + x]!;
          s0 += data[p]! * w;
          s1 += data[p + 1]! * w;
          s2 += data[p + 2]! * w;
          s3 += data[p + 3]! * w;
        }
        out[o] = clip8(s0);
        out[o + 1] = clip8(s1);
        out[o + 2] = clip8(s2);
        out[o + 3] = clip8(s3);
        continue;
      }
      for (let ch = 0; ch < c; ch++) {
        let ss = ROUNDING;
        let p = rowIn + xmin * c + ch;
        for (let x = 0; x < xmax; x++, p += c) ss += data[p]! * weights[k + x]!;
        out[o + ch] = clip8(ss);
      }
    }
  }
  return out;
}

/** ImagingResampleVertical_8bpc; `bounds` are relative to the first row `src` holds. */
function resampleVertical(
  data: Uint8Array | Uint8ClampedArray,
  width: number,
  c: number,
  outHeight: number,
  coeffs: Coefficients,
  shift: number,
): Uint8Array {
  const { ksize, bounds, weights } = coeffs;
  const stride = width * c;
  const out = new Uint8Array(stride * outHeight);
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = bounds[yy * 2]! - shift;
    const ymax = bounds[yy * 2 + 1]!;
    const k = yy * ksize;
    for (let i = 0; i < stride; i++) {
      let ss = ROUNDING;
      let p = ymin * stride + i;
      for (let y = 0; y < ymax; y++, p += stride) ss += data[p]! * weights[k + y]!;
      out[yy * stride + i] = clip8(ss);
    }
  }
  return out;
}

/** Convert RGBA → RGBa (or LA → La): MULDIV255 of each colour sample by its alpha. */
function premultiply(image: RawImage): RawImage {
  const { data, channels: c } = image;
  const out = new Uint8Array(data.length);
  for (let p = 0; p < data.length; p += c) {
    const alpha = data[p + c - 1]!;
    for (let ch = 0; ch < c - 1; ch++) {
      const t = data[p + ch]! * alpha + 128;
      out[p + ch] = ((t >> 8) + t) >> 8;
    }
    out[p + c - 1] = alpha;
  }
  return { ...image, data: out };
}

/** Convert RGBa → RGBA (or La → LA): integer division by alpha, left alone at 0 and 255. */
function unpremultiply(data: Uint8Array, c: number): void {
  for (let p = 0; p < data.length; p += c) {
    const alpha = data[p + c - 1]!;
    if (alpha === 0 || alpha === 255) continue;
    for (let ch = 0; ch < c - 1; ch++) data[p + ch] = Math.min(255, Math.floor((255 * data[p + ch]!) / alpha));
  }
}

/**
 * Pillow's `Image.resize(size, BICUBIC)` on an L, LA, RGB or RGBA image: the same size is a
 * copy, LA/RGBA go through premultiplied alpha, and only the rows the vertical pass needs are
 * resampled horizontally.
 */
export function pillowResizeBicubic(image: RawImage, outWidth: number, outHeight: number): RawImage {
  checkImage(image);
  if (!(outWidth >= 1 && outHeight >= 1)) throw new RangeError('pillowResizeBicubic: output size must be positive');
  const { width, height, channels: c } = image;
  if (width === outWidth && height === outHeight) return { ...image, data: Uint8Array.from(image.data) };
  const hasAlpha = c === 2 || c === 4;
  const src = hasAlpha ? premultiply(image) : image;
  const vertical = coefficients(height, outHeight);
  let data: Uint8Array | Uint8ClampedArray = src.data;
  let shift = 0;
  if (outWidth !== width) {
    const first = vertical.bounds[0]!;
    const last = vertical.bounds[outHeight * 2 - 2]! + vertical.bounds[outHeight * 2 - 1]!;
    data = resampleHorizontal(src, outWidth, first, last - first);
    shift = first;
  }
  const out = outHeight !== height ? resampleVertical(data, outWidth, c, outHeight, vertical, shift) : Uint8Array.from(data);
  if (hasAlpha) unpremultiply(out, c);
  return { data: out, width: outWidth, height: outHeight, channels: c };
}

/** torchvision Resize(size) on (width, height): the short side becomes `size`, the long one is truncated. */
export function clipResizedSize(width: number, height: number, size = CLIP_IMAGE_SIZE): { width: number; height: number } {
  if (width <= height) return { width: size, height: Math.trunc((size * height) / width) };
  return { width: Math.trunc((size * width) / height), height: size };
}

/** Python's round() on x.0 or x.5: half to even. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The 224×224 RGB crop CLIP's transform sees, as interleaved uint8 (Resize, CenterCrop and
 * convert('RGB'); alpha is dropped after the resize, not composited).
 */
export function clipImageCrop(image: RawImage, size = CLIP_IMAGE_SIZE): Uint8Array {
  checkImage(image);
  const { width: rw, height: rh } = clipResizedSize(image.width, image.height, size);
  // torchvision returns the image untouched when its short side already has the size.
  const resized = Math.min(image.width, image.height) === size ? image : pillowResizeBicubic(image, rw, rh);
  const top = roundHalfEven((resized.height - size) / 2);
  const left = roundHalfEven((resized.width - size) / 2);
  const c = resized.channels;
  const grey = c < 3;
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    let p = ((y + top) * resized.width + left) * c;
    let o = y * size * 3;
    for (let x = 0; x < size; x++, p += c, o += 3) {
      out[o] = resized.data[p]!;
      out[o + 1] = resized.data[grey ? p : p + 1]!;
      out[o + 2] = resized.data[grey ? p : p + 2]!;
    }
  }
  return out;
}

/**
 * ToTensor + Normalize over an interleaved RGB crop: a 1×3×size×size NCHW float32 tensor, with
 * every step rounded to float32 as PyTorch computes it.
 */
export function clipNormalize(crop: Uint8Array, size = CLIP_IMAGE_SIZE): Float32Array {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let ch = 0; ch < 3; ch++) {
    const mean = Math.fround(CLIP_MEAN[ch]!);
    const std = Math.fround(CLIP_STD[ch]!);
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = Math.fround(Math.fround(Math.fround(v / 255) - mean) / std);
    for (let i = 0; i < plane; i++) out[ch * plane + i] = lut[crop[i * 3 + ch]!]!;
  }
  return out;
}

/** The CLIP image encoder's input for a decoded picture (apply EXIF orientation first). */
export function clipImageTensor(image: RawImage): Float32Array {
  return clipNormalize(clipImageCrop(image));
}
