// The job system's shared shapes: a claimed job as the runner holds it, what a handler hands back,
// and the handler map the compiler checks against core's catalog.
import type { JobName, JobPayload } from '@shoebox/core';
import type { JobLane } from '@shoebox/core/contract';
import type { SqlExec } from './sql-exec.ts';

export interface ClaimedJob {
  id: number;
  name: JobName;
  lane: JobLane;
  payload: unknown;
  ownerId: string | null;
  assetId: string | null;
  /** This run included. */
  attempts: number;
  maxAttempts: number;
}

export interface NewJob {
  name: JobName;
  payload: unknown;
  /** Whose work it is (every job of the pipeline belongs to an owner). */
  ownerId: string | null;
}

/** What a handler hands back: writes to run in the job's completing transaction, and an optional failure. */
export interface JobOutcome {
  /** Runs in the same transaction that marks the job done (or failed) and queues its follow-ups. */
  commit?: (tx: SqlExec) => Promise<void>;
  /** The job failed for good (the file is broken); the commit still runs. */
  failed?: string;
  /**
   * What the job learnt about its asset. A successful job with facts queues the follow-ups the
   * catalog declares for it (filtered by asset type); without facts (the asset is gone) none.
   */
  facts?: { assetType: 'image' | 'video' };
  /** Follow-ups this run made unnecessary. */
  skipFollowUps?: readonly string[];
}

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: ClaimedJob) => Promise<JobOutcome>;

/** One handler per job of the catalog: a missing one is a compile error. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export type SettledResult = 'done' | 'retry' | 'failed' | 'released' | 'lost';

export interface SettledEvent {
  job: ClaimedJob;
  result: SettledResult;
  error?: string;
}
