// The `faces`, `clip` and `cluster` jobs. Faces and CLIP run on the asset's preview in the ML
// worker and are skipped while ML (or that feature) is off or its models are not installed; the
// engine queues them again when that changes (ml-backfill). Results are written with the
// content checksum and model they were made from, so a changed file or model runs them again.
import path from 'node:path';
import { boxIou, uuidv7, type JobPayload } from '@shoebox/core';
import { AppError } from '@shoebox/core/contract';
import type { Sqlite } from '../db/connection.ts';
import type { JobOutcome } from '../jobs/job.runner.ts';
import type { JobRow } from '../jobs/job.queue.ts';
import type { MlClient } from '@shoebox/media-node/ml/ml-client';
import { CLIP_VISION, FACE_MODELS, facesModelTag } from '@shoebox/media-node/ml/ml-models';
import type { MlSettingsStore } from '../ml/ml-settings.ts';
import { PoolClosedError, WorkerTaskError } from '@shoebox/media-node/workers/worker.protocol';
import type { DerivativeStore } from './derivative-store.ts';

type Payload = JobPayload<'faces'>;

/** What the handlers need to know about the models, without loading them. */
export interface ModelAvailability {
  /** Every model is present (stat only; the worker verifies checksums before loading). */
  ready(ids: readonly string[]): boolean;
  /** `id@<sha256 prefix>` of the manifest's current file. */
  tag(id: string): string;
}

export interface MlHandlerDeps {
  sqlite: Sqlite;
  ml: MlClient;
  settings: MlSettingsStore;
  models: ModelAvailability;
  store: DerivativeStore;
  vectors: { upsert(assetId: string, model: string, embedding: Float32Array): void };
  cluster: () => Promise<void>;
}

interface AssetForMl {
  checksum: string;
  type: 'image' | 'video';
  offline: number;
  previewPath: string | null;
  previewChecksum: string | null;
}

interface OldFace {
  id: string;
  personId: string | null;
  assignedBy: 'machine' | 'user' | null;
  rejected: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export function createMlHandlers(deps: MlHandlerDeps) {
  const { sqlite, ml, settings, models, store } = deps;
  const load = sqlite.prepare(`SELECT a.checksum, a.type, a.offline, d.preview_path AS previewPath, d.preview_checksum AS previewChecksum
    FROM assets a LEFT JOIN derivatives d ON d.asset_id = a.id WHERE a.id = ? AND a.visibility != 'removed'`);
  const stateOf = sqlite.prepare(`SELECT checksum, model, error FROM ml_state WHERE asset_id = ? AND task = ?`);
  const saveState = sqlite.prepare(`INSERT INTO ml_state (asset_id, task, checksum, model, error, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(asset_id, task) DO UPDATE SET checksum = excluded.checksum, model = excluded.model, error = excluded.error, updated_at = excluded.updated_at`);
  const oldFaces = sqlite.prepare(`SELECT id, person_id AS personId, assigned_by AS assignedBy, rejected, x, y, width, height FROM faces WHERE asset_id = ?`);
  const deleteFaces = sqlite.prepare(`DELETE FROM faces WHERE asset_id = ?`);
  const insertFace = sqlite.prepare(`INSERT INTO faces (id, asset_id, person_id, assigned_by, rejected, clustered, x, y, width, height, landmarks,
    score, embedding, thumbnail_path, created_at) VALUES (@id, @assetId, @personId, @assignedBy, @rejected, @clustered, @x, @y, @width, @height,
    @landmarks, @score, @embedding, @thumbnailPath, @createdAt)`);
  const dropEmptyPeople = sqlite.prepare(`DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = people.id)`);

  /** The asset's current preview, unless it went away, went offline or has none for this content. */
  const previewOf = (assetId: string): { a: AssetForMl; preview: string } | null => {
    const a = load.get(assetId) as AssetForMl | undefined;
    if (!a || a.offline || !a.previewPath || a.previewChecksum !== a.checksum) return null;
    return { a, preview: store.abs(a.previewPath) };
  };

  const done = (assetId: string, task: 'faces' | 'clip', checksum: string, model: string): boolean => {
    const s = stateOf.get(assetId, task) as { checksum: string; model: string; error: string | null } | undefined;
    return !!s && s.checksum === checksum && s.model === model;
  };

  /**
   * What a failed request means for the job: a model that went missing skips it (the backfill
   * queues it when the model is back); a picture the worker cannot read fails for good, recorded
   * on the asset; anything else is retried until the last attempt.
   */
  const failed = (error: unknown, job: JobRow, assetId: string, task: 'faces' | 'clip', checksum: string, model: string): JobOutcome => {
    if (error instanceof AppError && error.code === 'MODEL_MISSING') return {};
    if (error instanceof PoolClosedError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof WorkerTaskError && error.failure === 'undecodable';
    if (!final && job.attempts < job.max_attempts) throw error;
    return { failed: message, commit: () => saveState.run(assetId, task, checksum, model, message, Date.now()) };
  };

  const faces = async ({ assetId, force }: Payload, job: JobRow): Promise<JobOutcome> => {
    const s = settings.get();
    if (!s.enabled || !s.faces || !models.ready(FACE_MODELS)) return {};
    const found = previewOf(assetId);
    if (!found) return {};
    const { a, preview } = found;
    const model = facesModelTag(models.tag);
    if (!force?.includes('images') && done(assetId, 'faces', a.checksum, model)) return {};
    const cropRel = store.faceCropBaseRel(assetId);
    try {
      const r = await ml.faces(preview, store.abs(cropRel), { minScore: s.minFaceScore, minFaceSize: s.minFaceSize });
      const now = Date.now();
      return {
        facts: { assetType: a.type },
        commit: () => {
          // Faces found again where they were keep the person they had (and a hand placement).
          const before = oldFaces.all(assetId) as OldFace[];
          deleteFaces.run(assetId);
          for (const [i, f] of r.faces.entries()) {
            const same = before.find((o) => boxIou(o, f.box) > 0.5);
            insertFace.run({
              id: uuidv7(), assetId,
              personId: same?.personId ?? null, assignedBy: same?.personId ? same.assignedBy : null,
              rejected: same?.rejected ?? 0, clustered: same && (same.personId || same.rejected) ? 1 : 0,
              x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height,
              landmarks: JSON.stringify(f.landmarks), score: f.score,
              embedding: Buffer.from(f.embedding.buffer, f.embedding.byteOffset, f.embedding.byteLength),
              thumbnailPath: f.crop ? path.join(path.dirname(cropRel), path.basename(f.crop)) : null,
              createdAt: now + i,
            });
          }
          dropEmptyPeople.run();
          saveState.run(assetId, 'faces', a.checksum, model, null, now);
        },
      };
    } catch (error) {
      return failed(error, job, assetId, 'faces', a.checksum, model);
    }
  };

  const clip = async ({ assetId, force }: Payload, job: JobRow): Promise<JobOutcome> => {
    const s = settings.get();
    if (!s.enabled || !s.smartSearch || !models.ready([CLIP_VISION])) return {};
    const found = previewOf(assetId);
    if (!found) return {};
    const { a, preview } = found;
    const model = models.tag(CLIP_VISION);
    if (!force?.includes('images') && done(assetId, 'clip', a.checksum, model)) return {};
    try {
      const r = await ml.clipImage(preview);
      return {
        facts: { assetType: a.type },
        commit: () => {
          deps.vectors.upsert(assetId, r.model, r.embedding);
          saveState.run(assetId, 'clip', a.checksum, r.model, null, Date.now());
        },
      };
    } catch (error) {
      return failed(error, job, assetId, 'clip', a.checksum, model);
    }
  };

  const cluster = async (): Promise<JobOutcome> => {
    await deps.cluster();
    return {};
  };

  return { faces, clip, cluster };
}
