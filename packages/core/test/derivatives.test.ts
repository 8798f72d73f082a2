// The pipeline's pure rules: derivative layout and sizes, embedded-thumbnail choice, and which
// videos Chromium plays as they are.
import { describe, expect, it } from 'vitest';
import {
  derivativeRelPath, embeddedServesThumbnail, fitLongSide, fitShortSide, isRawFileType, playability, uuidv7,
} from '../src/index.ts';

describe('derivative layout', () => {
  it('shards by the random tail of the id, two levels deep', () => {
    const id = '01a20b61-d760-70ca-b328-4df0ece84d56';
    expect(derivativeRelPath('thumbnail', id, 'webp')).toBe(`media/thumbs/56/4d/${id}.webp`);
    expect(derivativeRelPath('video', id, 'mp4')).toBe(`media/videos/56/4d/${id}.mp4`);
  });

  it('spreads 100,000 assets over folders of at most a few files each', () => {
    const perFolder = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const dir = derivativeRelPath('thumbnail', uuidv7(), 'webp').split('/').slice(0, -1).join('/');
      perFolder.set(dir, (perFolder.get(dir) ?? 0) + 1);
    }
    expect(Math.max(...perFolder.values())).toBeLessThan(20);
    expect(perFolder.size).toBeGreaterThan(50_000);
  });
});

describe('sizes', () => {
  it('fits the short side of thumbnails and the long side of previews, never enlarging', () => {
    expect(fitShortSide({ width: 4032, height: 3024 }, 250)).toEqual({ width: 333, height: 250 });
    expect(fitShortSide({ width: 100, height: 67 }, 250)).toEqual({ width: 100, height: 67 });
    expect(fitLongSide({ width: 3024, height: 4032 }, 1440)).toEqual({ width: 1080, height: 1440 });
    expect(fitLongSide({ width: 640, height: 480 }, 1440)).toEqual({ width: 640, height: 480 });
  });

  it('takes an embedded thumbnail for the grid only when it is large enough', () => {
    const full = { width: 4032, height: 3024 };
    expect(embeddedServesThumbnail({ width: 320, height: 240 }, full)).toBe(true);
    expect(embeddedServesThumbnail({ width: 160, height: 120 }, full)).toBe(false);
    // A small picture has no larger thumbnail to give.
    expect(embeddedServesThumbnail({ width: 160, height: 120 }, { width: 160, height: 120 })).toBe(true);
  });

  it('knows camera RAW file types', () => {
    expect(['CR2', 'nef', 'DNG', 'GPR', 'RAF'].every(isRawFileType)).toBe(true);
    expect(['JPEG', 'HEIC', 'TIFF', null].some(isRawFileType)).toBe(false);
  });
});

describe('video playability in Chromium', () => {
  const mp4 = 'mov,mp4,m4a,3gp,3g2,mj2';
  it('plays H.264 8-bit with AAC in MP4 or MOV as it is', () => {
    expect(playability({ container: mp4, videoCodec: 'h264', profile: 'High', pixelFormat: 'yuv420p', audioCodec: 'aac' }))
      .toMatchObject({ playable: true, reasons: [] });
    expect(playability({ container: 'matroska,webm', videoCodec: 'vp9', profile: null, pixelFormat: 'yuv420p', audioCodec: 'opus' }).playable).toBe(true);
  });

  it('transcodes HEVC, MJPEG, MPEG-4 part 2, 10-bit H.264 and Matroska or AVI containers, saying why', () => {
    const hevc = playability({ container: mp4, videoCodec: 'hevc', profile: 'Main', pixelFormat: 'yuv420p', audioCodec: 'aac' });
    expect(hevc).toMatchObject({ playable: false, copyVideo: false, copyAudio: true });
    expect(hevc.reasons.join()).toMatch(/hevc/);
    expect(playability({ container: 'avi', videoCodec: 'mjpeg', profile: null, pixelFormat: 'yuvj422p', audioCodec: 'pcm_u8' }))
      .toMatchObject({ playable: false, copyVideo: false, copyAudio: false });
    expect(playability({ container: mp4, videoCodec: 'mpeg4', profile: 'Simple Profile', pixelFormat: 'yuv420p', audioCodec: 'amr_nb' }).playable).toBe(false);
    expect(playability({ container: mp4, videoCodec: 'h264', profile: 'High 10', pixelFormat: 'yuv420p10le', audioCodec: null }).playable).toBe(false);
    // H.264 in Matroska: only the container changes, the video stream is copied.
    expect(playability({ container: 'matroska,webm', videoCodec: 'h264', profile: 'High', pixelFormat: 'yuv420p', audioCodec: 'aac' }))
      .toMatchObject({ playable: false, copyVideo: true, copyAudio: true });
  });
});
