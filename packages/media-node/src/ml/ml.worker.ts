// Entry point of the ML worker process (child_process.fork in headless mode, an Electron
// utilityProcess in the app: parent-channel.ts speaks to either). It holds the onnxruntime sessions (created once, cached) and answers the
// engine's requests: faces in a picture, CLIP image and text embeddings, tokens, memory.
import fs from 'node:fs';
import sharp from 'sharp';
import { AppError } from '@shoebox/core/contract';
import { ClipText, clipImageEmbedding } from './clip-pipeline.ts';
import { findFaces } from './face-pipeline.ts';
import { SessionCache } from './ml-sessions.ts';
import { modelResolver } from './model-resolver.ts';
import { parseModelEnv } from './model-env.ts';
import { MlRequest, MlWorkerInit, type MemoryResult } from './ml.protocol.ts';
import { parentChannel } from '../workers/parent-channel.ts';
import type { WorkerReply } from '../workers/worker.protocol.ts';

sharp.concurrency(1);
sharp.cache(false);

const parent = parentChannel();
let sessions: SessionCache | null = null;
let unavailable: string | null = null;
let clipText: ClipText | null = null;
// One request at a time: onnxruntime already uses every thread it was given.
let chain: Promise<unknown> = Promise.resolve();

function reply(message: WorkerReply & { code?: string }): void {
  parent.send(message);
}

function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : process.memoryUsage().rss;
  } catch {
    return process.memoryUsage().rss;
  }
}

async function run(req: MlRequest, s: SessionCache, text: ClipText): Promise<unknown> {
  switch (req.type) {
    case 'faces':
      return { ...(await findFaces(req.image, req.cropBase, s, req)), loaded: s.loaded() };
    case 'clipImage':
      return { ...(await clipImageEmbedding(req.image, s)), loaded: s.loaded() };
    case 'clipText':
      return { ...(await text.embed(req.text)), loaded: s.loaded() };
    case 'tokenize':
      return { tokens: await text.tokens(req.text), loaded: s.loaded() };
    case 'memory': {
      const result: MemoryResult = { rssBytes: process.memoryUsage().rss, peakRssBytes: peakRss(), loaded: s.loaded() };
      return result;
    }
    case 'reset':
      await s.reset();
      text.reset();
      return { loaded: s.loaded() };
  }
}

function handle(raw: unknown): void {
  const init = MlWorkerInit.safeParse(raw);
  if (init.success) {
    try {
      const resolve = modelResolver(init.data.settings.modelsDir, { env: parseModelEnv(process.env) });
      sessions = new SessionCache(resolve, init.data.settings.threads);
      clipText = new ClipText(sessions, resolve);
    } catch (error) {
      // An unreadable manifest is the installation's fault, not a crash: the worker stays up and
      // answers every request with the reason (a dying worker would only be restarted again).
      unavailable = `the ML models cannot be used: ${error instanceof Error ? error.message : String(error)}`;
    }
    parent.send({ type: 'ready' });
    return;
  }
  const req = MlRequest.safeParse(raw);
  if (!req.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    reply({ id, ok: false, error: `bad request: ${req.error.issues[0]?.message ?? 'invalid'}`, failure: 'undecodable' });
    return;
  }
  const { data } = req;
  if (unavailable) {
    reply({ id: data.id, ok: false, error: unavailable, failure: 'missing-tool', code: 'MODEL_MISSING' });
    return;
  }
  chain = chain.then(async () => {
    try {
      if (!sessions || !clipText) throw new Error('ML worker not initialised');
      reply({ id: data.id, ok: true, result: await run(data, sessions, clipText) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A missing model is the machine's state, not the picture's; a picture sharp cannot read is broken.
      const code = error instanceof AppError ? error.code : undefined;
      const failure = code === 'MODEL_MISSING' ? 'missing-tool' : /unsupported image format|Input file|corrupt|premature/i.test(message) ? 'undecodable' : 'transient';
      reply({ id: data.id, ok: false, error: message, failure, ...(code ? { code } : {}) });
    }
  });
}

parent.onMessage(handle);
parent.onShutdown(() => process.exit(0));
