// CLIP in the ML worker: the image tower on a preview (CLIP's own preprocessing), the text tower
// on a query (OpenAI's BPE tokenizer), both L2-normalised.
import fs from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { AppError } from '@shoebox/core/contract';
import { CLIP_CONTEXT_LENGTH, ClipTokenizer, clipImageTensor, l2Normalize } from '@shoebox/core';
import type { ModelResolver, SessionCache } from './ml-sessions.ts';
import { CLIP_TEXT, CLIP_TOKENIZER, CLIP_VISION } from './ml-models.ts';

function firstOutput(out: ort.InferenceSession.OnnxValueMapType, session: ort.InferenceSession, preferred: string): Float32Array {
  const value = out[preferred] ?? out[session.outputNames[0] ?? ''];
  if (!value) throw new Error(`the model gave no ${preferred}`);
  return Float32Array.from(value.data as Float32Array);
}

export async function clipImageEmbedding(file: string, sessions: SessionCache): Promise<{ embedding: Float32Array; model: string }> {
  const { session, tag } = await sessions.get(CLIP_VISION);
  // Alpha is kept: CLIP's preprocessing resamples premultiplied, as Pillow does.
  const { data, info } = await sharp(file).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const channels = info.channels as 1 | 2 | 3 | 4;
  const pixels = clipImageTensor({ data, width: info.width, height: info.height, channels });
  const inputName = session.inputNames[0] ?? 'pixel_values';
  const out = await session.run({ [inputName]: new ort.Tensor('float32', pixels, [1, 3, 224, 224]) });
  return { embedding: l2Normalize(firstOutput(out, session, 'image_embeds')), model: tag };
}

export class ClipText {
  private readonly sessions: SessionCache;
  private readonly resolve: ModelResolver;
  private tokenizer: Promise<ClipTokenizer> | null = null;

  constructor(sessions: SessionCache, resolve: ModelResolver) {
    this.sessions = sessions;
    this.resolve = resolve;
  }

  private loadTokenizer(): Promise<ClipTokenizer> {
    this.tokenizer ??= (async () => {
      const found = await this.resolve(CLIP_TOKENIZER);
      const file = found?.paths[0];
      if (!file) throw new AppError('MODEL_MISSING', `the CLIP tokenizer is not installed (run: shoebox ml download ${CLIP_TOKENIZER})`);
      const raw = await fs.readFile(file);
      const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      return ClipTokenizer.fromVocabulary(text);
    })();
    this.tokenizer.catch(() => {
      this.tokenizer = null;
    });
    return this.tokenizer;
  }

  async tokens(text: string): Promise<number[]> {
    return (await this.loadTokenizer()).tokens(text);
  }

  async embed(text: string): Promise<{ embedding: Float32Array; model: string }> {
    const tokenizer = await this.loadTokenizer();
    const { session, tag } = await this.sessions.get(CLIP_TEXT);
    const ids = tokenizer.tokenize(text, CLIP_CONTEXT_LENGTH);
    const inputIds = BigInt64Array.from(Array.from(ids, (v) => BigInt(v)));
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', inputIds, [1, CLIP_CONTEXT_LENGTH]) };
    if (session.inputNames.includes('attention_mask')) {
      const real = tokenizer.tokens(text).length;
      const mask = BigInt64Array.from({ length: CLIP_CONTEXT_LENGTH }, (_, i) => (i < Math.min(real, CLIP_CONTEXT_LENGTH) ? 1n : 0n));
      feeds.attention_mask = new ort.Tensor('int64', mask, [1, CLIP_CONTEXT_LENGTH]);
    }
    const out = await session.run(feeds);
    return { embedding: l2Normalize(firstOutput(out, session, 'text_embeds')), model: tag };
  }

  reset(): void {
    this.tokenizer = null;
  }
}
