// Real files from ../shared/corpus (read in place, never copied) through the server's job system
// on PGlite and on the Postgres server: metadata → thumbnail → preview, and transcode for videos
// Chromium cannot play, in the shared media worker processes. Capture dates, sizes and cameras
// match MANIFEST.tsv; derivative files are where the layout says; broken files are recorded as
// failed with a reason while the others go on; Live Photos pair.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetDetail, JobsStatus } from '@shoebox/core/contract';
import { CORPUS, displayedSize, hasZone, readManifest } from '@shoebox/media-node/testing/corpus-manifest';
import { createJobSystem, type JobSystem } from '../src/jobs/job-system.ts';
import { createRepositories } from '../src/repositories/index.ts';
import { num, type Row } from '../src/jobs/sql-exec.ts';
import { insertAsset, insertUser, openTestDatabase, type DbKind, type TestDatabase } from './helpers/jobs-db.ts';
import { silentLog } from './helpers/jobs-fakes.ts';

const FILES = [
  'jpeg/gps/DSCN0010.jpg',
  'jpeg/digicam/Apple_iPhoneXR_IMG_3580.JPG',
  'jpeg/cameras-small/Canon_40D.jpg',
  'jpeg/gps-edge/with-null-coordinates.jpg',
  'heic/iphone_15_pro.heic',
  'png/16-bit-grey-alpha.png',
  'webp/denali.webp',
  'video/with-gps.mov',
  'video/quicktime-hvc1.mov',
  'video/Canon_S40_MVI_0121.AVI',
  'live-photo/IMG_3589.HEIC',
  'live-photo/IMG_3589.mov',
];
/** Files with no picture: their asset fails with a reason. */
const BROKEN = ['broken/corrupt-header.jpg', 'broken/self-made/zero-bytes.jpg', 'broken/self-made/text-file-renamed.jpg'];
const VIDEO = /\.(mov|mp4|avi|mkv|3gp)$/i;
const KINDS: DbKind[] = ['pglite', 'postgres'];
const manifest = readManifest();

interface AssetView extends Row {
  id: string;
  path: string;
  status: string;
  error: string | null;
  type: string;
  visibility: string;
}

describe.each(KINDS)('media jobs on real files (%s)', (kind) => {
  let t: TestDatabase;
  let jobs: JobSystem;
  let owner: string;
  let storageRoot: string;
  const ids = new Map<string, string>();
  let assets: Map<string, AssetView>;

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    storageRoot = path.join(t.dataDir, 'storage');
    owner = await insertUser(t.sql);
    jobs = createJobSystem({
      database: t.database, storageRoot, dataDir: t.dataDir, log: silentLog, workers: 2,
      // No models here: faces and CLIP are not queued.
      modelsDir: fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-no-models-')),
      timing: { pollMs: 50 },
    });
    await jobs.start();
    for (const rel of [...FILES, ...BROKEN]) {
      const id = await insertAsset(t.sql, { ownerId: owner, path: path.join(CORPUS, rel), type: VIDEO.test(rel) ? 'video' : 'image' });
      ids.set(rel, id);
      await jobs.onUploaded(owner, id);
    }
    await jobs.whenIdle();
    const rows = await t.sql.rows<AssetView>(sql`
      SELECT a.*, e.make, e.model, e.latitude, e.longitude, d.thumbnail_path, d.thumbnail_width, d.thumbnail_height,
        d.thumbnail_error, d.preview_path, d.preview_width, d.preview_height, d.video_state, d.video_path, d.video_error
      FROM assets a LEFT JOIN exif e ON e.asset_id = a.id LEFT JOIN derivatives d ON d.asset_id = a.id`);
    assets = new Map(rows.map((r) => [path.relative(CORPUS, r.path), r]));
  }, 300_000);

  afterAll(async () => {
    await jobs?.stop();
    await t?.cleanup();
  });

  it('runs every job once and leaves nothing queued or running', async () => {
    const status = JobsStatus.parse(await jobs.control.status(50));
    for (const lane of status.lanes) expect(lane, lane.lane).toMatchObject({ queued: 0, running: 0 });
    const counts = await t.sql.rows<{ name: string; status: string; n: unknown }>(sql`
      SELECT name, status, count(*) AS n FROM jobs GROUP BY name, status ORDER BY name, status`);
    const n = (name: string, s: string): number => num(counts.find((c) => c.name === name && c.status === s)?.n ?? 0);
    expect(n('metadata', 'done') + n('metadata', 'failed')).toBe(FILES.length + BROKEN.length);
    // Every good file got its thumbnail and preview; the three videos that need it a transcode.
    expect(n('thumbnail', 'done')).toBeGreaterThanOrEqual(FILES.length);
    expect(n('preview', 'done')).toBeGreaterThanOrEqual(FILES.length);
    expect(n('transcode', 'done')).toBe(FILES.filter((f) => VIDEO.test(f)).length);
    expect(counts.some((c) => c.name === 'faces' || c.name === 'clip')).toBe(false);
    const attempts = await t.sql.rows(sql`SELECT attempts FROM jobs WHERE status = 'done' AND attempts <> 1`);
    expect(attempts).toEqual([]);
  });

  it('records capture times, sizes and cameras as MANIFEST.tsv has them', () => {
    let checked = 0;
    for (const rel of FILES) {
      const row = manifest.find((r) => r.path === rel)!;
      const a = assets.get(rel)!;
      expect(a.status, rel).toBe('ok');
      expect(a.type, rel).toBe(VIDEO.test(rel) ? 'video' : 'image');
      if (row.takenAt) {
        const local = a.taken_local as string;
        expect(local.slice(0, 19), rel).toBe(row.takenAt.slice(0, 19));
        expect(a.month, rel).toBe(`${row.takenAt.slice(0, 7)}-01`);
        if (hasZone(row.takenAt)) {
          const at = a.taken_at instanceof Date ? a.taken_at : new Date(String(a.taken_at));
          expect(Math.floor(at.getTime() / 1000), rel).toBe(Math.floor(Date.parse(row.takenAt) / 1000));
        }
        checked++;
      }
      const shown = displayedSize(row, manifest);
      if (shown && !rel.startsWith('heic/')) expect([a.width, a.height], rel).toEqual([shown.width, shown.height]);
      if (row.make.trim()) expect(`${a.make} ${a.model}`, rel).toContain(row.model.trim());
    }
    expect(checked).toBeGreaterThanOrEqual(9);
    // The zone of a time with an offset is kept.
    expect(assets.get('video/with-gps.mov')!.tz_offset_min).toBe(180);
    expect(assets.get('jpeg/gps/DSCN0010.jpg')!.latitude).toBeCloseTo(43.467, 2);
  });

  it('writes thumbnails, previews and thumbhashes under <storage>/derivatives/<owner>/<id[0..1]>/', () => {
    for (const rel of FILES) {
      const a = assets.get(rel)!;
      const dir = path.join(storageRoot, 'derivatives', owner, a.id.slice(0, 2));
      const thumb = path.resolve(t.dataDir, a.thumbnail_path as string);
      expect(thumb, rel).toBe(path.join(dir, `${a.id}-thumbnail.webp`));
      expect(fs.statSync(thumb).size, rel).toBeGreaterThan(100);
      expect(a.thumbhash, rel).toMatch(/^[A-Za-z0-9+/]+=*$/);
      const preview = path.resolve(t.dataDir, a.preview_path as string);
      expect(preview, rel).toMatch(new RegExp(`${a.id}-preview\\.(jpg|webp)$`));
      expect(path.dirname(preview)).toBe(dir);
      expect(fs.existsSync(preview), rel).toBe(true);
      // Stored relative to the data folder, as the repositories resolve them.
      expect(path.isAbsolute(a.thumbnail_path as string)).toBe(false);
      const w = num(a.preview_width);
      const h = num(a.preview_height);
      expect(Math.max(w, h), rel).toBeLessThanOrEqual(1440);
      const ratio = num(a.width) / num(a.height);
      expect(Math.abs(w / h - ratio) / ratio, rel).toBeLessThan(2.5 / Math.min(w, h));
    }
  });

  it('transcodes the videos Chromium cannot play to H.264 MP4, and leaves the others as they are', () => {
    expect(assets.get('video/with-gps.mov')).toMatchObject({ video_state: 'original', video_path: null });
    for (const rel of ['video/quicktime-hvc1.mov', 'video/Canon_S40_MVI_0121.AVI']) {
      const a = assets.get(rel)!;
      expect(a.video_state, rel).toBe('transcoded');
      const file = path.resolve(t.dataDir, a.video_path as string);
      expect(file).toBe(path.join(storageRoot, 'derivatives', owner, a.id.slice(0, 2), `${a.id}-video.mp4`));
      const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'quiet', '-print_format', 'json', '-show_streams', file], { encoding: 'utf8' })) as {
        streams: { codec_type: string; codec_name: string }[];
      };
      expect(probe.streams.find((s) => s.codec_type === 'video')?.codec_name, rel).toBe('h264');
    }
  });

  it('pairs the Live Photo: the still links the video, which leaves the timeline', () => {
    const still = assets.get('live-photo/IMG_3589.HEIC')!;
    const video = assets.get('live-photo/IMG_3589.mov')!;
    expect(still.live_photo_video_id).toBe(video.id);
    expect(video.visibility).toBe('hidden');
    expect(still.visibility).toBe('timeline');
  });

  it('records broken files as failed with their reason, without holding up the others', async () => {
    for (const rel of BROKEN) {
      const a = assets.get(rel)!;
      expect(a.status, rel).toBe('failed');
      expect(a.error, rel).toBeTruthy();
      expect(a.thumbnail_path ?? null, rel).toBeNull();
    }
    const status = JobsStatus.parse(await jobs.control.status(50));
    const failedAssets = new Set(status.recentFailures.map((f) => f.assetId));
    for (const rel of BROKEN) expect(failedAssets.has(ids.get(rel)!), rel).toBe(true);
    for (const rel of FILES) expect(failedAssets.has(ids.get(rel)!), rel).toBe(false);
  });

  it('is what the asset repository serves: details, thumbnails, previews and playable videos', async () => {
    const repos = createRepositories(t.database);
    const photo = assets.get('heic/iphone_15_pro.heic')!;
    const detail = AssetDetail.parse(await repos.assets.get(owner, photo.id));
    expect(detail).toMatchObject({ status: 'ok', width: 3024, height: 4032, thumbhash: photo.thumbhash });
    expect(detail.takenAt).toMatch(/^2023-10-31T11:44:43/);
    const thumb = await repos.assets.derivative(owner, photo.id, 'thumbnail');
    expect(thumb).toMatchObject({ path: path.resolve(t.dataDir, photo.thumbnail_path as string), error: null });
    expect((await repos.assets.derivative(owner, photo.id, 'preview'))?.path).toBe(path.resolve(t.dataDir, photo.preview_path as string));
    const hevc = assets.get('video/quicktime-hvc1.mov')!;
    expect(await repos.assets.derivative(owner, hevc.id, 'video')).toMatchObject({
      path: path.resolve(t.dataDir, hevc.video_path as string), contentType: 'video/mp4', isOriginal: false,
    });
    expect(await repos.assets.derivative(owner, assets.get('video/with-gps.mov')!.id, 'video')).toMatchObject({ isOriginal: true });
    const brokenId = ids.get('broken/corrupt-header.jpg')!;
    expect((await repos.assets.derivative(owner, brokenId, 'thumbnail'))?.path).toBeNull();
    expect(AssetDetail.parse(await repos.assets.get(owner, brokenId))).toMatchObject({ status: 'failed', error: expect.any(String) });
  });

  it('runs a job again idempotently: a second pass over done work changes nothing', async () => {
    const rel = 'jpeg/gps/DSCN0010.jpg';
    const before = assets.get(rel)!;
    const stat = fs.statSync(path.resolve(t.dataDir, before.thumbnail_path as string));
    await jobs.queue.enqueue([{ name: 'thumbnail', payload: { assetId: before.id }, ownerId: owner }]);
    await jobs.whenIdle();
    // Current for this content and pipeline version: not made again.
    expect(fs.statSync(path.resolve(t.dataDir, before.thumbnail_path as string)).mtimeMs).toBe(stat.mtimeMs);
    const [after] = await t.sql.rows(sql`SELECT thumbhash FROM assets WHERE id = ${before.id}`);
    expect(after!.thumbhash).toBe(before.thumbhash);
  });
});
