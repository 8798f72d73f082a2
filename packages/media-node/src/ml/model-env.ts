// The SHOEBOX_MODELS_* settings, as a zod shape env.ts can spread into its schema (env.ts stays the
// one reader of process.env), and where the model store looks by default.
import path from 'node:path';
import { z } from 'zod';

const optional = z.string().optional().transform((v) => v || undefined);

export const ModelEnvSchema = z.object({
  /** The models directory: `<model id>/<file name>` below it. Default: `<data folder>/models`. */
  SHOEBOX_MODELS_DIR: optional,
  /** Another manifest.json (tests point it at one listing generated models). */
  SHOEBOX_MODELS_MANIFEST: optional,
  /** A base URL (LAN mirror for offline installs) serving `<model id>/<file name>`. */
  SHOEBOX_MODELS_MIRROR: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
});
export type ModelEnv = z.infer<typeof ModelEnvSchema>;

/** Parses the model variables out of an environment-like record (env.ts passes its source here). */
export function parseModelEnv(source: Readonly<Record<string, string | undefined>>): ModelEnv {
  const parsed = ModelEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid model settings in the environment:\n${lines}`);
  }
  return parsed.data;
}

/** The manifest shipped with the repository (resources/models/manifest.json). */
export const DEFAULT_MANIFEST_PATH = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'resources', 'models', 'manifest.json');

/** SHOEBOX_MODELS_DIR, else `<dataDir>/models`. */
export function resolveModelsDir(env: Pick<ModelEnv, 'SHOEBOX_MODELS_DIR'>, dataDir: string): string {
  return path.resolve(env.SHOEBOX_MODELS_DIR ?? path.join(dataDir, 'models'));
}
