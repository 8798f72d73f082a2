// The `faces`, `clip` and `cluster` jobs. Faces and CLIP run on the asset's preview in the ML worker
// and are skipped while ML (or that feature) is off or its models are not installed; the backfill
// queues them when that changes. Results are written with the content checksum and model they were
// made from (ml_state), so a changed file or model runs them again.
import { sql } from 'drizzle-orm';
import { boxIou, uuidv7, type JobPayload } from '@shoebox/core';
import { AppError } from '@shoebox/core/contract';
import type { MlClient } from '@shoebox/media-node/ml/ml-client';
import { CLIP_VISION, FACE_MODELS, facesModelTag } from '@shoebox/media-node/ml/ml-models';
import { PoolClosedError, WorkerTaskError } from '@shoebox/media-node/workers/worker.protocol';
import type { ClaimedJob, JobOutcome } from '../job.types.ts';
import { num, type SqlDb, type SqlExec } from '../sql-exec.ts';
import type { DerivativeStore } from '../handlers/derivative-store.ts';
import type { PgMlSettings } from './ml-settings.pg.ts';
import type { ModelAvailability } from './model-availability.ts';

type Payload = JobPayload<'faces'>;

export interface MlHandlerDeps {
  db: SqlDb;
  ml: Pick<MlClient, 'faces' | 'clipImage'>;
  settings: PgMlSettings;
  models: Pick<ModelAvailability, 'ready' | 'tag'>;
  store: DerivativeStore;
  /** Places the owner's new faces into people (the `cluster` job). */
  cluster: (ownerId: string) => Promise<void>;
}

interface AssetForMl {
  ownerId: string;
  checksum: string;
  type: 'image' | 'video';
  preview: string;
}

interface OldFace {
  person_id: string | null;
  assigned_by: 'machine' | 'user' | null;
  rejected: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A float vector as a real[] parameter. */
export function realArray(values: ArrayLike<number>) {
  return sql`${`{${Array.from(values, (v) => String(v)).join(',')}}`}::real[]`;
}

async function saveState(
  tx: SqlExec, a: { id: string; ownerId: string }, task: 'faces' | 'clip', checksum: string, model: string, error: string | null,
): Promise<void> {
  await tx.rows(sql`
    INSERT INTO ml_state (asset_id, owner_id, task, checksum, model, error, updated_at)
    SELECT ${a.id}, ${a.ownerId}, ${task}, ${checksum}, ${model}, ${error}, now()
    WHERE EXISTS (SELECT 1 FROM assets WHERE id = ${a.id} AND owner_id = ${a.ownerId} AND checksum = ${checksum})
    ON CONFLICT (asset_id, task) DO UPDATE SET checksum = excluded.checksum, model = excluded.model, error = excluded.error,
      updated_at = excluded.updated_at`);
}

export function createMlHandlers(deps: MlHandlerDeps) {
  const { db, ml, settings, models, store } = deps;

  /** The asset's current preview, unless it went away, went offline or has none for this content. */
  const previewOf = async (assetId: string): Promise<AssetForMl | null> => {
    const [r] = await db.rows(sql`
      SELECT a.owner_id, a.checksum, a.type, a.offline, d.preview_path, d.preview_checksum
      FROM assets a LEFT JOIN derivatives d ON d.asset_id = a.id
      WHERE a.id = ${assetId} AND a.visibility <> 'removed'`);
    if (!r || r.offline || !r.preview_path || r.preview_checksum !== r.checksum) return null;
    return { ownerId: r.owner_id as string, checksum: r.checksum as string, type: r.type as 'image' | 'video', preview: store.abs(r.preview_path as string) };
  };

  const done = async (assetId: string, task: 'faces' | 'clip', checksum: string, model: string): Promise<boolean> => {
    const rows = await db.rows(sql`
      SELECT 1 FROM ml_state WHERE asset_id = ${assetId} AND task = ${task} AND checksum = ${checksum} AND model = ${model}`);
    return rows.length > 0;
  };

  /**
   * What a failed request means for the job: a model that went missing skips it (the backfill
   * queues it when the model is back); a picture the worker cannot read fails for good, recorded
   * in ml_state; anything else is retried until the last attempt.
   */
  const failed = (error: unknown, job: ClaimedJob, a: { id: string; ownerId: string }, task: 'faces' | 'clip', checksum: string, model: string): JobOutcome => {
    if (error instanceof AppError && error.code === 'MODEL_MISSING') return {};
    if (error instanceof PoolClosedError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof WorkerTaskError && error.failure === 'undecodable';
    if (!final && job.attempts < job.maxAttempts) throw error;
    return { failed: message, commit: (tx) => saveState(tx, a, task, checksum, model, message) };
  };

  const faces = async ({ assetId, force }: Payload, job: ClaimedJob): Promise<JobOutcome> => {
    const s = await settings.get();
    if (!s.enabled || !s.faces || !models.ready(FACE_MODELS)) return {};
    const a = await previewOf(assetId);
    if (!a) return {};
    const model = facesModelTag(models.tag);
    if (!force?.includes('images') && await done(assetId, 'faces', a.checksum, model)) return {};
    const cropBase = store.faceCropBase(a.ownerId, assetId);
    const ref = { id: assetId, ownerId: a.ownerId };
    try {
      const r = await ml.faces(a.preview, cropBase, { minScore: s.minFaceScore, minFaceSize: s.minFaceSize });
      return {
        facts: { assetType: a.type },
        commit: async (tx) => {
          const [current] = await tx.rows(sql`SELECT 1 FROM assets WHERE id = ${assetId} AND checksum = ${a.checksum} FOR UPDATE`);
          if (!current) return;
          // Faces found again where they were keep the person they had (and a hand placement).
          const before = (await tx.rows<OldFace>(sql`
            SELECT person_id, assigned_by, rejected, x, y, width, height FROM faces WHERE asset_id = ${assetId}`))
            .map((o) => ({ ...o, x: num(o.x), y: num(o.y), width: num(o.width), height: num(o.height) }));
          await tx.rows(sql`DELETE FROM faces WHERE asset_id = ${assetId}`);
          const now = Date.now();
          for (const [i, f] of r.faces.entries()) {
            const same = before.find((o) => boxIou(o, f.box) > 0.5);
            const personId = same?.person_id ?? null;
            const crop = f.crop ? store.rel(f.crop) : null;
            await tx.rows(sql`
              INSERT INTO faces (id, owner_id, asset_id, person_id, assigned_by, rejected, clustered, x, y, width, height,
                landmarks, score, embedding, thumbnail_path, created_at)
              VALUES (${uuidv7(now + i)}, ${a.ownerId}, ${assetId}, ${personId}, ${personId ? same!.assigned_by : null},
                ${same?.rejected ?? false}, ${!!same && (!!personId || same.rejected)},
                ${f.box.x}, ${f.box.y}, ${f.box.width}, ${f.box.height}, ${JSON.stringify(f.landmarks)}::jsonb, ${f.score},
                ${realArray(f.embedding)}, ${crop}, ${new Date(now + i).toISOString()}::timestamptz)`);
          }
          await tx.rows(sql`
            DELETE FROM people p WHERE p.owner_id = ${a.ownerId}
              AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = p.id)`);
          await saveState(tx, ref, 'faces', a.checksum, model, null);
        },
      };
    } catch (error) {
      return failed(error, job, ref, 'faces', a.checksum, model);
    }
  };

  const clip = async ({ assetId, force }: Payload, job: ClaimedJob): Promise<JobOutcome> => {
    const s = await settings.get();
    if (!s.enabled || !s.smartSearch || !models.ready([CLIP_VISION])) return {};
    const a = await previewOf(assetId);
    if (!a) return {};
    const model = models.tag(CLIP_VISION);
    if (!force?.includes('images') && await done(assetId, 'clip', a.checksum, model)) return {};
    const ref = { id: assetId, ownerId: a.ownerId };
    try {
      const r = await ml.clipImage(a.preview);
      return {
        facts: { assetType: a.type },
        commit: async (tx) => {
          await tx.rows(sql`
            INSERT INTO smart_embeddings (asset_id, owner_id, model, embedding)
            SELECT ${assetId}, ${a.ownerId}, ${r.model}, ${realArray(r.embedding)}
            WHERE EXISTS (SELECT 1 FROM assets WHERE id = ${assetId} AND checksum = ${a.checksum})
            ON CONFLICT (asset_id) DO UPDATE SET model = excluded.model, embedding = excluded.embedding`);
          await saveState(tx, ref, 'clip', a.checksum, r.model, null);
        },
      };
    } catch (error) {
      return failed(error, job, ref, 'clip', a.checksum, model);
    }
  };

  const cluster = async (_payload: Payload, job: ClaimedJob): Promise<JobOutcome> => {
    if (job.ownerId) await deps.cluster(job.ownerId);
    return {};
  };

  return { faces, clip, cluster };
}
