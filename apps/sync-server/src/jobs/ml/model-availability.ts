// Which ML models are installed, without loading them: the model store's stat-only state, kept a
// few seconds (it is asked after every preview job: should its ML jobs be queued?), and the tag
// results are stored with (`id@<sha256 prefix>`), so a changed model runs them again.
import { ModelStore } from '@shoebox/media-node/ml/model-store';
import type { ModelState } from '@shoebox/media-node/ml/model-catalog';

const STATE_TTL_MS = 5_000;

export interface ModelAvailability {
  readonly dir: string;
  readonly store: ModelStore;
  state(id: string): ModelState;
  /** Every model is present (stat only; the ML worker verifies checksums before loading). */
  ready(ids: readonly string[]): boolean;
  tag(id: string): string;
  /** Forgets the kept states (models were installed or removed). */
  forget(): void;
}

/** `manifestPath` and `mirror`: SHOEBOX_MODELS_MANIFEST and SHOEBOX_MODELS_MIRROR, when set. */
export function modelAvailability(modelsDir: string, manifestPath?: string, mirror?: string): ModelAvailability {
  const store = new ModelStore({ modelsDir, ...(manifestPath ? { manifestPath } : {}), ...(mirror ? { mirror } : {}) });
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
    store,
    state,
    ready: (ids) => ids.every((id) => state(id) === 'present'),
    tag: (id) => `${id}@${store.entry(id)?.files[0]?.sha256.slice(0, 12) ?? 'unknown'}`,
    forget: () => known.clear(),
  };
}
