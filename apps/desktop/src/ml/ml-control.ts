// What the API and the CLI see of ML: settings, the models' state (present, missing, loaded,
// downloading) and downloads on request. When models arrive or a feature is switched on, the
// assets that missed ML work get their jobs (ml-backfill).
import type { MlControl } from '@shoebox/core';
import { AppError, type MlSettings, type MlStatus, type ModelDownload, type ModelStatus } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { MlClient } from '@shoebox/media-node/ml/ml-client';
import { CLIP_MODELS, FACE_MODELS } from '@shoebox/media-node/ml/ml-models';
import type { ModelCatalog } from '@shoebox/media-node/ml/model-catalog';
import type { MlSettingsStore } from './ml-settings.ts';

const IDLE: ModelDownload = { state: 'idle', receivedBytes: 0, totalBytes: 0, error: null };

export interface MlControlDeps {
  settings: MlSettingsStore;
  models: ModelCatalog;
  client: MlClient;
  log: Logger;
  /** Counts assets with a CLIP embedding. */
  indexed: () => number;
  /** Models arrived or a feature was switched on: queue the ML work that was skipped. */
  onChange: () => void;
}

export class EngineMlControl implements MlControl {
  private readonly deps: MlControlDeps;
  private readonly downloads = new Map<string, ModelDownload>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(deps: MlControlDeps) {
    this.deps = deps;
  }

  settings(): MlSettings {
    return this.deps.settings.get();
  }

  updateSettings(patch: Partial<MlSettings>): MlSettings {
    const before = this.deps.settings.get();
    const after = this.deps.settings.update(patch);
    const switchedOn = (k: 'enabled' | 'faces' | 'smartSearch'): boolean => !before[k] && after[k];
    if (switchedOn('enabled') || switchedOn('faces') || switchedOn('smartSearch')) this.deps.onChange();
    return after;
  }

  private modelStatus(id: string): ModelStatus {
    const entry = this.deps.models.entry(id);
    if (!entry) throw new AppError('MODEL_NOT_FOUND', `no model called ${id} (see shoebox ml status)`);
    return {
      id,
      task: entry.task,
      name: entry.name,
      bytes: entry.files.reduce((n, f) => n + f.bytes, 0),
      license: entry.license,
      state: this.deps.models.state(id),
      loaded: this.deps.client.loaded().includes(id),
      download: this.downloads.get(id) ?? IDLE,
    };
  }

  /** One owner on the desktop: the count is the whole library's. */
  status(_ownerId?: string): MlStatus {
    const models = this.deps.models.ids().map((id) => this.modelStatus(id));
    const present = (ids: readonly string[]): boolean => ids.every((id) => this.deps.models.state(id) === 'present');
    return {
      settings: this.settings(),
      modelsDir: this.deps.models.dir,
      models,
      faces: { ready: present(FACE_MODELS) },
      smartSearch: { ready: present(CLIP_MODELS), indexed: this.deps.indexed() },
    };
  }

  /** Starts the download (or joins the one running) and answers at once with the model's status. */
  download(id: string): ModelStatus {
    this.modelStatus(id);
    if (!this.running.has(id)) {
      this.downloads.set(id, { state: 'downloading', receivedBytes: 0, totalBytes: 0, error: null });
      const run = this.deps.models
        .download(id, (receivedBytes, totalBytes) => {
          this.downloads.set(id, { state: receivedBytes >= totalBytes ? 'verifying' : 'downloading', receivedBytes, totalBytes, error: null });
        })
        .then(async () => {
          const d = this.downloads.get(id);
          this.downloads.set(id, { state: 'done', receivedBytes: d?.totalBytes ?? 0, totalBytes: d?.totalBytes ?? 0, error: null });
          this.deps.log.info({ model: id }, 'model downloaded');
          await this.deps.client.reset().catch(() => undefined);
          this.deps.onChange();
        })
        .catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          const d = this.downloads.get(id);
          this.downloads.set(id, { state: 'failed', receivedBytes: d?.receivedBytes ?? 0, totalBytes: d?.totalBytes ?? 0, error: message });
          this.deps.log.warn({ model: id, err: error }, 'model download failed');
        })
        .finally(() => this.running.delete(id));
      this.running.set(id, run);
    }
    return this.modelStatus(id);
  }

  /** Resolves when the model's download has finished; rejects with its error. */
  async downloaded(id: string): Promise<void> {
    await this.running.get(id);
    const d = this.downloads.get(id);
    if (d?.state === 'failed') throw new AppError('DOWNLOAD_FAILED', d.error ?? `could not download ${id}`);
  }

  async whenDownloadsDone(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }
}
