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
});
export type MetadataRequest = z.infer<typeof MetadataRequest>;

export const WorkerRequest = z.discriminatedUnion('type', [MetadataRequest]);
export type WorkerRequest = z.infer<typeof WorkerRequest>;

export const WorkerMessage = z.union([WorkerInit, WorkerRequest]);

export interface WorkerReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** Sent once by a worker when it is ready for requests. */
export interface WorkerReady {
  type: 'ready';
}
