// The engine's model catalog over the model store and the downloader: the manifest, each model's
// state, download tags and downloads (aborted when the engine closes).
import { env } from '../env.ts';
import type { ModelAvailability } from '../engine/ml.handlers.ts';
import type { ModelCatalog, ModelState } from '@shoebox/media-node/ml/model-catalog';
import { downloadModel } from '@shoebox/media-node/ml/model-download';
import { ModelStore } from '@shoebox/media-node/ml/model-store';
import { importModels, type ImportResult } from '@shoebox/media-node/ml/model-import';

export interface StoreModelCatalog extends ModelCatalog, ModelAvailability {
  abortDownloads(): void;
  /** Copies verified model files from a folder into the models directory. */
  importFrom(dir: string): Promise<ImportResult>;
}

const STATE_TTL_MS = 5_000;

/** `modelsDir` wins over SHOEBOX_MODELS_DIR and the data folder's models/. */
export function openModelCatalog(dataDir: string, modelsDir?: string): StoreModelCatalog {
  const e = env();
  const store = new ModelStore({
    dataDir,
    ...(modelsDir ? { modelsDir } : {}),
    env: { SHOEBOX_MODELS_DIR: e.SHOEBOX_MODELS_DIR, SHOEBOX_MODELS_MANIFEST: e.SHOEBOX_MODELS_MANIFEST, SHOEBOX_MODELS_MIRROR: e.SHOEBOX_MODELS_MIRROR },
  });
  const controllers = new Set<AbortController>();
  // `ready` is asked after every preview job (should its ML jobs be queued?): the files' state is
  // kept for a few seconds instead of stat'ing them each time, and forgotten when models change.
  const known = new Map<string, { state: ModelState; at: number }>();
  const state = (id: string): ModelState => {
    const now = Date.now();
    const cached = known.get(id);
    if (cached && now - cached.at < STATE_TTL_MS) return cached.state;
    const fresh: ModelState = store.entry(id) ? store.status(id) : 'missing';
    known.set(id, { state: fresh, at: now });
    return fresh;
  };
  return {
    dir: store.modelsDir,
    ids: () => store.ids(),
    entry: (id) => store.entry(id),
    state,
    ready: (ids) => ids.every((id) => state(id) === 'present'),
    tag: (id) => `${id}@${store.entry(id)?.files[0]?.sha256.slice(0, 12) ?? 'unknown'}`,
    download: async (id, onProgress) => {
      const controller = new AbortController();
      controllers.add(controller);
      try {
        await downloadModel(store, id, { signal: controller.signal, onProgress: (p) => onProgress(p.receivedBytes, p.totalBytes) });
      } finally {
        controllers.delete(controller);
        known.clear();
      }
    },
    importFrom: async (dir) => {
      try {
        return await importModels(store, dir);
      } finally {
        known.clear();
      }
    },
    abortDownloads: () => {
      for (const c of controllers) c.abort();
    },
  };
}
