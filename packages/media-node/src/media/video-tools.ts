// ffmpeg's two jobs: a poster frame for the grid and the viewer, and an H.264/AAC MP4 of videos
// that Chromium cannot play. ffmpeg applies the container's rotation while decoding (autorotate),
// so frames and transcodes come out upright and carry no rotation of their own.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { PREVIEW_LONG_SIDE, VIDEO_MAX_SHORT_SIDE, type Playability } from '@shoebox/core';
import { runTool } from './run-tool.ts';

/** Where in the video the poster frame is taken: past a fade-in, early enough to be typical. */
export function posterTime(duration: number | null): number {
  if (duration === null || !Number.isFinite(duration) || duration < 2) return 0;
  return Math.min(duration * 0.1, 3);
}

const LONG_SIDE = `${PREVIEW_LONG_SIDE}`;
// Scale so the long side is at most PREVIEW_LONG_SIDE, never enlarging.
const FRAME_SCALE =
  `scale=w='if(gte(iw,ih),min(iw,${LONG_SIDE}),-2)':h='if(gte(iw,ih),-2,min(ih,${LONG_SIDE}))'`;

/** One upright frame as PNG, at most PREVIEW_LONG_SIDE on its long side. */
export async function extractFrame(ffmpeg: string, file: string, at: number, timeoutMs = 60_000): Promise<Buffer> {
  const args = (seek: number): string[] => [
    // Warnings too: they name the cause when decoding fails (an external track, no stream).
    '-hide_banner', '-nostdin', '-v', 'warning',
    ...(seek > 0 ? ['-ss', seek.toFixed(3)] : []),
    // 0:V: video streams that are not attached pictures (cover art).
    '-i', file, '-map', '0:V:0', '-frames:v', '1', '-vf', FRAME_SCALE,
    '-f', 'image2pipe', '-c:v', 'png', '-compression_level', '1', '-',
  ];
  let stdout: Buffer;
  try {
    ({ stdout } = await runTool(ffmpeg, args(at), { timeoutMs }));
  } catch (error) {
    if (at === 0) throw error;
    stdout = Buffer.alloc(0);
  }
  // A seek past the last key frame of a short or odd file yields nothing: take the first frame.
  if (stdout.length === 0 && at > 0) ({ stdout } = await runTool(ffmpeg, args(0), { timeoutMs }));
  if (stdout.length === 0) throw new Error('ffmpeg found no video frame to decode');
  return stdout;
}

// Cap the short side at VIDEO_MAX_SHORT_SIDE, keep the aspect ratio and even dimensions (x264).
const TRANSCODE_SCALE =
  `scale=w='trunc(iw*min(1,${VIDEO_MAX_SHORT_SIDE}/min(iw,ih))/2)*2':h='trunc(ih*min(1,${VIDEO_MAX_SHORT_SIDE}/min(iw,ih))/2)*2'`;

export function transcodeArgs(file: string, out: string, plan: Pick<Playability, 'copyVideo' | 'copyAudio'>): string[] {
  const video = plan.copyVideo
    ? ['-c:v', 'copy']
    : ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-profile:v', 'high', '-vf', `${TRANSCODE_SCALE},format=yuv420p`,
      // Limited range, as players expect of H.264 (camera files often say full range).
      '-color_range', 'tv'];
  const audio = plan.copyAudio ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '160k', '-ac', '2'];
  return [
    '-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', file,
    '-map', '0:V:0', '-map', '0:a:0?', '-dn', '-sn', '-map_chapters', '-1',
    ...video, ...audio,
    '-movflags', '+faststart', '-f', 'mp4', out,
  ];
}

/** Writes a playable MP4 to `out` (through a temporary file, so a crash leaves no half video). */
export async function transcodeVideo(
  ffmpeg: string,
  file: string,
  out: string,
  plan: Pick<Playability, 'copyVideo' | 'copyAudio'>,
  duration: number | null,
): Promise<void> {
  const tmp = `${out}.${randomUUID()}.tmp.mp4`;
  // Generous: a slow machine encodes at a fraction of real time.
  const timeoutMs = Math.max(120_000, (duration ?? 60) * 20_000);
  try {
    await runTool(ffmpeg, transcodeArgs(file, tmp, plan), { timeoutMs, maxStdout: 1024 * 1024 });
    await fs.rename(tmp, out);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}
