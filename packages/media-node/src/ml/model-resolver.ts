// What the ML worker asks before creating a session: the verified files of a model, or null when
// it is missing, partial or corrupt (so a half-downloaded or damaged file is never loaded).
import type { ModelResolver } from './ml-sessions.ts';
import { ModelStore, type ModelStoreOptions } from './model-store.ts';

/**
 * A resolver over the models directory the worker was given. Pass `env` (the SHOEBOX_MODELS_*
 * values) or `manifestPath` so that a manifest other than resources/models/manifest.json applies.
 */
export function modelResolver(modelsDir: string, options: Omit<ModelStoreOptions, 'modelsDir'> = {}): ModelResolver {
  const store = new ModelStore({ ...options, modelsDir });
  return (id) => store.pathsFor(id);
}
