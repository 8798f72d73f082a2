// Tiny stand-ins for the CLIP ViT-B/32 ONNX pair, with the manifest's exact input and output names,
// types and shapes, small enough to generate in tests. They are meaningful: an image embeds as its
// mean CLIP-normalised colour, a colour word as that colour, both projected to 512-d by the same
// matrix, so "red" ranks a red photo above a blue one.
// Script: node resources/models/generate-test-models.ts <outDir> [baseUrl]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { findModel, ModelManifest, type ModelEntry, type ModelTensor } from '../../packages/core/src/ml/model-manifest.ts';
import { encodeModel, type ValueInfo } from './onnx-writer.ts';

export const VISION_ID = 'clip-vit-b32-vision';
export const TEXT_ID = 'clip-vit-b32-text';
export const REAL_MANIFEST_PATH = path.join(import.meta.dirname, 'manifest.json');

type Rgb = readonly [number, number, number];

/**
 * Colour words, their ids in the CLIP BPE vocabulary (`<word></w>`; asserted against the vocabulary
 * file by the tests, see clipTokenIds) and the pure colour each one means.
 */
export const COLOUR_WORDS: Readonly<Record<string, { token: number; rgb: Rgb }>> = {
  red: { token: 736, rgb: [255, 0, 0] },
  green: { token: 1901, rgb: [0, 255, 0] },
  blue: { token: 1746, rgb: [0, 0, 255] },
  white: { token: 1579, rgb: [255, 255, 255] },
  black: { token: 1449, rgb: [0, 0, 0] },
  yellow: { token: 4481, rgb: [255, 255, 0] },
  orange: { token: 4287, rgb: [255, 165, 0] },
  purple: { token: 5496, rgb: [128, 0, 128] },
  pink: { token: 3360, rgb: [255, 192, 203] },
  brown: { token: 2866, rgb: [150, 75, 0] },
};

export interface GeneratedModel {
  id: string;
  /** The file name, as in the manifest. */
  name: string;
  /** `<outDir>/<model id>/<file name>`: outDir can be used as a models directory or served as a mirror. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface GeneratedClipModels {
  vision: GeneratedModel;
  text: GeneratedModel;
}

/** Ids of whole words (`word</w>`) in the CLIP vocabulary, built as OpenAI's simple_tokenizer does. */
export function clipTokenIds(vocabGzPath: string, words: readonly string[]): Map<string, number> {
  const lines = zlib.gunzipSync(fs.readFileSync(vocabGzPath)).toString('utf8').split('\n');
  const merges = lines.slice(1, 49152 - 256 - 2 + 1).map((l) => l.split(' ').join(''));
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  for (let b = 0, n = 0; b < 256; b++) {
    if (bs.includes(b)) continue;
    bs.push(b);
    cs.push(256 + n++);
  }
  const bytes = cs.map((c) => String.fromCodePoint(c));
  const vocab = [...bytes, ...bytes.map((v) => `${v}</w>`), ...merges, '<|startoftext|>', '<|endoftext|>'];
  const ids = new Map<string, number>();
  vocab.forEach((token, id) => ids.set(token, id)); // the last occurrence wins, as in Python's dict()
  return new Map(words.map((w) => [w, ids.get(`${w}</w>`) ?? -1]));
}

/** A pure colour's pixels after the vision model's preprocessing (x * scale - mean) / std, per channel. */
export function normalisedColour(rgb: Rgb, vision: ModelEntry): [number, number, number] {
  const { scale = 1 / 255, mean = [0, 0, 0], std = [1, 1, 1] } = vision.preprocessing;
  return [0, 1, 2].map((c) => (rgb[c]! * scale - mean[c]!) / std[c]!) as [number, number, number];
}

/** Deterministic [3, dims] projection with orthonormal rows, so 3-d cosines survive exactly in dims-d. */
export function projection(dims: number, seed = 0x5eed): Float32Array {
  let s = seed >>> 0;
  const random = (): number => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const rows = [0, 1, 2].map(() => Float64Array.from({ length: dims }, random));
  rows.forEach((row, i) => {
    for (let j = 0; j < i; j++) {
      const prev = rows[j]!;
      const dot = row.reduce((a, v, k) => a + v * prev[k]!, 0);
      row.forEach((v, k) => (row[k] = v - dot * prev[k]!));
    }
    const norm = Math.hypot(...row);
    row.forEach((v, k) => (row[k] = v / norm));
  });
  const out = new Float32Array(3 * dims);
  rows.forEach((row, i) => out.set(row, i * dims));
  return out;
}

function entryOf(manifest: ModelManifest, id: string): ModelEntry {
  const model = findModel(manifest, id);
  if (!model) throw new Error(`the manifest has no ${id}`);
  if (model.files.length !== 1) throw new Error(`${id}: expected one file, the manifest lists ${model.files.length}`);
  return model;
}

function embeddingDims(model: ModelEntry): number {
  const last = model.outputs[0]?.shape.at(-1);
  const dims = model.dims ?? (typeof last === 'number' ? last : undefined);
  if (!dims) throw new Error(`${model.id}: no embedding size`);
  return dims;
}

const valueInfo = (t: ModelTensor): ValueInfo => ({ name: t.name, type: t.type, shape: t.shape });

function visionGraph(model: ModelEntry, P: Float32Array, dims: number): Uint8Array {
  const [pixels, ...extra] = model.inputs;
  const [embeds] = model.outputs;
  if (!pixels || pixels.type !== 'float32' || pixels.shape.length !== 4 || pixels.shape[1] !== 3 || extra.length || !embeds) {
    throw new Error(`${model.id}: expected one float32 [batch,3,H,W] input and an embedding output`);
  }
  return encodeModel({
    graphName: 'shoebox_test_clip_vision',
    docString: 'Shoebox test model: image_embeds = mean CLIP-normalised RGB x P (not the real CLIP).',
    inputs: [valueInfo(pixels)],
    outputs: [valueInfo(embeds)],
    initializers: [{ name: 'projection', type: 'float32', dims: [3, dims], data: P }],
    nodes: [
      { op: 'ReduceMean', inputs: [pixels.name], outputs: ['mean_rgb'], attributes: { axes: [2, 3], keepdims: 0 } },
      { op: 'MatMul', inputs: ['mean_rgb', 'projection'], outputs: [embeds.name] },
    ],
  });
}

function textGraph(text: ModelEntry, vision: ModelEntry, P: Float32Array, dims: number): Uint8Array {
  const [ids, ...unused] = text.inputs;
  const [embeds] = text.outputs;
  if (!ids || (ids.type !== 'int64' && ids.type !== 'int32') || ids.shape.length !== 2 || !embeds) {
    throw new Error(`${text.id}: expected an integer [batch,context] input_ids and an embedding output`);
  }
  const vocabularySize = text.preprocessing.vocabularySize ?? 49408;
  const table = new Float32Array(vocabularySize * 3);
  for (const { token, rgb } of Object.values(COLOUR_WORDS)) {
    const v = normalisedColour(rgb, vision);
    const norm = Math.hypot(...v);
    table.set(v.map((x) => x / norm), token * 3);
  }
  return encodeModel({
    graphName: 'shoebox_test_clip_text',
    docString: 'Shoebox test model: text_embeds = sum of per-token colour vectors x P (not the real CLIP).',
    // Inputs beyond input_ids (an attention mask, if a manifest declares one) are accepted, unused.
    inputs: [ids, ...unused].map(valueInfo),
    outputs: [valueInfo(embeds)],
    initializers: [
      { name: 'token_colours', type: 'float32', dims: [vocabularySize, 3], data: table },
      { name: 'sequence_axis', type: 'int64', dims: [1], data: BigInt64Array.of(1n) },
      { name: 'projection', type: 'float32', dims: [3, dims], data: P },
    ],
    nodes: [
      { op: 'Gather', inputs: ['token_colours', ids.name], outputs: ['token_vectors'], attributes: { axis: 0 } },
      { op: 'ReduceSum', inputs: ['token_vectors', 'sequence_axis'], outputs: ['text_rgb'], attributes: { keepdims: 0 } },
      { op: 'MatMul', inputs: ['text_rgb', 'projection'], outputs: [embeds.name] },
    ],
  });
}

function write(outDir: string, model: ModelEntry, bytes: Uint8Array): GeneratedModel {
  const name = model.files[0]!.name;
  const file = path.join(outDir, model.id, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return { id: model.id, name, path: file, bytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
}

/** Writes the two test models to `<outDir>/<model id>/<file name>` and returns what was written. */
export function generateTestClipModels(outDir: string, manifest: ModelManifest): GeneratedClipModels {
  const vision = entryOf(manifest, VISION_ID);
  const text = entryOf(manifest, TEXT_ID);
  const dims = embeddingDims(vision);
  if (embeddingDims(text) !== dims) throw new Error('the CLIP image and text embeddings differ in size');
  const P = projection(dims);
  return {
    vision: write(outDir, vision, visionGraph(vision, P, dims)),
    text: write(outDir, text, textGraph(text, vision, P, dims)),
  };
}

/**
 * Writes a copy of the real manifest whose two CLIP entries point at the generated files, served as
 * `<baseUrl>/<model id>/<file name>`. Returns the manifest written.
 */
export function writeTestManifest(manifestPath: string, baseUrl: string, generated: GeneratedClipModels): ModelManifest {
  const manifest = ModelManifest.parse(JSON.parse(fs.readFileSync(REAL_MANIFEST_PATH, 'utf8')));
  const base = baseUrl.replace(/\/+$/, '');
  for (const g of [generated.vision, generated.text]) {
    const model = entryOf(manifest, g.id);
    model.note = 'Test model generated by resources/models/generate-test-models.ts (same signature as the real one).';
    model.files = [{ name: g.name, url: `${base}/${g.id}/${g.name}`, sha256: g.sha256, bytes: g.bytes }];
  }
  const checked = ModelManifest.parse(manifest);
  fs.mkdirSync(path.dirname(manifestPath), { recursive: true });
  fs.writeFileSync(manifestPath, `${JSON.stringify(checked, null, 2)}\n`);
  return checked;
}

if (import.meta.main) {
  const [outDir, baseUrl] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: node resources/models/generate-test-models.ts <outDir> [baseUrl]');
    process.exit(2);
  }
  const manifest = ModelManifest.parse(JSON.parse(fs.readFileSync(REAL_MANIFEST_PATH, 'utf8')));
  const generated = generateTestClipModels(path.resolve(outDir), manifest);
  if (baseUrl) writeTestManifest(path.join(path.resolve(outDir), 'manifest.json'), baseUrl, generated);
  console.log(JSON.stringify(generated, null, 2));
}
