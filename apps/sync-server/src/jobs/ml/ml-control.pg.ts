// Core's MlControl on the server (the getMlStatus, updateMlSettings and downloadModel routes):
// settings in the `settings` table, the models' state, and downloads on request (never by
// themselves). When models arrive or a feature is switched on, the assets that missed ML work get
// their jobs (the job system's backfill). Mirrors the desktop's EngineMlControl.
import { sql } from 'drizzle-orm';
import type { MlControl } from '@shoebox/core';
import { AppError, type MlSettings, type MlStatus, type ModelDownload, type ModelStatus } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { MlClient } from '@shoebox/media-node/ml/ml-client';
import { CLIP_MODELS, FACE_MODELS } from '@shoebox/media-node/ml/ml-models';
import { downloadModel } from '@shoebox/media-node/ml/model-download';
import { num, type SqlDb } from '../sql-exec.ts';
import type { PgMlSettings } from './ml-settings.pg.ts';
import type { ModelAvailability } from './model-availability.ts';

const IDLE: ModelDownload = { state: 'idle', receivedBytes: 0, totalBytes: 0, error: null };

export interface MlControlDeps {
  db: SqlDb;
  settings: PgMlSettings;
  models: ModelAvailability;
  client: Pick<MlClient, 'loaded' | 'reset'>;
  log: Logger;
  /** Models arrived or a feature was switched on: queue the ML work that was skipped. */
  onChange: () => Promise<unknown>;
}

export class PgMlControl implements MlControl {
  private readonly deps: MlControlDeps;
  private readonly downloads = new Map<string, ModelDownload>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly controllers = new Set<AbortController>();

  constructor(deps: MlControlDeps) {
    this.deps = deps;
  }

  private changed(): void {
    this.deps.models.forget();
    void this.deps.onChange().catch((error: unknown) => this.deps.log.error({ err: error }, 'could not queue ML work'));
  }

  async settings(): Promise<MlSettings> {
    return await this.deps.settings.get();
  }

  async updateSettings(patch: Partial<MlSettings>): Promise<MlSettings> {
    const before = await this.deps.settings.get();
    const after = await this.deps.settings.update(patch);
    const switchedOn = (k: 'enabled' | 'faces' | 'smartSearch'): boolean => !before[k] && after[k];
    if (switchedOn('enabled') || switchedOn('faces') || switchedOn('smartSearch')) this.changed();
    return after;
  }

  private modelStatus(id: string): ModelStatus {
    const entry = this.deps.models.store.entry(id);
    if (!entry) throw new AppError('MODEL_NOT_FOUND', `no model called ${id}`);
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

  /** The models and settings are the server's; the count is of this owner's assets only. */
  async status(ownerId: string): Promise<MlStatus> {
    const models = this.deps.models.store.ids().map((id) => this.modelStatus(id));
    const [row] = await this.deps.db.rows<{ n: unknown }>(sql`SELECT count(*) AS n FROM smart_embeddings WHERE owner_id = ${ownerId}`);
    return {
      settings: await this.settings(),
      modelsDir: this.deps.models.dir,
      models,
      faces: { ready: this.deps.models.ready(FACE_MODELS) },
      smartSearch: { ready: this.deps.models.ready(CLIP_MODELS), indexed: num(row?.n ?? 0) },
    };
  }

  /** Starts the download (or joins the one running) and answers at once with the model's status. */
  download(id: string): ModelStatus {
    this.modelStatus(id);
    if (!this.running.has(id)) {
      this.downloads.set(id, { state: 'downloading', receivedBytes: 0, totalBytes: 0, error: null });
      const controller = new AbortController();
      this.controllers.add(controller);
      const run = downloadModel(this.deps.models.store, id, {
        signal: controller.signal,
        onProgress: (p) => {
          this.downloads.set(id, { state: p.phase, receivedBytes: p.receivedBytes, totalBytes: p.totalBytes, error: null });
        },
      })
        .then(async () => {
          const d = this.downloads.get(id);
          this.downloads.set(id, { state: 'done', receivedBytes: d?.totalBytes ?? 0, totalBytes: d?.totalBytes ?? 0, error: null });
          this.deps.log.info({ model: id }, 'model downloaded');
          await this.deps.client.reset().catch(() => undefined);
          this.changed();
        })
        .catch((error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          const d = this.downloads.get(id);
          this.downloads.set(id, { state: 'failed', receivedBytes: d?.receivedBytes ?? 0, totalBytes: d?.totalBytes ?? 0, error: message });
          this.deps.log.warn({ model: id, err: error }, 'model download failed');
        })
        .finally(() => {
          this.running.delete(id);
          this.controllers.delete(controller);
        });
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

  /** Stops the downloads in progress (shutdown) and waits for them to wind down. */
  async close(): Promise<void> {
    for (const c of this.controllers) c.abort();
    await Promise.all([...this.running.values()]);
  }
}
