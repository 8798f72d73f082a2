// Messages between the engine and its worker processes. Every message is validated on arrival.
import { z } from 'zod';

export const WorkerInit = z.object({
  type: z.literal('init'),
  settings: z.object({
    /** Parallel exiftool processes inside one worker. */
    exiftoolProcs: z.number().int().min(1).max(8),
  }),
});
export type WorkerInit = z.infer<typeof WorkerInit>;

export const MetadataRequest = z.object({
  type: z.literal('metadata'),
  id: z.number().int(),
  path: z.string(),
  sidecars: z.array(z.string()),
  /** false: exiftool only, no ffprobe pass for videos (enough for a capture date; ~50 ms less). */
  probe: z.boolean().optional(),
});
export type MetadataRequest = z.infer<typeof MetadataRequest>;

const DerivativeInput = z.object({
  path: z.string(),
  assetType: z.enum(['image', 'video']),
  fileType: z.string().nullable(),
  duration: z.number().nullable(),
  orientation: z.number().int().min(0).max(8).nullable(),
});

export const ThumbnailRequest = z.object({
  type: z.literal('thumbnail'),
  id: z.number().int(),
  input: DerivativeInput,
  out: z.object({ thumbnail: z.string(), previewBase: z.string() }),
});

export const PreviewRequest = z.object({
  type: z.literal('preview'),
  id: z.number().int(),
  input: DerivativeInput,
  out: z.object({ previewBase: z.string() }),
});

export const VideoRequest = z.object({
  type: z.literal('video'),
  id: z.number().int(),
  input: DerivativeInput,
  out: z.object({ video: z.string() }),
});

export const WorkerRequest = z.discriminatedUnion('type', [MetadataRequest, ThumbnailRequest, PreviewRequest, VideoRequest]);
export type WorkerRequest = z.infer<typeof WorkerRequest>;

export const WorkerMessage = z.union([WorkerInit, WorkerRequest]);

export interface WorkerReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
  /** undecodable and missing-tool failures recur on retry; transient ones may not. */
  failure?: 'undecodable' | 'missing-tool' | 'transient';
}

/** A request the worker answered with a failure. */
export class WorkerTaskError extends Error {
  readonly failure: 'undecodable' | 'missing-tool' | 'transient';
  constructor(message: string, failure: 'undecodable' | 'missing-tool' | 'transient') {
    super(message);
    this.name = 'WorkerTaskError';
    this.failure = failure;
  }
}

/** Sent once by a worker when it is ready for requests. */
export interface WorkerReady {
  type: 'ready';
}

/** The pool was closed (shutdown) while the request ran: not the request's fault. */
export class PoolClosedError extends Error {
  constructor(message = 'the worker pool was closed') {
    super(message);
    this.name = 'PoolClosedError';
  }
}
