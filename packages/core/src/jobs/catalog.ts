// The job catalog: every job the pipeline knows, declared as data (lane, payload schema, dedupe
// key, retry policy, follow-ups). Each app supplies a handler map the compiler checks is complete.
import { z } from 'zod';
import type { JobLane } from '../contract/schemas/job.schemas.ts';

export interface JobDefinition<P extends z.ZodType = z.ZodType> {
  lane: JobLane;
  payload: P;
  /** Identifies the job's subject: queuing it again while it waits is a no-op. */
  dedupeKey: (payload: z.infer<P>) => string;
  maxAttempts: number;
  /** First retry delay; doubles per attempt. */
  backoffMs: number;
  /** Jobs queued when this one succeeds, with the same payload; `when` filters by asset type. */
  followUps: readonly FollowUp[];
  /** Which asset a job concerns (for failure reports). */
  assetId: (payload: z.infer<P>) => string | null;
}

export interface FollowUp {
  job: string;
  when?: 'image' | 'video';
}

function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

const AssetPayload = z.object({
  assetId: z.uuid(),
  /**
   * Remake what already exists (`shoebox regenerate`): `images` for thumbnails and previews,
   * `videos` for playable videos. Carried on to the follow-ups.
   */
  force: z.array(z.enum(['images', 'videos'])).optional(),
});

export const jobCatalog = {
  /** Read metadata (exiftool) and check the file's structure; pairs Live Photos. */
  metadata: defineJob({
    lane: 'io',
    payload: AssetPayload,
    dedupeKey: (p) => `metadata:${p.assetId}`,
    maxAttempts: 3,
    backoffMs: 2_000,
    followUps: [{ job: 'thumbnail' }],
    assetId: (p) => p.assetId,
  }),
  /**
   * The grid thumbnail and thumbhash, from the cheapest source that is large enough (JPEG
   * shrink-on-load, a HEIC thumbnail item, a RAW preview, a video frame). Also writes the preview
   * when the decoded image already is the full picture.
   */
  thumbnail: defineJob({
    lane: 'media',
    payload: AssetPayload,
    dedupeKey: (p) => `thumbnail:${p.assetId}`,
    maxAttempts: 3,
    backoffMs: 5_000,
    followUps: [{ job: 'preview' }, { job: 'transcode', when: 'video' }],
    assetId: (p) => p.assetId,
  }),
  /**
   * The viewer's preview (about 1440 px on the long side), from a full decode. It is the input of
   * the ML jobs, which follow it (also when the thumbnail pass made the preview on the way).
   */
  preview: defineJob({
    lane: 'media',
    payload: AssetPayload,
    dedupeKey: (p) => `preview:${p.assetId}`,
    maxAttempts: 3,
    backoffMs: 5_000,
    followUps: [{ job: 'faces' }, { job: 'clip' }],
    assetId: (p) => p.assetId,
  }),
  /** An H.264/AAC MP4 for videos Chromium cannot play as they are. */
  transcode: defineJob({
    lane: 'media',
    payload: AssetPayload,
    dedupeKey: (p) => `transcode:${p.assetId}`,
    maxAttempts: 2,
    backoffMs: 30_000,
    followUps: [],
    assetId: (p) => p.assetId,
  }),
  /** Faces in the preview: detection, alignment, embeddings and a cropped picture of each (ML worker). */
  faces: defineJob({
    lane: 'ml',
    payload: AssetPayload,
    dedupeKey: (p) => `faces:${p.assetId}`,
    maxAttempts: 3,
    backoffMs: 10_000,
    followUps: [{ job: 'cluster' }],
    assetId: (p) => p.assetId,
  }),
  /** The CLIP image embedding of the preview, for smart search and similar photos (ML worker). */
  clip: defineJob({
    lane: 'ml',
    payload: AssetPayload,
    dedupeKey: (p) => `clip:${p.assetId}`,
    maxAttempts: 3,
    backoffMs: 10_000,
    followUps: [],
    assetId: (p) => p.assetId,
  }),
  /**
   * Places new faces into people. One job for the whole library (its dedupe key ignores the
   * asset): faces found meanwhile wait for the next run, which takes them all.
   */
  cluster: defineJob({
    lane: 'ml',
    payload: AssetPayload,
    dedupeKey: () => 'cluster',
    maxAttempts: 3,
    backoffMs: 5_000,
    followUps: [],
    assetId: () => null,
  }),
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['payload']>;

/** Default concurrency per lane; the engine scales the media lanes with its worker count. */
export const DEFAULT_LANE_CONCURRENCY: Record<JobLane, number> = { io: 4, media: 2, ml: 1, sync: 1 };

/** A failure that will fail again on retry (a broken file): recorded at once, never retried. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
