// ffprobe's view of a video: rotation (display matrix or rotate tag, which exiftool cannot read in
// every container), stored size, duration and codec. Used to complete exiftool's answer.
import { execFile } from 'node:child_process';

export interface VideoProbe {
  width: number | null;
  height: number | null;
  /** Clockwise degrees to turn the stored frames for display: 0, 90, 180 or 270. */
  rotation: number;
  duration: number | null;
  codec: string | null;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  profile: string | null;
  pixelFormat: string | null;
  audioCodec: string | null;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: { attached_pic?: number };
}

export function probeVideo(ffprobe: string, file: string, timeoutMs = 15_000): Promise<VideoProbe | null> {
  return new Promise((resolve) => {
    execFile(
      ffprobe,
      ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file],
      { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return resolve(null);
        try {
          const data = JSON.parse(stdout) as { streams?: FfprobeStream[]; format?: { duration?: string; format_name?: string } };
          const video = data.streams?.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
          if (!video) return resolve(null);
          const audio = data.streams?.find((s) => s.codec_type === 'audio');
          const matrix = video.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && typeof d.rotation === 'number');
          // A display matrix of -90 means "rotate 90 degrees clockwise to display".
          const raw = matrix?.rotation !== undefined ? -matrix.rotation : Number(video.tags?.rotate ?? 0);
          const rotation = ((Math.round(raw / 90) * 90) % 360 + 360) % 360;
          const duration = Number(data.format?.duration ?? video.duration);
          resolve({
            width: video.width ?? null,
            height: video.height ?? null,
            rotation,
            duration: Number.isFinite(duration) ? duration : null,
            codec: video.codec_name ?? null,
            container: data.format?.format_name ?? '',
            profile: video.profile ?? null,
            pixelFormat: video.pix_fmt ?? null,
            audioCodec: audio?.codec_name ?? null,
          });
        } catch {
          resolve(null);
        }
      },
    );
  });
}

/** EXIF orientation equivalent of a clockwise display rotation. */
export function orientationOfRotation(rotation: number): number {
  return rotation === 90 ? 6 : rotation === 180 ? 3 : rotation === 270 ? 8 : 1;
}
