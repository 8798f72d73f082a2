// The one reader of process.env for the desktop app and the headless engine.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { MediaEnvSchema } from '@shoebox/media-node/media/media-env';
import { ModelEnvSchema } from '@shoebox/media-node/ml/model-env';

const EnvSchema = z.object({
  SHOEBOX_DATA: z.string().min(1).optional(),
  SHOEBOX_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('warn'),
  SHOEBOX_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * How often a library folder the OS cannot watch (its limit on watched folders reached) is
   * rescanned instead, in seconds.
   */
  SHOEBOX_RESCAN_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  // FFMPEG_PATH (read again by the media workers themselves; an empty value means unset).
  ...MediaEnvSchema.shape,
  /** The UI build `shoebox serve` serves; packages/ui/dist of the repository by default. */
  SHOEBOX_UI_DIR: z.string().optional().transform((v) => v || undefined),
  ...ModelEnvSchema.shape,
  XDG_DATA_HOME: z.string().optional(),
  APPDATA: z.string().optional(),
  /** Set by an AppImage's runtime to the image's own path (process.execPath is inside its temporary mount). */
  APPIMAGE: z.string().optional().transform((v) => v || undefined),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${lines}`);
  }
  cached = parsed.data;
  return cached;
}

/** The per-user application data folder, as each OS expects it. */
export function defaultDataDir(): string {
  const e = env();
  if (process.platform === 'win32') return path.join(e.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Shoebox');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Shoebox');
  return path.join(e.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'shoebox');
}

export function workerCount(): number {
  return env().SHOEBOX_WORKERS ?? Math.max(1, os.availableParallelism());
}

/**
 * The environment of worker processes: this one's, with libvips' warnings off (libtiff and libvips
 * report every odd tag of a camera file; failures are reported as errors all the same).
 */
export function workerEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env, VIPS_WARNING: '0' };
}
