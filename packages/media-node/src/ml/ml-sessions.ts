// The ML worker's onnxruntime sessions: created once per model on first use and cached. A model's
// files are verified (size and sha256) before its first session, so a partial or corrupt download
// is never loaded.
import ort from 'onnxruntime-node';
import { AppError } from '@shoebox/core/contract';

/** Returns the verified paths of a model's files, or null when it is missing, partial or corrupt. */
export type ModelResolver = (modelId: string) => Promise<{ paths: string[]; sha256: string } | null>;

export interface LoadedModel {
  session: ort.InferenceSession;
  /** `id@<sha256 prefix>`: what a stored embedding was made with. */
  tag: string;
}

export class SessionCache {
  private readonly resolve: ModelResolver;
  private readonly threads: number;
  private readonly sessions = new Map<string, Promise<LoadedModel>>();

  constructor(resolve: ModelResolver, threads: number) {
    this.resolve = resolve;
    this.threads = threads;
  }

  /** The model's session; throws MODEL_MISSING when its files are not all there and verified. */
  get(modelId: string): Promise<LoadedModel> {
    let entry = this.sessions.get(modelId);
    if (!entry) {
      entry = this.create(modelId);
      this.sessions.set(modelId, entry);
      // A failed load is not cached: the model may be downloaded later.
      entry.catch(() => this.sessions.delete(modelId));
    }
    return entry;
  }

  private async create(modelId: string): Promise<LoadedModel> {
    const found = await this.resolve(modelId);
    const file = found?.paths[0];
    if (!found || !file) throw new AppError('MODEL_MISSING', `the model ${modelId} is not installed (run: shoebox ml download ${modelId})`);
    const session = await ort.InferenceSession.create(file, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: this.threads,
      interOpNumThreads: 1,
    });
    return { session, tag: `${modelId}@${found.sha256.slice(0, 12)}` };
  }

  loaded(): string[] {
    return [...this.sessions.keys()];
  }

  async reset(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) await s.then((m) => m.session.release(), () => undefined);
  }
}
