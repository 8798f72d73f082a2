// The face pipeline on the corpus photos. Ours: the engine's faces jobs end to end (queue, ML
// worker, preview decode, YuNet with its second pass for groups, alignment, MobileFaceNet on the
// face and its mirror image, cropped pictures, catalog writes, clustering). Reference: the bare
// detector and embedder sessions in this process on the same previews, fed by the least code that
// can (sharp decodes straight to the detector size; faces cropped by sharp), with the same session
// runs. Also the ML worker's peak memory with both face models loaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { pino } from 'pino';
import sharp from 'sharp';
import { decodeYunet, faceEmbeddingInput, yunetInputSize, yunetTensor } from '@shoebox/core';
import { Engine } from '../src/engine/engine.ts';
import { CORPUS, round, shoeboxArgs, timed } from './bench-utils.ts';

const MODELS = path.resolve(CORPUS, '..', 'models');
const THREADS = Math.max(1, Math.min(4, os.availableParallelism()));

async function session(file: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(file, { graphOptimizationLevel: 'all', intraOpNumThreads: THREADS, interOpNumThreads: 1 });
}

/** The bare sessions over the previews, with the pipeline's session runs (second pass, mirror embedding). */
async function reference(previews: string[]): Promise<{ ms: number; faces: number }> {
  const detector = await session(path.join(MODELS, 'yunet', 'face_detection_yunet_dynamic.onnx'));
  const embedder = await session(path.join(MODELS, 'mobilefacenet', 'mobilefacenet.onnx'));
  let faces = 0;
  const t0 = performance.now();
  for (const file of previews) {
    const meta = await sharp(file).metadata();
    const long = Math.max(meta.width ?? 0, meta.height ?? 0);
    const detect = async (maxSide: number) => {
      const size = yunetInputSize(meta.width ?? 1, meta.height ?? 1, maxSide);
      const px = await sharp(file).removeAlpha().resize(size.width, size.height, { fit: 'fill' }).raw().toBuffer();
      const out = await detector.run({ input: new ort.Tensor('float32', yunetTensor(px, size.width, size.height, 3, size.paddedWidth, size.paddedHeight), [1, 3, size.paddedHeight, size.paddedWidth]) });
      const outputs = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
      return { found: decodeYunet(outputs, size.paddedWidth, size.paddedHeight, { scoreThreshold: 0.75 }), scale: size.scale };
    };
    let { found, scale } = await detect(640);
    const small = found.some((f) => Math.min(f.box.width, f.box.height) < 40);
    if (long > 800 && (found.length >= 2 || small)) ({ found, scale } = await detect(1280));
    for (const f of found) {
      const left = Math.max(0, Math.floor(f.box.x / scale));
      const top = Math.max(0, Math.floor(f.box.y / scale));
      const width = Math.max(1, Math.min((meta.width ?? 1) - left, Math.ceil(f.box.width / scale)));
      const height = Math.max(1, Math.min((meta.height ?? 1) - top, Math.ceil(f.box.height / scale)));
      const crop = await sharp(file).removeAlpha().extract({ left, top, width, height }).resize(112, 112, { fit: 'fill' }).raw().toBuffer();
      for (const flip of [false, true]) await embedder.run({ input0: new ort.Tensor('float32', faceEmbeddingInput(crop, flip), [1, 3, 112, 112]) });
      faces++;
    }
  }
  const ms = performance.now() - t0;
  await detector.release();
  await embedder.release();
  return { ms, faces };
}

export async function facesBench(): Promise<Record<string, unknown>> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-faces-'));
  try {
    // Previews first, with ML off, so the timed part is the face pipeline alone.
    await timed(process.execPath, shoeboxArgs(data, 'ml', 'off'));
    await timed(process.execPath, shoeboxArgs(data, 'add', CORPUS));
    await timed(process.execPath, shoeboxArgs(data, 'scan', '--wait'));
    const engine = new Engine({ dataDir: data, mode: 'headless', log: pino({ level: 'silent' }), modelsDir: MODELS });
    const { sqlite } = engine.catalog;
    engine.mlControl.updateSettings({ enabled: true, smartSearch: false });
    // Load the models before the clock starts, as a running app has them.
    await engine.ml.memory();
    const warm = sqlite.prepare(`SELECT d.preview_path FROM derivatives d WHERE d.preview_path IS NOT NULL LIMIT 1`).pluck().get() as string;
    await engine.ml.faces(path.join(data, warm), path.join(os.tmpdir(), `shoebox-bench-warm-${process.pid}`), { minScore: 0.75, minFaceSize: 20 });
    const t0 = performance.now();
    engine.startJobs();
    await engine.whenIdle();
    const oursMs = performance.now() - t0;
    const photos = sqlite.prepare(`SELECT count(*) FROM ml_state WHERE task = 'faces' AND error IS NULL`).pluck().get() as number;
    const faces = sqlite.prepare(`SELECT count(*) FROM faces`).pluck().get() as number;
    const people = sqlite.prepare(`SELECT count(*) FROM people`).pluck().get() as number;
    const memory = await engine.ml.memory();
    const previews = (sqlite.prepare(`SELECT d.preview_path FROM ml_state m JOIN derivatives d ON d.asset_id = m.asset_id
      WHERE m.task = 'faces' AND m.error IS NULL`).pluck().all() as string[]).map((rel) => path.join(data, rel));
    await engine.close();
    const ref = await reference(previews);
    const ours = photos / (oursMs / 1000);
    const bare = previews.length / (ref.ms / 1000);
    return {
      photos,
      faces,
      people,
      oursPhotosPerSecond: round(ours, 1),
      bareSessionsPhotosPerSecond: round(bare, 1),
      ratio: round(ours / bare, 2),
      target: 0.8,
      referenceFaces: ref.faces,
      mlWorkerPeakRssMiB: round(memory.peakRssBytes / 2 ** 20, 1),
      mlWorkerRssMiB: round(memory.rssBytes / 2 ** 20, 1),
      modelsLoaded: memory.loaded,
      threads: THREADS,
    };
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
}
