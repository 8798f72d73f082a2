// The model manifest (resources/models/manifest.json): every model Shoebox can use, with its files,
// checksums, licence, source, tensor signature and preprocessing. Pure data and validation.
import { z } from 'zod';
import { ModelTask } from '../contract/schemas/ml.schemas.ts';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256');
/** A model id doubles as its folder name in the models directory. */
const ModelId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,80}$/, 'not a model id');
/** A plain file name: it is joined to a local folder, so no separators and no `..`. */
const FileName = z.string().regex(/^(?!\.\.?$)[A-Za-z0-9._-]{1,200}$/, 'not a plain file name');
const HttpUrl = z.url({ protocol: /^https?$/ });

export const TensorType = z.enum(['float32', 'int64', 'int32']);
export type TensorType = z.infer<typeof TensorType>;

/** A graph input or output. A string dimension is symbolic (dynamic), a number is fixed. */
export const ModelTensor = z.object({
  name: z.string().min(1),
  type: TensorType,
  shape: z.array(z.union([z.number().int().positive(), z.string().min(1)])).min(1),
});
export type ModelTensor = z.infer<typeof ModelTensor>;

export const ModelFile = z.object({
  /** Local file name, under `<models dir>/<model id>/`. */
  name: FileName,
  /** Direct download (raw file, no HTML page), pinned to a revision. */
  url: HttpUrl,
  sha256: Sha256,
  bytes: z.number().int().positive(),
});
export type ModelFile = z.infer<typeof ModelFile>;

export const ModelSource = z.object({
  repository: HttpUrl,
  commit: z.string().regex(/^[0-9a-f]{40}$/).optional(),
  path: z.string().min(1).optional(),
  /** A page a person can read (the file at its revision). */
  url: HttpUrl,
});
export type ModelSource = z.infer<typeof ModelSource>;

const Triple = z.tuple([z.number(), z.number(), z.number()]);

/**
 * How the pixels (or text) must be prepared. Every key is optional: each model states what applies.
 * Pixel values start as 0..255 in the order of `colour`; the input is `(x * scale - mean) / std`.
 */
export const ModelPreprocessing = z
  .object({
    colour: z.enum(['BGR', 'RGB']),
    layout: z.enum(['NCHW', 'NHWC']),
    scale: z.number().positive(),
    /** Per channel, in the order of `colour`. */
    mean: Triple,
    std: Triple,
    /** The network's input side in pixels (for `fit-pad`, the side the longer edge is scaled to). */
    size: z.number().int().positive(),
    /**
     * fit-pad: keep the aspect ratio, fit within `size`, zero-pad right and bottom;
     * shorter-side-centre-crop: scale the shorter side to `size`, then crop the centre square;
     * align: warp onto `alignment.template` with a least-squares similarity transform.
     */
    resize: z.enum(['fit-pad', 'shorter-side-centre-crop', 'align']),
    interpolation: z.enum(['bilinear', 'bicubic']),
    /** Pad width and height up to a multiple of this (dynamic-size detectors). */
    padMultiple: z.number().int().positive(),
    alignment: z.object({
      /** Landmark targets in input pixels, in the detector's landmark order. */
      template: z.array(z.tuple([z.number(), z.number()])).min(2),
      transform: z.literal('similarity'),
    }),
    /** The output is not unit length: L2-normalise it before comparing with cosine or dot product. */
    normaliseOutput: z.boolean(),
    /** Text models: the tokenizer model's id and the fixed sequence length fed to the graph. */
    tokenizer: ModelId,
    contextLength: z.number().int().positive(),
    startToken: z.number().int().nonnegative(),
    endToken: z.number().int().nonnegative(),
    padToken: z.number().int().nonnegative(),
    vocabularySize: z.number().int().positive(),
  })
  .partial()
  .strict();
export type ModelPreprocessing = z.infer<typeof ModelPreprocessing>;

export const ModelEntry = z.object({
  id: ModelId,
  task: ModelTask,
  name: z.string().min(1),
  /** SPDX identifier of the weights' licence. */
  license: z.string().min(1),
  licenseNote: z.string().min(1).optional(),
  /** Anything else a maintainer must know (provenance, what was and was not verified). */
  note: z.string().min(1).optional(),
  source: ModelSource,
  files: z.array(ModelFile).min(1),
  inputs: z.array(ModelTensor),
  outputs: z.array(ModelTensor),
  preprocessing: ModelPreprocessing,
  /** Embedding size, for embedding models. */
  dims: z.number().int().positive().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const ModelManifest = z
  .object({ version: z.literal(1), models: z.array(ModelEntry) })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.models.forEach((model, i) => {
      if (seen.has(model.id)) ctx.addIssue({ code: 'custom', path: ['models', i, 'id'], message: `duplicate model id ${model.id}` });
      seen.add(model.id);
      const names = new Set<string>();
      model.files.forEach((f, j) => {
        if (names.has(f.name)) ctx.addIssue({ code: 'custom', path: ['models', i, 'files', j, 'name'], message: `duplicate file ${f.name}` });
        names.add(f.name);
      });
    });
  });
export type ModelManifest = z.infer<typeof ModelManifest>;

/** The model with this id, or undefined when the manifest does not know it. */
export function findModel(manifest: ModelManifest, id: string): ModelEntry | undefined {
  return manifest.models.find((m) => m.id === id);
}

/** Total size of a model's files in bytes. */
export function modelBytes(model: ModelEntry): number {
  return model.files.reduce((sum, f) => sum + f.bytes, 0);
}
