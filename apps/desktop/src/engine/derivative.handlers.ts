// The `thumbnail`, `preview` and `transcode` jobs: each loads its asset, skips work that is
// already done for this content and pipeline version (unless `regenerate` forces it), asks a media
// worker to make the files and hands back the catalog writes. A failure that will recur (the file
// cannot be decoded, ffmpeg is missing) is recorded on the derivative at once; others are retried
// and recorded when the attempts run out.
import fs from 'node:fs';
import { DERIVATIVE_VERSION, PermanentJobError, type JobPayload } from '@shoebox/core';
import type { Sqlite } from '../db/connection.ts';
import type { JobOutcome } from '../jobs/job.runner.ts';
import type { JobRow } from '../jobs/job.queue.ts';
import type { PreviewOutput, ThumbnailOutput, VideoOutput } from '@shoebox/media-node/media/derivative-tasks';
import type { MediaWorkers } from '@shoebox/media-node/workers/worker-pool';
import { PoolClosedError, WorkerTaskError } from '@shoebox/media-node/workers/worker.protocol';
import type { DerivativeWriter } from './derivative.persist.ts';
import type { DerivativeStore } from './derivative-store.ts';

interface AssetForMedia {
  path: string;
  checksum: string;
  type: 'image' | 'video';
  fileType: string | null;
  duration: number | null;
  orientation: number | null;
  offline: number;
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

/**
 * Time limits for one picture: a decoder that has not answered by then is stuck, and its worker
 * is replaced (ffmpeg has limits of its own, scaled to the video's length).
 */
const THUMBNAIL_TIMEOUT_MS = 120_000;
const PREVIEW_TIMEOUT_MS = 300_000;

export interface DerivativeHandlerDeps {
  sqlite: Sqlite;
  pool: MediaWorkers;
  writer: DerivativeWriter;
  store: DerivativeStore;
}

/** A failure that is final for this attempt: recurring ones now, transient ones on the last try. */
function finalFailure(error: unknown, job: JobRow): { message: string; undecodable: boolean } | null {
  // Cut short by shutdown: the runner leaves it for the next start.
  if (error instanceof PoolClosedError) return null;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof WorkerTaskError && error.failure !== 'transient') {
    return { message, undecodable: error.failure === 'undecodable' };
  }
  return job.attempts >= job.max_attempts ? { message, undecodable: false } : null;
}

export function createDerivativeHandlers(deps: DerivativeHandlerDeps) {
  const { sqlite, pool, writer, store } = deps;
  const load = sqlite.prepare(`
    SELECT a.path, a.checksum, a.type, e.file_type AS fileType, a.duration, a.orientation, a.offline,
      d.thumbnail_path AS thumbnailPath, d.thumbnail_checksum AS thumbnailChecksum, d.thumbnail_version AS thumbnailVersion,
      d.preview_path AS previewPath, d.preview_checksum AS previewChecksum, d.preview_version AS previewVersion,
      d.video_state AS videoState, d.video_path AS videoPath, d.video_checksum AS videoChecksum, d.video_version AS videoVersion
    FROM assets a LEFT JOIN exif e ON e.asset_id = a.id LEFT JOIN derivatives d ON d.asset_id = a.id
    WHERE a.id = ?`);

  /** The asset, unless it was removed or went offline since the job was queued (a rescan queues it again). */
  const online = (assetId: string): AssetForMedia | null => {
    const a = load.get(assetId) as AssetForMedia | undefined;
    return a && !a.offline ? a : null;
  };

  const current = (a: AssetForMedia, checksum: string | null, version: number | null, rel: string | null): boolean =>
    checksum === a.checksum && version === DERIVATIVE_VERSION && rel !== null && fs.existsSync(store.abs(rel));

  const input = (a: AssetForMedia) => ({
    path: a.path, assetType: a.type, fileType: a.fileType, duration: a.duration, orientation: a.orientation,
  });

  const thumbnail = async ({ assetId, force }: Payload, job: JobRow): Promise<JobOutcome> => {
    const a = online(assetId);
    if (!a) return {};
    const facts = { assetType: a.type };
    if (!force?.includes('images') && current(a, a.thumbnailChecksum, a.thumbnailVersion, a.thumbnailPath)) return { facts };
    const thumbRel = store.thumbnailRel(assetId);
    const previewBase = store.previewBaseRel(assetId);
    try {
      const r = await pool.call<ThumbnailOutput>({
        type: 'thumbnail', input: input(a), out: { thumbnail: store.abs(thumbRel), previewBase: store.abs(previewBase) },
      }, { timeoutMs: a.type === 'video' ? undefined : THUMBNAIL_TIMEOUT_MS });
      const preview = r.preview ? { rel: `${previewBase}${r.preview.path.slice(r.preview.path.lastIndexOf('.'))}`, width: r.preview.width, height: r.preview.height } : null;
      return {
        facts,
        // Made in the same pass (small pictures, video frames, RAW previews): the preview job then
        // finds it current at once, and queues what follows the preview (the ML jobs).
        commit: () => writer.thumbnailMade(assetId, a.checksum, {
          rel: thumbRel, width: r.thumbnail.width, height: r.thumbnail.height, source: r.thumbnail.source, thumbhash: r.thumbhash, preview,
        }),
      };
    } catch (error) {
      const final = finalFailure(error, job);
      if (!final) throw error;
      // A picture that cannot be decoded is a broken file; a missing tool is the machine's problem.
      return { failed: final.message, commit: () => writer.thumbnailFailed(assetId, a.checksum, final.message, final.undecodable) };
    }
  };

  const preview = async ({ assetId, force }: Payload, job: JobRow): Promise<JobOutcome> => {
    const a = online(assetId);
    if (!a) return {};
    const facts = { assetType: a.type };
    if (!force?.includes('images') && current(a, a.previewChecksum, a.previewVersion, a.previewPath)) return { facts };
    const base = store.previewBaseRel(assetId);
    try {
      const r = await pool.call<PreviewOutput>(
        { type: 'preview', input: input(a), out: { previewBase: store.abs(base) } },
        { timeoutMs: PREVIEW_TIMEOUT_MS },
      );
      const rel = `${base}${r.preview.path.slice(r.preview.path.lastIndexOf('.'))}`;
      return { facts, commit: () => writer.previewMade(assetId, a.checksum, { rel, width: r.preview.width, height: r.preview.height }) };
    } catch (error) {
      const final = finalFailure(error, job);
      if (!final) throw error;
      return { failed: final.message, commit: () => writer.previewFailed(assetId, a.checksum, final.message) };
    }
  };

  const transcode = async ({ assetId, force }: Payload, job: JobRow): Promise<JobOutcome> => {
    const a = online(assetId);
    if (!a) return {};
    if (a.type !== 'video') throw new PermanentJobError('only videos are transcoded');
    const facts = { assetType: a.type };
    const done = a.videoChecksum === a.checksum && a.videoVersion === DERIVATIVE_VERSION &&
      (a.videoState === 'original' || (a.videoState === 'transcoded' && a.videoPath !== null && fs.existsSync(store.abs(a.videoPath))));
    if (!force?.includes('videos') && done) return { facts };
    const rel = store.videoRel(assetId);
    try {
      const r = await pool.call<VideoOutput>({ type: 'video', input: input(a), out: { video: store.abs(rel) } });
      return { facts, commit: () => writer.videoMade(assetId, a.checksum, r.state, r.state === 'transcoded' ? rel : null) };
    } catch (error) {
      const final = finalFailure(error, job);
      if (!final) throw error;
      // A transcode made from earlier content must not be served as this one's.
      fs.rmSync(store.abs(rel), { force: true });
      return { failed: final.message, commit: () => writer.videoFailed(assetId, a.checksum, final.message) };
    }
  };

  return { thumbnail, preview, transcode };
}
