// The `thumbnail`, `preview` and `transcode` jobs: each loads its asset, skips work already done
// for this content and pipeline version (unless `regenerate` forces it), asks a media worker to
// make the files and hands back the catalog writes. A failure that will recur (the file cannot be
// decoded, ffmpeg is missing) is recorded on the derivative at once; others are retried and
// recorded when the attempts run out.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { DERIVATIVE_VERSION, PermanentJobError, type JobPayload } from '@shoebox/core';
import type { PreviewOutput, ThumbnailOutput, VideoOutput } from '@shoebox/media-node/media/derivative-tasks';
import type { MediaWorkers } from '@shoebox/media-node/workers/worker-pool';
import { PoolClosedError, WorkerTaskError } from '@shoebox/media-node/workers/worker.protocol';
import type { ClaimedJob, JobOutcome } from '../job.types.ts';
import { numOrNull, type SqlDb } from '../sql-exec.ts';
import type { DerivativeStore } from './derivative-store.ts';
import * as write from './derivative.persist.ts';

interface AssetForMedia {
  ownerId: string;
  path: string;
  checksum: string;
  type: 'image' | 'video';
  fileType: string | null;
  duration: number | null;
  orientation: number | null;
  thumbnailPath: string | null;
  thumbnailChecksum: string | null;
  thumbnailVersion: number | null;
  previewPath: string | null;
  previewChecksum: string | null;
  previewVersion: number | null;
  videoState: string | null;
  videoPath: string | null;
  videoChecksum: string | null;
  videoVersion: number | null;
}

type Payload = JobPayload<'thumbnail'>;

/** A decoder that has not answered by then is stuck, and its worker is replaced (ffmpeg has its own limits). */
const THUMBNAIL_TIMEOUT_MS = 120_000;
const PREVIEW_TIMEOUT_MS = 300_000;

export interface DerivativeHandlerDeps {
  db: SqlDb;
  pool: MediaWorkers;
  store: DerivativeStore;
}

/** A failure that is final for this attempt: recurring ones now, transient ones on the last try. */
function finalFailure(error: unknown, job: ClaimedJob): { message: string; undecodable: boolean } | null {
  // Cut short by shutdown: the runner returns it to the queue.
  if (error instanceof PoolClosedError) return null;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof WorkerTaskError && error.failure !== 'transient') {
    return { message, undecodable: error.failure === 'undecodable' };
  }
  return job.attempts >= job.maxAttempts ? { message, undecodable: false } : null;
}

export function createDerivativeHandlers({ db, pool, store }: DerivativeHandlerDeps) {
  /** The asset, unless it was removed since the job was queued or its storage is offline. */
  const load = async (assetId: string): Promise<AssetForMedia | null> => {
    const [r] = await db.rows(sql`
      SELECT a.owner_id, a.path, a.checksum, a.type, e.file_type, a.duration, a.orientation, a.offline, a.visibility,
        d.thumbnail_path, d.thumbnail_checksum, d.thumbnail_version, d.preview_path, d.preview_checksum, d.preview_version,
        d.video_state, d.video_path, d.video_checksum, d.video_version
      FROM assets a LEFT JOIN exif e ON e.asset_id = a.id LEFT JOIN derivatives d ON d.asset_id = a.id
      WHERE a.id = ${assetId}`);
    if (!r || r.offline || r.visibility === 'removed') return null;
    return {
      ownerId: r.owner_id as string, path: r.path as string, checksum: r.checksum as string, type: r.type as 'image' | 'video',
      fileType: (r.file_type as string | null) ?? null, duration: numOrNull(r.duration), orientation: numOrNull(r.orientation),
      thumbnailPath: r.thumbnail_path as string | null, thumbnailChecksum: r.thumbnail_checksum as string | null,
      thumbnailVersion: numOrNull(r.thumbnail_version),
      previewPath: r.preview_path as string | null, previewChecksum: r.preview_checksum as string | null,
      previewVersion: numOrNull(r.preview_version),
      videoState: r.video_state as string | null, videoPath: r.video_path as string | null,
      videoChecksum: r.video_checksum as string | null, videoVersion: numOrNull(r.video_version),
    };
  };

  const current = (a: AssetForMedia, checksum: string | null, version: number | null, rel: string | null): boolean =>
    checksum === a.checksum && version === DERIVATIVE_VERSION && rel !== null && fs.existsSync(store.abs(rel));

  const input = (a: AssetForMedia) => ({
    path: a.path, assetType: a.type, fileType: a.fileType, duration: a.duration, orientation: a.orientation,
  });

  const thumbnail = async ({ assetId, force }: Payload, job: ClaimedJob): Promise<JobOutcome> => {
    const a = await load(assetId);
    if (!a) return {};
    const facts = { assetType: a.type };
    if (!force?.includes('images') && current(a, a.thumbnailChecksum, a.thumbnailVersion, a.thumbnailPath)) return { facts };
    const target = { id: assetId, ownerId: a.ownerId, checksum: a.checksum };
    const thumbAbs = store.thumbnail(a.ownerId, assetId);
    const previewBase = store.previewBase(a.ownerId, assetId);
    try {
      const r = await pool.call<ThumbnailOutput>({
        type: 'thumbnail', input: input(a), out: { thumbnail: thumbAbs, previewBase },
      }, { timeoutMs: a.type === 'video' ? undefined : THUMBNAIL_TIMEOUT_MS });
      const preview = r.preview ? { rel: store.rel(r.preview.path), width: r.preview.width, height: r.preview.height } : null;
      return {
        facts,
        // Made in the same pass (small pictures, video frames): the preview job then finds it
        // current at once, and queues what follows the preview (the ML jobs).
        commit: (tx) => write.thumbnailMade(tx, target, {
          rel: store.rel(thumbAbs), width: r.thumbnail.width, height: r.thumbnail.height, source: r.thumbnail.source,
          thumbhash: r.thumbhash, preview,
        }),
      };
    } catch (error) {
      const final = finalFailure(error, job);
      if (!final) throw error;
      // A picture that cannot be decoded is a broken file; a missing tool is the machine's problem.
      return { failed: final.message, commit: (tx) => write.thumbnailFailed(tx, target, final.message, final.undecodable) };
    }
  };

  const preview = async ({ assetId, force }: Payload, job: ClaimedJob): Promise<JobOutcome> => {
    const a = await load(assetId);
    if (!a) return {};
    const facts = { assetType: a.type };
    if (!force?.includes('images') && current(a, a.previewChecksum, a.previewVersion, a.previewPath)) return { facts };
    const target = { id: assetId, ownerId: a.ownerId, checksum: a.checksum };
    try {
      const r = await pool.call<PreviewOutput>(
        { type: 'preview', input: input(a), out: { previewBase: store.previewBase(a.ownerId, assetId) } },
        { timeoutMs: PREVIEW_TIMEOUT_MS },
      );
      const made = { rel: store.rel(r.preview.path), width: r.preview.width, height: r.preview.height };
      return { facts, commit: (tx) => write.previewMade(tx, target, made) };
    } catch (error) {
      const final = finalFailure(error, job);
      if (!final) throw error;
      return { failed: final.message, commit: (tx) => write.previewFailed(tx, target, final.message) };
    }
  };

  const transcode = async ({ assetId, force }: Payload, job: ClaimedJob): Promise<JobOutcome> => {
    const a = await load(assetId);
    if (!a) return {};
    if (a.type !== 'video') throw new PermanentJobError('only videos are transcoded');
    const facts = { assetType: a.type };
    const done = a.videoChecksum === a.checksum && a.videoVersion === DERIVATIVE_VERSION &&
      (a.videoState === 'original' || (a.videoState === 'transcoded' && a.videoPath !== null && fs.existsSync(store.abs(a.videoPath))));
    if (!force?.includes('videos') && done) return { facts };
    const target = { id: assetId, ownerId: a.ownerId, checksum: a.checksum };
    const out = store.video(a.ownerId, assetId);
    try {
      const r = await pool.call<VideoOutput>({ type: 'video', input: input(a), out: { video: out } });
      return { facts, commit: (tx) => write.videoMade(tx, target, r.state, r.state === 'transcoded' ? store.rel(out) : null) };
    } catch (error) {
      const final = finalFailure(error, job);
      if (!final) throw error;
      // A transcode made from earlier content must not be served as this one's.
      fs.rmSync(out, { force: true });
      return { failed: final.message, commit: (tx) => write.videoFailed(tx, target, final.message) };
    }
  };

  return { thumbnail, preview, transcode };
}
