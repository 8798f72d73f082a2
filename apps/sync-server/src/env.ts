// The one reader of process.env for the sync server: every setting parsed and checked in one place.
import path from 'node:path';
import os from 'node:os';
import net from 'node:net';
import { z } from 'zod';
import { MediaEnvSchema } from '@shoebox/media-node/media/media-env';
import { ModelEnvSchema } from '@shoebox/media-node/ml/model-env';

export const DEFAULT_PORT = 2284;
export const DEFAULT_HOST = '0.0.0.0';
/** Large enough for long phone videos; a LAN server has no reason to refuse them by default. */
export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 ** 3;
export const DEFAULT_SESSION_DAYS = 30;

/** A whole number in a range, from its decimal text, with one message for every way it can be wrong. */
function wholeNumber(min: number, max: number, message: string) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Bytes as a plain number or with a binary suffix: `500000`, `512M`, `2G`, `2GiB`. */
const Bytes = z
  .string()
  .trim()
  .regex(/^\d+\s*([kmgt](i?b)?)?$/i, 'a size in bytes, optionally with K, M, G or T (e.g. 2G)')
  .transform((s, ctx) => {
    const m = /^(\d+)\s*([kmgt]?)/i.exec(s)!;
    const value = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
    if (!Number.isSafeInteger(value) || value < 1) {
      ctx.addIssue({ code: 'custom', message: 'must be at least 1 byte and at most 8 PiB' });
      return z.NEVER;
    }
    return value;
  });

const Switch = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'], { message: 'use on or off (1/0, true/false, yes/no)' }))
  .transform((v) => v === '1' || v === 'true' || v === 'on' || v === 'yes');

const Host = z
  .string()
  .trim()
  .refine((h) => net.isIP(h) !== 0 || /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i.test(h), 'an IP address or a host name (0.0.0.0 listens on every interface)');

/** Express's `trust proxy`: off, a hop count, or the proxy's addresses (`loopback`, `10.0.0.2`, CIDRs). */
const TrustProxy = z
  .string()
  .trim()
  .refine((v) => !['true', 'on', 'yes', '*'].includes(v.toLowerCase()), 'name the proxy (e.g. loopback or its address), not every address: trusting all would let anyone forge their IP')
  .transform((v): false | number | string => {
    if (['', '0', 'off', 'false', 'no'].includes(v.toLowerCase())) return false;
    if (/^\d+$/.test(v)) return Number(v);
    return v;
  });

const EnvSchema = z.object({
  PORT: wholeNumber(1, 65535, 'a TCP port from 1 to 65535').default(DEFAULT_PORT),
  HOST: Host.default(DEFAULT_HOST),
  SHOEBOX_SERVER_DATA: z.string().min(1).default(path.join(os.homedir(), '.local', 'share', 'shoebox-server')),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  SHOEBOX_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  SHOEBOX_UPLOAD_MAX_BYTES: Bytes.default(DEFAULT_UPLOAD_MAX_BYTES),
  SHOEBOX_MDNS: Switch.default(true),
  SHOEBOX_SESSION_DAYS: wholeNumber(1, 3650, 'a whole number of days from 1 to 3650').default(DEFAULT_SESSION_DAYS),
  SHOEBOX_TRUST_PROXY: TrustProxy.default(false),
  /** The web app's build; default: the repository's packages/ui/dist. */
  SHOEBOX_UI_DIR: z.string().min(1).optional(),
  /** How long a shutdown waits for requests in flight (uploads) before closing their connections. */
  SHOEBOX_SHUTDOWN_SECONDS: wholeNumber(0, 3600, 'a whole number of seconds from 0 to 3600').default(30),
  /** Media worker processes for metadata, thumbnails and transcodes; default: one per core but one. */
  SHOEBOX_MEDIA_WORKERS: wholeNumber(1, 64, 'a whole number of worker processes from 1 to 64').optional(),
  /** A folder to install verified models from at start (an offline bundle; `pnpm server` passes ../shared/models). */
  SHOEBOX_MODELS_IMPORT: z.string().min(1).optional(),
  /** SHOEBOX_MODELS_DIR (default `<data>/models`), SHOEBOX_MODELS_MANIFEST, SHOEBOX_MODELS_MIRROR. */
  ...ModelEnvSchema.shape,
  /** FFMPEG_PATH: the ffmpeg binary when ffmpeg-static's is absent (else `ffmpeg` on PATH). */
  ...MediaEnvSchema.shape,
});

export type ServerEnv = z.infer<typeof EnvSchema>;

/** Parses the environment; a bad value is reported by name with the reason. */
export function parseServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  // An empty variable (`PORT=`) means "not set", as in a shell.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid environment:\n${lines}`);
  }
  return parsed.data;
}
