// The media worker's settings from the environment (FFMPEG_PATH), as a zod shape an app's env.ts
// spreads into its schema (env.ts stays the app's one reader of process.env); the worker process,
// which has no env.ts, parses its own environment with parseMediaEnv.
import { z } from 'zod';

export const MediaEnvSchema = z.object({
  /** The ffmpeg binary (ffprobe is looked for next to it). An empty value means unset. */
  FFMPEG_PATH: z.string().optional().transform((v) => v || undefined),
});
export type MediaEnv = z.infer<typeof MediaEnvSchema>;

/** Parses the media variables out of an environment-like record. */
export function parseMediaEnv(source: Readonly<Record<string, string | undefined>>): MediaEnv {
  const parsed = MediaEnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid media settings in the environment:\n${lines}`);
  }
  return parsed.data;
}
