// Job queue observability: counts per lane and state, and the most recent failures.
import { z } from 'zod';

export const JobLane = z.enum(['io', 'media', 'ml', 'sync']);
export type JobLane = z.infer<typeof JobLane>;
export const JobState = z.enum(['queued', 'running', 'done', 'failed']);
export type JobState = z.infer<typeof JobState>;

export const LaneCounts = z
  .object({
    lane: JobLane,
    queued: z.number().int(),
    running: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    paused: z.boolean(),
  })
  .meta({ id: 'LaneCounts' });

export const JobFailure = z
  .object({
    jobId: z.number().int(),
    name: z.string(),
    lane: JobLane,
    assetId: z.uuid().nullable(),
    path: z.string().nullable(),
    error: z.string(),
    attempts: z.number().int(),
    finishedAt: z.string(),
  })
  .meta({ id: 'JobFailure' });

export const JobsStatus = z
  .object({ lanes: z.array(LaneCounts), recentFailures: z.array(JobFailure) })
  .meta({ id: 'JobsStatus' });
export type JobsStatus = z.infer<typeof JobsStatus>;

export const JobsStatusQuery = z.object({
  failures: z.coerce.number().int().min(0).max(500).default(50),
});
