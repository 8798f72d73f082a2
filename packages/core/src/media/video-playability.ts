// Which videos Chromium (the Electron renderer and the browsers the sync server serves) plays as
// they are, and what a transcode has to change for the others.

export interface VideoStreams {
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi". */
  container: string;
  videoCodec: string | null;
  /** e.g. "High", "High 10", "Main 10". */
  profile: string | null;
  pixelFormat: string | null;
  audioCodec: string | null;
}

export interface Playability {
  playable: boolean;
  /** Why the original does not play, in words a person understands. */
  reasons: string[];
  /** The video stream can be copied as is (only the container or the audio needs changing). */
  copyVideo: boolean;
  /** The audio stream can be copied as is. */
  copyAudio: boolean;
}

const MP4_VIDEO = new Set(['h264', 'vp9', 'av1']);
const WEBM_VIDEO = new Set(['vp8', 'vp9', 'av1']);
const MP4_AUDIO = new Set(['aac', 'mp3', 'opus', 'flac']);
const WEBM_AUDIO = new Set(['opus', 'vorbis']);
const EIGHT_BIT_420 = new Set(['yuv420p', 'yuvj420p', 'nv12']);

function containerKind(container: string): 'mp4' | 'webm' | 'other' {
  const names = container.split(',');
  if (names.includes('mp4') || names.includes('mov')) return 'mp4';
  if (names.includes('webm')) return 'webm';
  return 'other';
}

export function playability(s: VideoStreams): Playability {
  const reasons: string[] = [];
  const kind = containerKind(s.container);
  const videoSet = kind === 'webm' ? WEBM_VIDEO : MP4_VIDEO;
  const audioSet = kind === 'webm' ? WEBM_AUDIO : MP4_AUDIO;
  // Chromium's H.264 decoder takes 8-bit 4:2:0 only (no High 10, 4:2:2 or 4:4:4).
  const h264Ok = s.videoCodec !== 'h264' || (
    (s.pixelFormat === null || EIGHT_BIT_420.has(s.pixelFormat)) &&
    (s.profile === null || !/10|4:2:2|4:4:4|High 422|High 444/i.test(s.profile)));
  const videoOk = s.videoCodec !== null && videoSet.has(s.videoCodec) && h264Ok;
  if (s.videoCodec === null) reasons.push('no video stream');
  else if (!h264Ok) reasons.push(`H.264 ${s.profile ?? ''} ${s.pixelFormat ?? ''}`.replace(/\s+/g, ' ').trim() + ' does not play in Chromium');
  else if (!videoOk && !(kind === 'webm' && MP4_VIDEO.has(s.videoCodec))) {
    reasons.push(`video codec ${s.videoCodec} does not play in Chromium`);
  }
  const audioOk = s.audioCodec === null || audioSet.has(s.audioCodec);
  if (!audioOk) reasons.push(`audio codec ${s.audioCodec} does not play in Chromium`);
  if (kind === 'other') reasons.push(`the ${s.container.split(',')[0]} container does not play in Chromium`);
  if (kind === 'webm' && s.videoCodec !== null && !videoSet.has(s.videoCodec) && MP4_VIDEO.has(s.videoCodec)) {
    reasons.push(`${s.videoCodec} in Matroska does not play in Chromium`);
  }
  const playable = kind !== 'other' && videoOk && audioOk;
  // A copied stream has to be one an MP4 holds and Chromium plays.
  const copyVideo = s.videoCodec !== null && MP4_VIDEO.has(s.videoCodec) && h264Ok;
  const copyAudio = s.audioCodec !== null && MP4_AUDIO.has(s.audioCodec);
  return { playable, reasons, copyVideo, copyAudio };
}
