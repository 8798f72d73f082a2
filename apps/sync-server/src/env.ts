// The one reader of process.env for the sync server: every setting parsed and checked in one place.
import path from 'node:path';
import os from 'node:os';
import { z } from 'zod';

export const DEFAULT_PORT = 2284;

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_PORT),
  SHOEBOX_SERVER_DATA: z.string().min(1).default(path.join(os.homedir(), '.local', 'share', 'shoebox-server')),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  SHOEBOX_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type ServerEnv = z.infer<typeof EnvSchema>;

/** Parses the environment; a bad value is reported by name with the reason. */
export function parseServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${lines}`);
  }
  return parsed.data;
}
