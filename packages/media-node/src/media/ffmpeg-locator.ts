// Finds ffmpeg and ffprobe: FFMPEG_PATH first, then an ffmpeg-static binary when one is
// installed, then the PATH. Absent tools are reported, never guessed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { MediaEnv } from './media-env.ts';
import { unpackedPath } from './unpacked-path.ts';

export interface FfmpegTools {
  ffmpeg: string | null;
  ffprobe: string | null;
  source: 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH' | 'none';
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? `${name}.exe` : name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function sibling(ffmpeg: string, name: string): string | null {
  const candidate = path.join(path.dirname(ffmpeg), path.basename(ffmpeg).replace('ffmpeg', name));
  return fs.existsSync(candidate) ? candidate : null;
}

let cached: { for: string | undefined; tools: FfmpegTools } | undefined;

/** `env` is FFMPEG_PATH as the process's env.ts (or parseMediaEnv) read it. */
export function locateFfmpeg(env: Pick<MediaEnv, 'FFMPEG_PATH'>): FfmpegTools {
  if (cached && cached.for === env.FFMPEG_PATH) return cached.tools;
  cached = { for: env.FFMPEG_PATH, tools: find(env.FFMPEG_PATH) };
  return cached.tools;
}

function find(fromEnv: string | undefined): FfmpegTools {
  if (fromEnv && fs.existsSync(fromEnv)) {
    return { ffmpeg: fromEnv, ffprobe: sibling(fromEnv, 'ffprobe') ?? onPath('ffprobe'), source: 'FFMPEG_PATH' };
  }
  try {
    const required = createRequire(import.meta.url)('ffmpeg-static') as string | null;
    const staticPath = required ? unpackedPath(required) : null;
    if (staticPath && fs.existsSync(staticPath)) {
      return { ffmpeg: staticPath, ffprobe: sibling(staticPath, 'ffprobe') ?? onPath('ffprobe'), source: 'ffmpeg-static' };
    }
  } catch {
    // not installed: fall through to PATH
  }
  const ffmpeg = onPath('ffmpeg');
  const ffprobe = onPath('ffprobe');
  return { ffmpeg, ffprobe, source: ffmpeg || ffprobe ? 'PATH' : 'none' };
}
