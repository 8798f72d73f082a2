// Installs models at start from a folder named by SHOEBOX_MODELS_IMPORT (an offline bundle, or the
// checkout's ../shared/models): every file is checksum-verified before it is copied in, so faces
// and smart search run without a download. Models already present are left alone.
import { importModels } from '@shoebox/media-node/ml/model-import';
import { ModelStore } from '@shoebox/media-node/ml/model-store';
import type { Logger } from 'pino';

export async function importModelsAtStart(opts: {
  from: string;
  dataDir: string;
  modelsDir?: string | undefined;
  manifest?: string | undefined;
  log: Logger;
}): Promise<void> {
  const store = new ModelStore({
    dataDir: opts.dataDir,
    ...(opts.modelsDir ? { modelsDir: opts.modelsDir } : {}),
    env: { SHOEBOX_MODELS_MANIFEST: opts.manifest },
  });
  try {
    const result = await importModels(store, opts.from);
    if (result.installed.length) opts.log.info({ from: opts.from, installed: result.installed }, 'installed models');
  } catch (error) {
    opts.log.warn({ err: error, from: opts.from }, 'could not install models from the folder');
  }
}
