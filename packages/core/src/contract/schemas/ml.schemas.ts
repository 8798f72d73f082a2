// Machine learning: the models Shoebox knows, whether each is here, downloads, and the switches.
import { z } from 'zod';

export const ModelTask = z.enum(['face-detection', 'face-embedding', 'clip-vision', 'clip-text', 'clip-tokenizer']);
export type ModelTask = z.infer<typeof ModelTask>;

export const ModelDownload = z
  .object({
    state: z.enum(['idle', 'downloading', 'verifying', 'done', 'failed']),
    receivedBytes: z.number().int(),
    totalBytes: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'ModelDownload' });
export type ModelDownload = z.infer<typeof ModelDownload>;

export const ModelStatus = z
  .object({
    id: z.string(),
    task: ModelTask,
    name: z.string(),
    bytes: z.number().int().describe('total size of its files'),
    license: z.string(),
    state: z.enum(['present', 'missing', 'partial', 'corrupt']).describe(
      'present: every file is here with its size; partial: a download stopped part-way; corrupt: a file has the wrong size or checksum',
    ),
    loaded: z.boolean().describe('the ML worker holds a session for it'),
    download: ModelDownload,
  })
  .meta({ id: 'ModelStatus' });
export type ModelStatus = z.infer<typeof ModelStatus>;

export const MlSettings = z
  .object({
    enabled: z.boolean().describe('machine learning as a whole; off stops new ML jobs'),
    faces: z.boolean().describe('find faces and group them into people'),
    smartSearch: z.boolean().describe('CLIP embeddings for searching by description'),
    minFaceScore: z.number().min(0.3).max(0.99).describe('detector confidence a face needs'),
    minFaceSize: z.number().int().min(8).max(400).describe('smallest face kept, in pixels of the preview'),
    personMatch: z.number().min(0.1).max(0.95).describe('cosine similarity a face needs to join a person'),
    minFacesForPerson: z.number().int().min(1).max(50).describe('similar unassigned faces needed to start a new person'),
  })
  .meta({ id: 'MlSettings' });
export type MlSettings = z.infer<typeof MlSettings>;

export const MlSettingsPatch = MlSettings.partial()
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type MlSettingsPatch = z.infer<typeof MlSettingsPatch>;

export const MlStatus = z
  .object({
    settings: MlSettings,
    modelsDir: z.string(),
    models: z.array(ModelStatus),
    faces: z.object({ ready: z.boolean().describe('both face models are present') }),
    smartSearch: z.object({
      ready: z.boolean().describe('the CLIP models and tokenizer are present'),
      indexed: z.number().int().describe('assets with a CLIP embedding'),
    }),
  })
  .meta({ id: 'MlStatus' });
export type MlStatus = z.infer<typeof MlStatus>;

export const ModelIdParam = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,80}$/, 'not a model id') });
