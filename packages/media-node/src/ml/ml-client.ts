// The engine's side of the ML worker: starts it on first use, sends requests, turns a missing
// model into MODEL_MISSING, and remembers which models the worker has loaded.
import os from 'node:os';
import type { Logger } from 'pino';
import { AppError } from '@shoebox/core/contract';
import { WorkerPool } from '../workers/worker-pool.ts';
import type { WorkerLauncher } from '../workers/worker-launcher.ts';
import { WorkerTaskError } from '../workers/worker.protocol.ts';
import { ML_WORKER_ENTRY } from '../worker-entries.ts';
import type { EmbeddingResult, FacesResult, MemoryResult, MlRequestBody } from './ml.protocol.ts';

const REQUEST_TIMEOUT_MS = 120_000;

export interface MlClientOptions {
  modelsDir: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  threads?: number;
  /** How the worker starts (default: child_process.fork; the Electron app: utilityProcess.fork). */
  launcher?: WorkerLauncher;
  /** The worker's entry (default: ML_WORKER_ENTRY; a bundled app passes its built file). */
  entry?: string;
}

export class MlClient {
  private readonly opts: MlClientOptions;
  private pool: WorkerPool<MlRequestBody> | null = null;
  private loadedModels: string[] = [];

  constructor(opts: MlClientOptions) {
    this.opts = opts;
  }

  private worker(): WorkerPool<MlRequestBody> {
    this.pool ??= new WorkerPool<MlRequestBody>({
      entry: this.opts.entry ?? ML_WORKER_ENTRY,
      size: 1,
      name: 'ML worker',
      init: { modelsDir: this.opts.modelsDir, threads: this.opts.threads ?? Math.max(1, Math.min(4, os.availableParallelism())) },
      perWorker: 8,
      env: this.opts.env,
      log: this.opts.log,
      ...(this.opts.launcher ? { launcher: this.opts.launcher } : {}),
    });
    return this.pool;
  }

  private async call<T extends { loaded: string[] }>(body: MlRequestBody): Promise<T> {
    try {
      const result = await this.worker().call<T>(body, { timeoutMs: REQUEST_TIMEOUT_MS });
      this.loadedModels = result.loaded;
      return result;
    } catch (error) {
      if (error instanceof WorkerTaskError && error.failure === 'missing-tool') throw new AppError('MODEL_MISSING', error.message);
      throw error;
    }
  }

  faces(image: string, cropBase: string, opts: { minScore: number; minFaceSize: number }): Promise<FacesResult> {
    return this.call<FacesResult>({ type: 'faces', image, cropBase, ...opts });
  }

  clipImage(image: string): Promise<EmbeddingResult> {
    return this.call<EmbeddingResult>({ type: 'clipImage', image });
  }

  clipText(text: string): Promise<EmbeddingResult> {
    return this.call<EmbeddingResult>({ type: 'clipText', text });
  }

  async tokenize(text: string): Promise<number[]> {
    return (await this.call<{ tokens: number[]; loaded: string[] }>({ type: 'tokenize', text })).tokens;
  }

  memory(): Promise<MemoryResult> {
    return this.call<MemoryResult>({ type: 'memory' });
  }

  /** Drops the worker's cached sessions (a model was downloaded), if it is running. */
  async reset(): Promise<void> {
    if (this.pool) await this.call({ type: 'reset' });
  }

  /** Models with a session in the worker, as of its last answer. */
  loaded(): string[] {
    return this.pool ? this.loadedModels : [];
  }

  pid(): number | null {
    return this.pool?.pids()[0] ?? null;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
    this.loadedModels = [];
  }
}
