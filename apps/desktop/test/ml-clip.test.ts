// Smart search end to end with generated CLIP models of the real signature: downloaded on request
// from a local server (as a LAN mirror), indexed by the clip job, searched by text and by photo,
// with filters, through the CLI and over HTTP. Without the models, search says what to download.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlStatus, RankedAssets, TokenizeResult } from '@shoebox/core/contract';
import {
  REAL_MANIFEST_PATH, generateTestClipModels, writeTestManifest,
} from '../../../resources/models/generate-test-models.ts';
import { readManifest } from '@shoebox/media-node/ml/model-store';
import { startModelServer, type ModelServer } from '@shoebox/media-node/testing/model-server';
import { CORPUS, shoebox, shoeboxOk, spawnShoebox, tempDir } from './helpers/cli.ts';
import { startServe, type Served } from './helpers/serve.ts';

const VOCAB = path.resolve(CORPUS, '..', 'models', 'clip-tokenizer', 'bpe_simple_vocab_16e6.txt.gz');
const COLOURS: Record<string, [number, number, number]> = {
  red: [220, 30, 30], green: [30, 200, 40], blue: [30, 40, 220], yellow: [240, 220, 30], white: [250, 250, 250],
};

/** Runs the CLI without blocking this process: the model server answers from here. */
function shoeboxAsync(data: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnShoebox(data, args, env);
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`shoebox ${args.join(' ')} exited ${code}\n${err.slice(-2000)}`))));
  });
}

interface Row {
  rank: number;
  id: string;
  score: number;
  path: string;
  type: string;
}

describe('smart search with generated CLIP models', () => {
  const tmp = tempDir('clip');
  const served = path.join(tmp, 'served');
  const photos = path.join(tmp, 'photos');
  const data = path.join(tmp, 'data');
  let server: ModelServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    fs.mkdirSync(photos, { recursive: true });
    for (const [name, [r, g, b]] of Object.entries(COLOURS)) {
      // A little texture so each photo is its own file; the mean colour is what the test model sees.
      const noise = Buffer.alloc(320 * 240 * 3);
      for (let i = 0; i < noise.length; i += 3) {
        const n = ((i * 7919) % 17) - 8;
        noise[i] = Math.max(0, Math.min(255, r + n));
        noise[i + 1] = Math.max(0, Math.min(255, g + n));
        noise[i + 2] = Math.max(0, Math.min(255, b + n));
      }
      await sharp(noise, { raw: { width: 320, height: 240, channels: 3 } }).jpeg({ quality: 92 }).toFile(path.join(photos, `${name}.jpg`));
    }
    const generated = generateTestClipModels(served, readManifest(REAL_MANIFEST_PATH));
    fs.mkdirSync(path.join(served, 'clip-tokenizer'), { recursive: true });
    fs.copyFileSync(VOCAB, path.join(served, 'clip-tokenizer', path.basename(VOCAB)));
    server = await startModelServer(served);
    const manifest = path.join(tmp, 'manifest.json');
    writeTestManifest(manifest, server.url, generated);
    env = { SHOEBOX_MODELS_MANIFEST: manifest, SHOEBOX_MODELS_MIRROR: server.url };
    shoeboxOk(data, ['add', photos], env);
    shoeboxOk(data, ['scan', '--wait'], env);
  }, 120_000);

  afterAll(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('says which models to download while they are missing, and downloads nothing by itself', () => {
    const r = shoebox(data, ['search', 'red'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/shoebox ml download .*clip-vit-b32-vision/);
    const status = MlStatus.parse(JSON.parse(shoeboxOk(data, ['ml', 'status', '--json'], env)));
    expect(status.smartSearch).toEqual({ ready: false, indexed: 0 });
    expect(status.models.filter((m) => m.id.startsWith('clip')).map((m) => m.state)).toEqual(['missing', 'missing', 'missing']);
    expect(server.requests).toEqual([]);
  });

  it('downloads the models on request, then indexes the library and ranks by description', async () => {
    await shoeboxAsync(data, ['ml', 'download', 'clip-vit-b32-vision', 'clip-vit-b32-text', 'clip-tokenizer'], env);
    expect(server.requests.length).toBeGreaterThanOrEqual(3);
    const status = MlStatus.parse(JSON.parse(shoeboxOk(data, ['ml', 'status', '--json'], env)));
    expect(status.smartSearch.ready).toBe(true);
    // The clip jobs that were skipped run at the next start of the queue.
    shoeboxOk(data, ['scan', '--wait'], env);
    expect(MlStatus.parse(JSON.parse(shoeboxOk(data, ['ml', 'status', '--json'], env))).smartSearch.indexed).toBe(5);
    for (const colour of Object.keys(COLOURS)) {
      const rows = JSON.parse(shoeboxOk(data, ['search', `a ${colour} photo`, '--json'], env)) as Row[];
      expect(rows).toHaveLength(5);
      expect(path.basename(rows[0]!.path)).toBe(`${colour}.jpg`);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.score).toBeLessThanOrEqual(rows[i - 1]!.score);
    }
  });

  it('finds similar photos from a photo, without the photo itself', () => {
    const rows = JSON.parse(shoeboxOk(data, ['search', '--like', path.join(photos, 'red.jpg'), '--json'], env)) as Row[];
    expect(rows.map((r) => path.basename(r.path))).not.toContain('red.jpg');
    expect(rows).toHaveLength(4);
    // Yellow (red + green) is closer to red than blue is.
    const order = rows.map((r) => path.basename(r.path, '.jpg'));
    expect(order.indexOf('yellow')).toBeLessThan(order.indexOf('blue'));
  });

  it('prints the CLIP token ids exactly as OpenAI tokenizes', () => {
    expect(shoeboxOk(data, ['ml', 'tokenize', 'a diagram'], env).trim()).toBe('49406 320 22697 49407');
    expect(shoeboxOk(data, ['ml', 'tokenize', 'a dog'], env).trim()).toBe('49406 320 1929 49407');
    expect(shoeboxOk(data, ['ml', 'tokenize', 'a cat'], env).trim()).toBe('49406 320 2368 49407');
  });

  describe('over HTTP', () => {
    let api: Served;
    beforeAll(async () => {
      api = await startServe(data, env);
    }, 60_000);
    afterAll(async () => {
      await api.stop();
    });

    it('ranks by description within the grid filters', async () => {
      const r = await api.call('GET', '/api/search/smart?q=blue&limit=3', RankedAssets);
      expect(r.items).toHaveLength(3);
      expect(r.items[0]!.fileName).toBe('blue.jpg');
      expect(r.indexed).toBe(5);
      const videos = await api.call('GET', '/api/search/smart?q=blue&type=video', RankedAssets);
      expect(videos.items).toEqual([]);
      const favourites = await api.call('GET', '/api/search/smart?q=blue&favorite=true', RankedAssets);
      expect(favourites.items).toEqual([]);
      await api.fails('GET', '/api/search/smart?limit=3', 400, 'VALIDATION_FAILED');
    });

    it('answers similar photos and tokens, and the ML status', async () => {
      const blue = (await api.call('GET', '/api/search/smart?q=blue&limit=1', RankedAssets)).items[0]!;
      const similar = await api.call('GET', `/api/assets/${blue.id}/similar`, RankedAssets);
      expect(similar.items.map((i) => i.id)).not.toContain(blue.id);
      expect(similar.items).toHaveLength(4);
      const tokens = await api.call('GET', `/api/ml/tokenize?text=${encodeURIComponent('a diagram')}`, TokenizeResult);
      expect(tokens.tokens).toEqual([49406, 320, 22697, 49407]);
      const status = await api.call('GET', '/api/ml', MlStatus);
      // This process has only searched by text: the text tower is loaded, the image tower is not.
      expect(status.models.find((m) => m.id === 'clip-vit-b32-text')).toMatchObject({ state: 'present', loaded: true });
      expect(status.models.find((m) => m.id === 'clip-vit-b32-vision')).toMatchObject({ state: 'present', loaded: false });
      await api.fails('GET', '/api/assets/00000000-0000-7000-8000-000000000000/similar', 404, 'ASSET_NOT_FOUND');
    });

    it('turns smart search off and on', async () => {
      await api.call('PATCH', '/api/ml/settings', { parse: (v: unknown) => v }, { smartSearch: false });
      await api.fails('GET', '/api/search/smart?q=blue', 409, 'ML_DISABLED');
      await api.call('PATCH', '/api/ml/settings', { parse: (v: unknown) => v }, { smartSearch: true });
      await api.call('GET', '/api/search/smart?q=blue', RankedAssets);
      await api.fails('PATCH', '/api/ml/settings', 400, 'VALIDATION_FAILED', { personMatch: 5 });
    });
  });

  it('answers MODEL_MISSING over HTTP on a library without the models', async () => {
    const bare = tempDir('clip-bare');
    const api = await startServe(bare, env);
    try {
      await api.fails('GET', '/api/search/smart?q=blue', 409, 'MODEL_MISSING');
      await api.fails('POST', '/api/ml/models/not-a-model/download', 404, 'MODEL_NOT_FOUND');
    } finally {
      await api.stop();
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it('installs models from a folder only when their checksums match', () => {
    const bare = tempDir('ml-import');
    const bundle = tempDir('ml-bundle');
    try {
      const models = path.resolve(CORPUS, '..', 'models');
      // A bundle with a good detector and a damaged embedder of the right size.
      fs.mkdirSync(path.join(bundle, 'yunet'));
      fs.copyFileSync(path.join(models, 'yunet', 'face_detection_yunet_dynamic.onnx'), path.join(bundle, 'yunet', 'face_detection_yunet_dynamic.onnx'));
      const embedder = fs.readFileSync(path.join(models, 'mobilefacenet', 'mobilefacenet.onnx'));
      embedder.writeUInt8(embedder.readUInt8(embedder.length - 1) ^ 0xff, embedder.length - 1);
      fs.writeFileSync(path.join(bundle, 'mobilefacenet.onnx'), embedder);
      const out = shoeboxOk(bare, ['ml', 'import', bundle]);
      expect(out).toContain('installed yunet');
      expect(out).toMatch(/not in .*mobilefacenet/);
      const status = MlStatus.parse(JSON.parse(shoeboxOk(bare, ['ml', 'status', '--json'])));
      expect(status.models.find((m) => m.id === 'yunet')?.state).toBe('present');
      expect(status.models.find((m) => m.id === 'mobilefacenet')?.state).toBe('missing');
      expect(status.faces.ready).toBe(false);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
      fs.rmSync(bundle, { recursive: true, force: true });
    }
  });
});
