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
    perMinute: z.number().describe('jobs finished (done or failed) in the last minute'),
  })
  .meta({ id: 'LaneCounts' });
export type LaneCounts = z.infer<typeof LaneCounts>;

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

export const LaneParam = z.object({ lane: JobLane });
export const SetLaneBody = z.object({ paused: z.boolean() });

export const RetryFailedBody = z.object({
  lane: JobLane.optional().describe('only this lane; every lane when left out'),
});
export const RetryFailedResult = z.object({ requeued: z.number().int() }).meta({ id: 'RetryFailedResult' });
