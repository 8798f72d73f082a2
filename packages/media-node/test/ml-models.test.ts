// The model manifest, the generated test CLIP models, the model store (status, verification) and the
// downloader (resume, corruption, errors, sharing), against a local HTTP server with injected faults.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clipTokenIds,
  COLOUR_WORDS,
  generateTestClipModels,
  normalisedColour,
  REAL_MANIFEST_PATH,
  TEXT_ID,
  VISION_ID,
  writeTestManifest,
  type GeneratedClipModels,
} from '../../../resources/models/generate-test-models.ts';
import { downloadModel, type DownloadProgress } from '../src/ml/model-download.ts';
import { parseModelEnv } from '../src/ml/model-env.ts';
import { ModelStore, readManifest } from '../src/ml/model-store.ts';
import { startModelServer, type ModelServer } from '../src/testing/model-server.ts';

const SHARED_MODELS = path.resolve(import.meta.dirname, '../../../../shared/models');
const VOCAB = path.join(SHARED_MODELS, 'clip-tokenizer', 'bpe_simple_vocab_16e6.txt.gz');
const real = readManifest(REAL_MANIFEST_PATH);
const vision = real.models.find((m) => m.id === VISION_ID)!;
const text = real.models.find((m) => m.id === TEXT_ID)!;

let tmp: string;
let served: string;
let generated: GeneratedClipModels;
let server: ModelServer;
let testManifest: string;
let dirs = 0;

const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const urlPath = (id: string, name: string): string => `/${id}/${name}`;
/** A store on a fresh models folder, configured the way the engine does: through SHOEBOX_MODELS_*. */
function freshStore(extra: Record<string, string> = {}): ModelStore {
  const modelsDir = path.join(tmp, `models-${++dirs}`);
  return new ModelStore({ env: parseModelEnv({ SHOEBOX_MODELS_DIR: modelsDir, SHOEBOX_MODELS_MANIFEST: testManifest, ...extra }) });
}
const gets = (p: string): number => server.requests.filter((r) => r.path === p).length;
/** Waits until the download has stored `bytes` bytes in its `.part`, then cuts the connection. */
async function cutWhenStored(file: string, bytes: number): Promise<void> {
  const size = (): number => (fs.existsSync(`${file}.part`) ? fs.statSync(`${file}.part`).size : 0);
  for (const started = Date.now(); size() < bytes; ) {
    if (Date.now() - started > 20_000) throw new Error(`the .part never reached ${bytes} bytes`);
    await new Promise((r) => setTimeout(r, 10));
  }
  server.dropStalled();
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-models-'));
  served = path.join(tmp, 'served');
  generated = generateTestClipModels(served, real);
  server = await startModelServer(served);
  testManifest = path.join(tmp, 'manifest.json');
  // Through `/r/`: every download also follows a redirect.
  writeTestManifest(testManifest, `${server.url}/r`, generated);
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the manifest', () => {
  it('lists every model with checksums taken from shared/models/MANIFEST.md', () => {
    expect(real.models.map((m) => m.id)).toEqual(['yunet', 'mobilefacenet', 'clip-tokenizer', VISION_ID, TEXT_ID]);
    const doc = fs.readFileSync(path.join(SHARED_MODELS, 'MANIFEST.md'), 'utf8');
    for (const m of real.models) {
      for (const f of m.files) {
        expect(doc, `${m.id} sha256`).toContain(f.sha256);
        expect(doc.replaceAll(',', ''), `${m.id} bytes`).toContain(String(f.bytes));
        expect(f.url).toMatch(/^https:\/\/(raw\.githubusercontent\.com|huggingface\.co)\/.+\/(resolve\/)?[0-9a-f]{40}\//);
      }
    }
  });
});

describe('generated test CLIP models', () => {
  it('use the colour words ids of the CLIP vocabulary', () => {
    const ids = clipTokenIds(VOCAB, [...Object.keys(COLOUR_WORDS), 'a', 'dog']);
    for (const [word, { token }] of Object.entries(COLOUR_WORDS)) expect(ids.get(word), word).toBe(token);
    expect([ids.get('a'), ids.get('dog')]).toEqual([320, 1929]); // MANIFEST.md: "a dog" → 320 1929
  });

  it('have exactly the manifest signature and run with its shapes', async () => {
    for (const [model, file] of [[vision, generated.vision], [text, generated.text]] as const) {
      const session = await ort.InferenceSession.create(file.path);
      expect(session.inputNames).toEqual(model.inputs.map((t) => t.name));
      expect(session.outputNames).toEqual(model.outputs.map((t) => t.name));
      expect(session.inputMetadata).toEqual(model.inputs.map((t) => ({ name: t.name, isTensor: true, type: t.type, shape: t.shape })));
      expect(session.outputMetadata).toEqual(model.outputs.map((t) => ({ name: t.name, isTensor: true, type: t.type, shape: t.shape })));
      const batch = 2;
      const feeds: Record<string, ort.Tensor> = {};
      for (const t of model.inputs) {
        const dims = t.shape.map((d) => (typeof d === 'number' ? d : batch));
        const n = dims.reduce((a, b) => a * b, 1);
        feeds[t.name] = t.type === 'int64' ? new ort.Tensor('int64', new BigInt64Array(n), dims) : new ort.Tensor('float32', new Float32Array(n), dims);
      }
      const out = await session.run(feeds);
      for (const t of model.outputs) expect(out[t.name]!.dims).toEqual(t.shape.map((d) => (typeof d === 'number' ? d : batch)));
      await session.release();
    }
  });

  it('rank a solid colour image closest to its own colour word', async () => {
    const image = await ort.InferenceSession.create(generated.vision.path);
    const words = await ort.InferenceSession.create(generated.text.path);
    const { startToken = 49406, endToken = 49407, contextLength = 77 } = text.preprocessing;
    const embedText = async (token: number): Promise<Float32Array> => {
      const ids = new BigInt64Array(contextLength);
      ids.set([BigInt(startToken), BigInt(token), BigInt(endToken)]);
      const out = await words.run({ input_ids: new ort.Tensor('int64', ids, [1, contextLength]) });
      return out.text_embeds!.data as Float32Array;
    };
    const embedImage = async (rgb: readonly [number, number, number]): Promise<Float32Array> => {
      const plane = 224 * 224;
      const pixels = new Float32Array(3 * plane);
      normalisedColour(rgb, vision).forEach((v, c) => pixels.fill(v, c * plane, (c + 1) * plane));
      const out = await image.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, 224, 224]) });
      return out.image_embeds!.data as Float32Array;
    };
    const cosine = (a: Float32Array, b: Float32Array): number => {
      let dot = 0, na = 0, nb = 0;
      a.forEach((x, i) => ((dot += x * b[i]!), (na += x * x), (nb += b[i]! * b[i]!)));
      return dot / Math.sqrt(na * nb);
    };
    const textEmbeds = new Map<string, Float32Array>();
    for (const [word, { token }] of Object.entries(COLOUR_WORDS)) textEmbeds.set(word, await embedText(token));
    const red = await embedImage([255, 0, 0]);
    expect(red).toHaveLength(512);
    expect(cosine(red, textEmbeds.get('red')!)).toBeGreaterThan(0.999);
    expect(cosine(red, textEmbeds.get('red')!)).toBeGreaterThan(cosine(red, textEmbeds.get('blue')!) + 0.5);
    for (const [word, { rgb }] of Object.entries(COLOUR_WORDS)) {
      const img = await embedImage(rgb);
      const best = [...textEmbeds].sort(([, a], [, b]) => cosine(img, b) - cosine(img, a))[0]![0];
      expect(best, `a ${word} image`).toBe(word);
    }
    await image.release();
    await words.release();
  });
});

describe('model downloads', () => {
  it('(a) downloads on request: missing → present, verified, progress up to the total, one transfer for two callers', async () => {
    const store = freshStore();
    const p = urlPath(VISION_ID, generated.vision.name);
    expect(store.status(VISION_ID)).toBe('missing');
    expect(await store.pathsFor(VISION_ID)).toBeNull();
    const progress: DownloadProgress[] = [];
    const [first, second] = await Promise.all([
      downloadModel(store, VISION_ID, { onProgress: (e) => progress.push(e) }),
      downloadModel(store, VISION_ID),
    ]);
    expect(second).toEqual(first);
    expect(gets(p)).toBe(1);
    expect(server.requests.filter((r) => r.path === `/r${p}`).map((r) => r.status)).toEqual([302]);
    expect(store.status(VISION_ID)).toBe('present');
    expect(await store.verify(VISION_ID)).toBe('present');
    const file = path.join(store.modelsDir, VISION_ID, generated.vision.name);
    expect(first).toMatchObject({ id: VISION_ID, paths: [file], sha256: generated.vision.sha256 });
    expect(sha256(file)).toBe(generated.vision.sha256);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    // The verdict is remembered: a new store (the next start) does not hash the file again.
    expect(fs.readFileSync(path.join(store.modelsDir, '.checksums.json'), 'utf8')).toContain(generated.vision.sha256);
    const received = progress.map((e) => e.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ receivedBytes: generated.vision.bytes, totalBytes: generated.vision.bytes });
    expect(progress.every((e) => e.totalBytes === generated.vision.bytes)).toBe(true);
  });

  it('(b) resumes a cut download with a Range request; the partial file is never handed out', async () => {
    const store = freshStore();
    const p = urlPath(TEXT_ID, generated.text.name);
    const cut = Math.floor(generated.text.bytes * 0.4);
    server.failNext(p, { cutAfter: cut });
    const file = path.join(store.modelsDir, TEXT_ID, generated.text.name);
    const first = downloadModel(store, TEXT_ID);
    await cutWhenStored(file, cut);
    await expect(first).rejects.toThrow(`stopped after ${cut} of ${generated.text.bytes} bytes`);
    const partSize = fs.statSync(`${file}.part`).size;
    expect(partSize).toBe(cut);
    expect(fs.existsSync(file)).toBe(false);
    expect(store.status(TEXT_ID)).toBe('partial');
    expect(await store.pathsFor(TEXT_ID)).toBeNull();

    const before = server.requests.length;
    const progress: DownloadProgress[] = [];
    await downloadModel(store, TEXT_ID, { onProgress: (e) => progress.push(e) });
    const resumed = server.requests.slice(before).filter((r) => r.path === p);
    expect(resumed).toEqual([{ path: p, range: `bytes=${partSize}-`, status: 206 }]);
    expect(progress[0]).toMatchObject({ phase: 'verifying', receivedBytes: partSize });
    expect(store.status(TEXT_ID)).toBe('present');
    expect(sha256(file)).toBe(generated.text.sha256);
    expect((await store.pathsFor(TEXT_ID))?.paths).toEqual([file]);
  });

  it('(b) starts over when the server ignores the range', async () => {
    const store = freshStore();
    const p = urlPath(TEXT_ID, generated.text.name);
    server.failNext(p, { cutAfter: 1000 });
    const first = downloadModel(store, TEXT_ID);
    await cutWhenStored(path.join(store.modelsDir, TEXT_ID, generated.text.name), 1000);
    await expect(first).rejects.toThrow(/stopped after 1000 of/);
    server.failNext(p, { ignoreRange: true });
    await downloadModel(store, TEXT_ID);
    expect(server.requests.filter((r) => r.path === p).at(-1)?.status).toBe(200);
    expect(store.status(TEXT_ID)).toBe('present');
    expect(await store.verify(TEXT_ID)).toBe('present');
  });

  it('(c) refuses different bytes of the same length: checksum error, nothing left in place', async () => {
    const store = freshStore();
    server.failNext(urlPath(VISION_ID, generated.vision.name), { body: crypto.randomBytes(generated.vision.bytes) });
    const error = await downloadModel(store, VISION_ID).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(new RegExp(`checksum mismatch for ${VISION_ID}/.*: expected ${generated.vision.sha256}, got [0-9a-f]{64}$`));
    const file = path.join(store.modelsDir, VISION_ID, generated.vision.name);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    expect(store.status(VISION_ID)).toBe('missing');
    expect(await store.pathsFor(VISION_ID)).toBeNull();
    // A file of another size is refused before a byte is written.
    server.failNext(urlPath(VISION_ID, generated.vision.name), { body: crypto.randomBytes(generated.vision.bytes + 10) });
    await expect(downloadModel(store, VISION_ID)).rejects.toThrow(`has ${generated.vision.bytes + 10} bytes, the manifest expects ${generated.vision.bytes}`);
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    expect(store.status(VISION_ID)).toBe('missing');
  });

  it('(d) catches a file replaced on disk by garbage of the right size, and repairs it on request', async () => {
    const store = freshStore();
    await downloadModel(store, VISION_ID);
    const file = path.join(store.modelsDir, VISION_ID, generated.vision.name);
    fs.writeFileSync(file, crypto.randomBytes(generated.vision.bytes));
    expect(await store.verify(VISION_ID)).toBe('corrupt');
    expect(store.status(VISION_ID)).toBe('corrupt');
    expect(await store.pathsFor(VISION_ID)).toBeNull();
    // The next start knows without hashing again.
    const again = new ModelStore({ modelsDir: store.modelsDir, manifestPath: testManifest });
    expect(again.status(VISION_ID)).toBe('corrupt');
    await downloadModel(again, VISION_ID);
    expect(again.status(VISION_ID)).toBe('present');
    expect(sha256(file)).toBe(generated.vision.sha256);
  });

  it('(e) reports a 404 clearly and leaves nothing behind; a mirror serves <id>/<file>', async () => {
    const broken = freshStore({ SHOEBOX_MODELS_MIRROR: `${server.url}/nowhere` });
    await expect(downloadModel(broken, TEXT_ID)).rejects.toThrow(
      `download of ${TEXT_ID}/${generated.text.name} failed: HTTP 404 Not Found from ${server.url}/nowhere/${TEXT_ID}/${generated.text.name}`,
    );
    expect(broken.status(TEXT_ID)).toBe('missing');
    expect(fs.existsSync(path.join(broken.modelsDir, TEXT_ID, `${generated.text.name}.part`))).toBe(false);

    const mirrored = freshStore({ SHOEBOX_MODELS_MIRROR: `${server.url}/` });
    const before = server.requests.length;
    await downloadModel(mirrored, TEXT_ID);
    expect(server.requests.slice(before).map((r) => r.path)).toEqual([urlPath(TEXT_ID, generated.text.name)]);
    expect(mirrored.status(TEXT_ID)).toBe('present');
  });

  it('(f) finds the real face models in shared/models and verifies their sha256', async () => {
    const store = new ModelStore({ env: parseModelEnv({ SHOEBOX_MODELS_DIR: SHARED_MODELS }) });
    expect(store.manifestPath).toBe(REAL_MANIFEST_PATH);
    expect(store.statusAll()).toEqual({
      yunet: 'present',
      mobilefacenet: 'present',
      'clip-tokenizer': 'present',
      [VISION_ID]: 'missing',
      [TEXT_ID]: 'missing',
    });
    for (const id of ['yunet', 'mobilefacenet', 'clip-tokenizer']) expect(await store.verify(id), id).toBe('present');
    const yunet = await store.pathsFor('yunet');
    expect(yunet).toMatchObject({
      paths: [path.join(SHARED_MODELS, 'yunet', 'face_detection_yunet_dynamic.onnx')],
      sha256: 'daede24002cc8590f457998cc5e6c9e8b82f45f6bd969506a8913cd4ed10a2d3',
    });
    expect((await store.pathsFor('mobilefacenet'))?.sha256).toBe('b7120c095d60094f28a4a54ba6a8bf51b297a6273fb40ef6350dfec1f63d9507');
    expect(await store.pathsFor(VISION_ID)).toBeNull();
    // The shared folder is read-only by its permissions: nothing is written there.
    expect(fs.existsSync(path.join(SHARED_MODELS, '.checksums.json'))).toBe(false);
  });

  it('lets one caller of a shared download abort; the last one to abort stops it', async () => {
    const store = freshStore();
    const quitter = new AbortController();
    const [left, stayed] = await Promise.allSettled([
      downloadModel(store, TEXT_ID, { signal: quitter.signal, onProgress: () => quitter.abort() }),
      downloadModel(store, TEXT_ID),
    ]);
    expect(left.status).toBe('rejected');
    expect(stayed).toMatchObject({ status: 'fulfilled', value: { id: TEXT_ID } });
    expect(store.status(TEXT_ID)).toBe('present');

    const alone = freshStore();
    const stop = new AbortController();
    await expect(downloadModel(alone, TEXT_ID, { signal: stop.signal, onProgress: () => stop.abort() })).rejects.toThrow(/abort/i);
    expect(alone.status(TEXT_ID)).not.toBe('present');
    await expect(downloadModel(alone, TEXT_ID, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    await downloadModel(alone, TEXT_ID);
    expect(alone.status(TEXT_ID)).toBe('present');
  });

  it('(g) downloads nothing unless asked: construction, status, verify and pathsFor stay offline', async () => {
    const before = server.requests.length;
    const store = freshStore();
    expect(Object.values(store.statusAll()).every((s) => s === 'missing')).toBe(true);
    for (const id of store.ids()) {
      expect(await store.verify(id)).toBe('missing');
      expect(await store.pathsFor(id)).toBeNull();
    }
    expect(() => store.status('no-such-model')).toThrow(/unknown model/);
    expect(server.requests.length).toBe(before);
    expect(fs.existsSync(store.modelsDir)).toBe(false);
  });
});
