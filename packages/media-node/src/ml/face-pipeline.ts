// Faces in one picture: YuNet detection (a second, larger pass when the first finds a group or
// small faces), 5-point alignment to the ArcFace template, MobileFaceNet embeddings and a cropped
// picture of each face. Runs in the ML worker.
import fs from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import {
  boxIou, decodeYunet, faceEmbeddingInput, l2Normalize, similarityTransform, warpAffine, yunetInputSize, yunetTensor,
  type FaceDetection,
} from '@shoebox/core';
import type { SessionCache } from './ml-sessions.ts';
import { FACE_DETECTOR, FACE_EMBEDDER } from './ml-models.ts';
import type { FacesResult, FoundFace } from './ml.protocol.ts';

/** The first pass: YuNet's training targets faces of 10–300 px at this size. */
const FIRST_PASS = 640;
/** The second pass, for group photos and small faces. */
const SECOND_PASS = 1280;
/** A face smaller than this at the first pass's scale suggests others were too small to find. */
const SMALL_AT_FIRST_PASS = 40;
const CROP_SIZE = 160;
const NMS_IOU = 0.3;

interface Rgb {
  data: Buffer;
  width: number;
  height: number;
}

interface Found extends FaceDetection {
  /** The detection in picture pixels. */
  pass: number;
}

async function detectAt(image: Rgb, maxSide: number, session: ort.InferenceSession, minScore: number, pass: number): Promise<Found[]> {
  const size = yunetInputSize(image.width, image.height, maxSide);
  const pixels = size.scale === 1
    ? image.data
    : await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .resize(size.width, size.height, { fit: 'fill' })
      .raw()
      .toBuffer();
  const tensor = yunetTensor(pixels, size.width, size.height, 3, size.paddedWidth, size.paddedHeight);
  const inputName = session.inputNames[0] ?? 'input';
  const out = await session.run({ [inputName]: new ort.Tensor('float32', tensor, [1, 3, size.paddedHeight, size.paddedWidth]) });
  const outputs: Record<string, Float32Array> = {};
  for (const [name, value] of Object.entries(out)) outputs[name] = value.data as Float32Array;
  const back = 1 / size.scale;
  return decodeYunet(outputs, size.paddedWidth, size.paddedHeight, { scoreThreshold: minScore }).map((d) => ({
    score: d.score,
    box: { x: d.box.x * back, y: d.box.y * back, width: d.box.width * back, height: d.box.height * back },
    landmarks: d.landmarks.map(([x, y]) => [x * back, y * back] as [number, number]),
    pass,
  }));
}

/** The faces of both passes, overlapping ones merged (the more confident detection wins). */
function merge(first: Found[], second: Found[]): Found[] {
  const all = [...second, ...first].sort((a, b) => b.score - a.score);
  const kept: Found[] = [];
  for (const f of all) if (!kept.some((k) => boxIou(k.box, f.box) > NMS_IOU)) kept.push(f);
  return kept;
}

export async function detectFaces(image: Rgb, sessions: SessionCache, minScore: number): Promise<{ faces: Found[]; passes: FacesResult['passes'] }> {
  const { session } = await sessions.get(FACE_DETECTOR);
  const long = Math.max(image.width, image.height);
  const first = await detectAt(image, FIRST_PASS, session, minScore, 1);
  const passes = [sizeOf(image, FIRST_PASS)];
  const firstScale = Math.min(1, FIRST_PASS / long);
  const small = first.some((f) => Math.min(f.box.width, f.box.height) * firstScale < SMALL_AT_FIRST_PASS);
  if (long > FIRST_PASS * 1.25 && (first.length >= 2 || small)) {
    const second = await detectAt(image, SECOND_PASS, session, minScore, 2);
    passes.push(sizeOf(image, SECOND_PASS));
    return { faces: merge(first, second), passes };
  }
  return { faces: first, passes };
}

function sizeOf(image: Rgb, maxSide: number): { width: number; height: number } {
  const s = yunetInputSize(image.width, image.height, maxSide);
  return { width: s.paddedWidth, height: s.paddedHeight };
}

export async function embedFace(image: Rgb, landmarks: [number, number][], sessions: SessionCache): Promise<Float32Array> {
  const { session } = await sessions.get(FACE_EMBEDDER);
  const matrix = similarityTransform(landmarks);
  const crop = warpAffine({ data: image.data, width: image.width, height: image.height, channels: 3 }, matrix, 112, 112);
  const inputName = session.inputNames[0] ?? 'input0';
  const outputName = session.outputNames[0] ?? 'output0';
  // The embedding of the face plus that of its mirror image (foamliu's evaluation does the same):
  // steadier across poses, at the cost of a second run of a 3 ms model.
  const sum = new Float32Array(128);
  for (const flip of [false, true]) {
    const out = await session.run({ [inputName]: new ort.Tensor('float32', faceEmbeddingInput(crop, flip), [1, 3, 112, 112]) });
    const value = out[outputName];
    if (!value) throw new Error(`the face embedder gave no ${outputName}`);
    const data = value.data as Float32Array;
    for (let i = 0; i < sum.length; i++) sum[i]! += data[i]!;
  }
  return l2Normalize(sum);
}

/** A square around the face with some margin, kept inside the picture. */
function cropRect(image: Rgb, box: FaceDetection['box']): { left: number; top: number; width: number; height: number } {
  const side = Math.min(Math.round(Math.max(box.width, box.height) * 1.6), image.width, image.height);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const left = Math.round(Math.min(Math.max(0, cx - side / 2), image.width - side));
  const top = Math.round(Math.min(Math.max(0, cy - side / 2), image.height - side));
  return { left, top, width: Math.max(1, side), height: Math.max(1, side) };
}

async function writeCrop(image: Rgb, box: FaceDetection['box'], file: string): Promise<string | null> {
  try {
    await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .extract(cropRect(image, box))
      .resize(CROP_SIZE, CROP_SIZE)
      .webp({ quality: 82 })
      .toFile(file);
    return file;
  } catch {
    return null;
  }
}

/** Removes the crops an earlier run wrote for this picture. */
async function clearCrops(cropBase: string): Promise<void> {
  const dir = path.dirname(cropBase);
  const prefix = `${path.basename(cropBase)}.`;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => fs.rm(path.join(dir, n), { force: true })));
}

export async function decodeForMl(file: string): Promise<Rgb> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export async function findFaces(
  file: string,
  cropBase: string,
  sessions: SessionCache,
  opts: { minScore: number; minFaceSize: number },
): Promise<Omit<FacesResult, 'loaded'>> {
  const image = await decodeForMl(file);
  const { faces, passes } = await detectFaces(image, sessions, opts.minScore);
  const kept = faces
    .filter((f) => Math.min(f.box.width, f.box.height) >= opts.minFaceSize)
    .sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
  await fs.mkdir(path.dirname(cropBase), { recursive: true });
  await clearCrops(cropBase);
  const found: FoundFace[] = [];
  for (const [i, f] of kept.entries()) {
    const embedding = await embedFace(image, f.landmarks, sessions);
    const crop = await writeCrop(image, f.box, `${cropBase}.${i}.webp`);
    const clamp = (v: number): number => Math.min(1, Math.max(0, v));
    const x = clamp(f.box.x / image.width);
    const y = clamp(f.box.y / image.height);
    found.push({
      box: { x, y, width: clamp((f.box.x + f.box.width) / image.width) - x, height: clamp((f.box.y + f.box.height) / image.height) - y },
      landmarks: f.landmarks.map(([lx, ly]) => [lx / image.width, ly / image.height] as [number, number]),
      score: f.score,
      embedding,
      crop,
    });
  }
  return { width: image.width, height: image.height, passes, faces: found };
}
