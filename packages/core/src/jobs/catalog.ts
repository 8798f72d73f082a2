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
  /** Jobs queued when this one succeeds (same payload). */
  followUps: readonly string[];
  /** Which asset a job concerns (for failure reports). */
  assetId: (payload: z.infer<P>) => string | null;
}

function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

const AssetPayload = z.object({ assetId: z.uuid() });

export const jobCatalog = {
  /** Read metadata (exiftool) and check the file's structure; pairs Live Photos. */
  metadata: defineJob({
    lane: 'io',
    payload: AssetPayload,
    dedupeKey: (p) => `metadata:${p.assetId}`,
    maxAttempts: 3,
    backoffMs: 2_000,
    followUps: [],
    assetId: (p) => p.assetId,
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
