// Messages between the engine and its ML worker process. Every message is validated on arrival.
import { z } from 'zod';

export const MlWorkerInit = z.object({
  type: z.literal('init'),
  settings: z.object({
    /** Where the models are looked up (SHOEBOX_MODELS_DIR, else the data folder's models/). */
    modelsDir: z.string(),
    /** onnxruntime intra-op threads. */
    threads: z.number().int().min(1).max(64),
  }),
});
export type MlWorkerInit = z.infer<typeof MlWorkerInit>;

export const FacesRequest = z.object({
  type: z.literal('faces'),
  id: z.number().int(),
  /** The preview: upright, sRGB, at most about 1440 px. */
  image: z.string(),
  /** Crops are written as `<cropBase>.<n>.webp` (n from 0). */
  cropBase: z.string(),
  minScore: z.number().min(0).max(1),
  minFaceSize: z.number().min(0),
});

export const ClipImageRequest = z.object({ type: z.literal('clipImage'), id: z.number().int(), image: z.string() });
export const ClipTextRequest = z.object({ type: z.literal('clipText'), id: z.number().int(), text: z.string().max(10_000) });
export const TokenizeRequest = z.object({ type: z.literal('tokenize'), id: z.number().int(), text: z.string().max(10_000) });
export const MemoryRequest = z.object({ type: z.literal('memory'), id: z.number().int() });
/** Drops cached sessions (a model was downloaded or replaced). */
export const ResetRequest = z.object({ type: z.literal('reset'), id: z.number().int() });

export const MlRequest = z.discriminatedUnion('type', [
  FacesRequest, ClipImageRequest, ClipTextRequest, TokenizeRequest, MemoryRequest, ResetRequest,
]);
export type MlRequest = z.infer<typeof MlRequest>;
export type MlRequestBody = MlRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** A face as the worker found it: fractions of the displayed picture, an L2-normalised embedding. */
export interface FoundFace {
  box: { x: number; y: number; width: number; height: number };
  landmarks: [number, number][];
  score: number;
  embedding: Float32Array;
  /** The cropped face picture, or null when it could not be written. */
  crop: string | null;
}

export interface FacesResult {
  width: number;
  height: number;
  /** The detector input sizes used (the second pass looks for small faces in group photos). */
  passes: { width: number; height: number }[];
  faces: FoundFace[];
  /** Model ids with a session in the worker. */
  loaded: string[];
}

export interface EmbeddingResult {
  embedding: Float32Array;
  /** The model id and the start of its checksum: a stored embedding is only comparable with its own model. */
  model: string;
  loaded: string[];
}

export interface MemoryResult {
  rssBytes: number;
  /** Peak resident memory of the worker (VmHWM). */
  peakRssBytes: number;
  loaded: string[];
}
