// Indexes the whole corpus through the CLI and checks what the media pipeline made: every photo
// and video that can be decoded has a thumbnail, a preview and a thumbhash whose shapes follow
// the displayed orientation (against MANIFEST.tsv, an independent source); pictures are upright
// pixel for pixel; transcodes are H.264/AAC MP4s of the right length; failures carry reasons.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { thumbHashToApproximateAspectRatio } from 'thumbhash';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, assets, shoeboxOk, tempDir, type AssetJson } from './helpers/cli.ts';
import { displayedSize, readManifest } from '@shoebox/media-node/testing/corpus-manifest';

/** Files with no picture Shoebox can decode, each failed with its reason. */
const NO_PICTURE: Record<string, RegExp> = {
  'raw/stubs/CanonRaw.cr2': /no image data/,
  'raw/stubs/CanonRaw.cr3': /no image data/,
  'raw/stubs/DNG.dng': /no image data/,
  'raw/stubs/Nikon.nef': /no image data/,
  'raw/stubs/Panasonic.rw2': /no image data/,
  'raw/stubs/sony_alpha_a7iii_raw_image.ARW': /no image data/,
  'raw/GoPro_Hero7_GOPR8508.GPR': /no image data|cannot be decoded/,
  'video/future42603.mp4': /no video stream/,
  'video/quicktime-mjpeg.mov': /another file|reference movie/,
};

const manifest = readManifest();
let list: AssetJson[];
let data: string;

const rel = (a: AssetJson): string => path.relative(CORPUS, a.path);

function ffprobe(file: string): { streams: Record<string, unknown>[]; format: { duration: string; format_name: string } } {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file], { encoding: 'utf8' }));
}

beforeAll(() => {
  data = tempDir('derivatives');
  shoeboxOk(data, ['add', CORPUS]);
  shoeboxOk(data, ['scan', '--wait']);
  list = assets(data);
}, 300_000);

describe('derivatives of ../shared/corpus', () => {
  it('gives every decodable photo and video a thumbnail, a preview and a thumbhash', async () => {
    const ok = list.filter((a) => a.status === 'ok');
    expect(ok.length).toBeGreaterThan(150);
    for (const a of ok) {
      expect(a.thumbnailPath, rel(a)).toBeTruthy();
      expect(a.previewPath, rel(a)).toBeTruthy();
      expect(a.thumbhash, rel(a)).toMatch(/^[A-Za-z0-9+/]+=*$/);
      const thumb = await sharp(a.thumbnailPath!).metadata();
      expect(thumb.format, rel(a)).toBe('webp');
      expect([thumb.width, thumb.height], rel(a)).toEqual(a.thumbnailSize);
      const preview = await sharp(a.previewPath!).metadata();
      expect([preview.width, preview.height], rel(a)).toEqual(a.previewSize);
      // About 250 px on the short side unless the picture (or its only embedded image) is smaller.
      expect(Math.min(thumb.width, thumb.height), rel(a)).toBeLessThanOrEqual(250);
      expect(Math.max(preview.width, preview.height), rel(a)).toBeLessThanOrEqual(1440);
      const full = a.width && a.height ? Math.min(a.width, a.height) : 0;
      if (full >= 250 && !rel(a).startsWith('raw/')) expect(Math.min(thumb.width, thumb.height), rel(a)).toBeGreaterThanOrEqual(240);
      // The thumbhash is a picture of the same shape.
      const hashRatio = thumbHashToApproximateAspectRatio(Buffer.from(a.thumbhash!, 'base64'));
      expect(Math.abs(Math.log(hashRatio / (thumb.width / thumb.height))), rel(a)).toBeLessThan(0.25);
    }
  });

  it('shapes every derivative as the picture is displayed (orientation, HEIC rotation, video rotation)', () => {
    let checked = 0;
    for (const row of manifest) {
      const a = list.find((x) => rel(x) === row.path);
      const shown = displayedSize(row, manifest);
      // RAW stubs record sensor sizes that are not the picture's; the 1×1 PNG has no shape to keep.
      if (!a?.thumbnailSize || !a.previewSize || !shown || row.path.startsWith('raw/stubs/') || shown.width < 8) continue;
      const ratio = shown.width / shown.height;
      for (const [w, h] of [a.thumbnailSize, a.previewSize]) {
        // Rounding to whole pixels moves a small side by at most one pixel.
        expect(Math.abs(w / h - ratio) / ratio, `${row.path} ${w}x${h} vs ${shown.width}x${shown.height}`).toBeLessThan(2.5 / Math.min(w, h));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(130);
  });

  it('turns all 8 EXIF orientations upright, pixel for pixel', async () => {
    const gray = async (file: string): Promise<Buffer> =>
      sharp(file).resize(48, 32, { fit: 'fill' }).grayscale().raw().toBuffer();
    const diff = (x: Buffer, y: Buffer): number => x.reduce((sum, v, i) => sum + Math.abs(v - y[i]!), 0) / x.length;
    for (const kind of ['Landscape', 'Portrait']) {
      const find = (n: number): AssetJson => list.find((a) => rel(a) === `orientation/recurser/${kind}_${n}.jpg`)!;
      const upright = await gray(find(1).previewPath!);
      const mirrored = await sharp(find(1).previewPath!).flop().resize(48, 32, { fit: 'fill' }).grayscale().raw().toBuffer();
      // A mirrored picture is far from the upright one: the check can tell them apart.
      expect(diff(upright, mirrored)).toBeGreaterThan(12);
      for (let n = 2; n <= 8; n++) {
        expect(diff(upright, await gray(find(n).previewPath!)), `${kind}_${n}`).toBeLessThan(6);
        expect(diff(await gray(find(1).thumbnailPath!), await gray(find(n).thumbnailPath!)), `${kind}_${n} thumbnail`).toBeLessThan(6);
      }
    }
  });

  it('uses the embedded thumbnail of iPhone HEIC files for the grid, and decodes them in full for the preview', () => {
    for (const p of ['heic/iphone_15_pro.heic', 'heic/IMG_2682.heic']) {
      const a = list.find((x) => rel(x) === p)!;
      const portrait = a.height! > a.width!;
      // The 320×240 thumbnail item, turned by its container rotation like the picture.
      expect(a.thumbnailSize).toEqual(portrait ? [240, 320] : [320, 240]);
      expect(a.previewSize).toEqual(portrait ? [1080, 1440] : [1440, 1080]);
    }
  });

  it('fails files with no picture with a reason, and keeps their metadata', () => {
    for (const [p, reason] of Object.entries(NO_PICTURE)) {
      const a = list.find((x) => rel(x) === p);
      expect(a, p).toBeDefined();
      expect(a!.status, p).toBe('failed');
      expect(a!.error, p).toMatch(reason);
      expect(a!.thumbnailPath, p).toBeNull();
    }
    // A stub with a real (small) preview is a photo all the same.
    expect(list.find((x) => rel(x) === 'raw/stubs/FujiFilm.raf')).toMatchObject({ status: 'ok', thumbnailSize: [160, 120] });
  });

  it('makes H.264/AAC MP4s of videos Chromium cannot play, upright and as long as the original', () => {
    const videos = list.filter((a) => a.type === 'video' && a.status === 'ok');
    const transcoded = videos.filter((a) => a.videoState === 'transcoded').map(rel).sort();
    expect(transcoded).toEqual([
      'video/Canon_S40_MVI_0121.AVI',
      'video/fate/hdr10tags-both.mkv',
      'video/fate/iphone15promax-spatial-multiview.mp4',
      'video/quicktime-hvc1.mov',
      'video/sample.3gp',
    ]);
    // H.264 in MP4 or MOV plays as it is.
    expect(videos.filter((a) => a.videoState === 'original').map(rel)).toContain('video/with-gps.mov');
    for (const a of videos.filter((x) => x.videoState === 'transcoded')) {
      const probe = ffprobe(a.videoPath!);
      const video = probe.streams.find((s) => s.codec_type === 'video')!;
      expect(video.codec_name, rel(a)).toBe('h264');
      expect(video.pix_fmt, rel(a)).toBe('yuv420p');
      expect(probe.format.format_name).toContain('mp4');
      const audio = probe.streams.find((s) => s.codec_type === 'audio');
      if (audio) expect(audio.codec_name, rel(a)).toBe('aac');
      // Rotation applied to the pixels: none left in the file, and the frames have the displayed shape.
      expect(JSON.stringify(video.side_data_list ?? [])).not.toMatch(/rotation/i);
      const ratio = (video.width as number) / (video.height as number);
      expect(Math.abs(ratio - a.width! / a.height!) / ratio, rel(a)).toBeLessThan(0.02);
      const row = manifest.find((r) => r.path === rel(a));
      const expected = row?.duration ?? a.duration;
      if (expected) expect(Math.abs(Number(probe.format.duration) - expected), rel(a)).toBeLessThan(0.25);
    }
  });

  it('lays derivatives out in shards of the data folder and reports status with the event-loop delay', () => {
    const thumbs = list.filter((a) => a.thumbnailPath).map((a) => a.thumbnailPath!);
    for (const t of thumbs) expect(path.relative(data, t)).toMatch(/^media\/thumbs\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f-]{36}\.webp$/);
    const status = JSON.parse(shoeboxOk(data, ['status', '--json'])) as { eventLoopDelay: { p99Ms: number } | null };
    expect(status.eventLoopDelay?.p99Ms).toBeGreaterThan(0);
  });
});

describe('regenerate', () => {
  it('remakes missing and existing derivatives, and sweeps files no asset owns', () => {
    const a = list.find((x) => rel(x) === 'jpeg/gps/DSCN0010.jpg')!;
    const v = list.find((x) => rel(x) === 'video/sample.3gp')!;
    fs.rmSync(a.thumbnailPath!);
    const orphan = path.join(path.dirname(a.thumbnailPath!), '00000000-0000-7000-8000-000000000000.webp');
    fs.writeFileSync(orphan, 'left behind');
    const videoBefore = fs.statSync(v.videoPath!).mtimeMs;
    const untouched = list.find((x) => rel(x) === 'jpeg/gps/DSCN0025.jpg')!;
    const thumbBefore = fs.statSync(untouched.thumbnailPath!).mtimeMs;
    const previewBefore = fs.statSync(untouched.previewPath!).mtimeMs;
    shoeboxOk(data, ['regenerate', '--thumbnails']);
    expect(fs.existsSync(a.thumbnailPath!)).toBe(true);
    // Existing ones are remade too, previews included.
    expect(fs.statSync(untouched.thumbnailPath!).mtimeMs).toBeGreaterThan(thumbBefore);
    expect(fs.statSync(untouched.previewPath!).mtimeMs).toBeGreaterThan(previewBefore);
    expect(fs.existsSync(orphan)).toBe(false);
    // Thumbnails only: the transcode stays as it was.
    expect(fs.statSync(v.videoPath!).mtimeMs).toBe(videoBefore);
    shoeboxOk(data, ['regenerate', '--videos']);
    expect(fs.statSync(v.videoPath!).mtimeMs).toBeGreaterThan(videoBefore);
    const after = assets(data).find((x) => x.id === a.id)!;
    expect(after.thumbhash).toBe(a.thumbhash);
  }, 120_000);
});
