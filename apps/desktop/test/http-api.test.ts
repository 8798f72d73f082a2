// `shoebox serve` over real HTTP: the token, every route's answer parsed with its schema, filters,
// the timeline, range requests on originals, and the one error shape for bad requests.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@shoebox/core/contract';
import { CORPUS, shoeboxOk, tempDir } from './helpers/cli.ts';
import { expectError, startServe, type Served } from './helpers/serve.ts';

const FILES = [
  'jpeg/gps/DSCN0010.jpg', 'jpeg/gps/DSCN0025.jpg', 'jpeg/cameras-small/Canon_40D.jpg', 'video/with-gps.mov',
  'video/quicktime-hvc1.mov', 'broken/truncated.png',
];

let served: Served | undefined;
let base: string;
let token: string;
let lib: string;

const get = (p: string, init: RequestInit = {}, withToken = true): Promise<Response> => served!.request(p, init, withToken);

async function json<T>(p: string, schema: { parse(v: unknown): T }, init: RequestInit = {}): Promise<T> {
  const res = await get(p, init);
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`${p}: ${res.status} ${JSON.stringify(body)}`);
  return schema.parse(body);
}


beforeAll(async () => {
  lib = tempDir('http-lib');
  const data = tempDir('http-data');
  for (const rel of FILES) {
    fs.mkdirSync(path.dirname(path.join(lib, rel)), { recursive: true });
    fs.copyFileSync(path.join(CORPUS, rel), path.join(lib, rel));
  }
  shoeboxOk(data, ['add', lib]);
  shoeboxOk(data, ['scan', '--wait']);
  served = await startServe(data);
  base = served.base;
  token = served.token;
  expect(token.length).toBeGreaterThanOrEqual(32);
});

afterAll(async () => {
  await served?.stop();
});

describe('shoebox serve', () => {
  it('binds to loopback and refuses requests without the token', async () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expectError(await get('/api/server/info', {}, false), 401, 'UNAUTHORIZED');
    await expectError(await get('/api/server/info', { headers: { authorization: 'Bearer wrong' } }, false), 401, 'UNAUTHORIZED');
    // fetch will not forge Host; a raw request can, as a DNS-rebinding page would.
    const rebound = await new Promise<number>((resolve, reject) => {
      const u = new URL(base);
      http.get({ host: u.hostname, port: u.port, path: '/api/server/info', headers: { host: 'evil.example', authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(rebound).toBe(403);
    const viaQuery = await fetch(`${base}/api/server/info?token=${token}`);
    expect(viaQuery.status).toBe(200);
    const cookie = viaQuery.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    const viaCookie = await fetch(`${base}/api/server/info`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(viaCookie.status).toBe(200);
  });

  it('answers server info, roots and jobs in the contract shapes', async () => {
    const info = await json('/api/server/info', routes.getServerInfo.response);
    expect(info).toMatchObject({ name: 'shoebox', mode: 'headless', assets: { image: 4, video: 2, failed: 1 } });
    const roots = await json('/api/library/roots', routes.listRoots.response);
    expect(roots.map((r) => r.path)).toEqual([fs.realpathSync(lib)]);
    const jobs = await json('/api/jobs', routes.getJobsStatus.response);
    expect(jobs.lanes.find((l) => l.lane === 'io')).toMatchObject({ queued: 0, running: 0, done: 5, failed: 1 });
    // Thumbnails of 3 photos and 2 videos, a preview job for each (videos get theirs from the
    // poster frame in the thumbnail's pass, and that job only finds it made) and the playable
    // versions of the 2 videos.
    expect(jobs.lanes.find((l) => l.lane === 'media')).toMatchObject({ queued: 0, running: 0, done: 12, failed: 0 });
    // Without models no faces or CLIP job is queued (they are when the models arrive).
    expect(jobs.lanes.find((l) => l.lane === 'ml')).toMatchObject({ queued: 0, running: 0, done: 0, failed: 0 });
    expect(jobs.recentFailures[0]!.path).toMatch(/truncated\.png$/);
  });

  it('pages and filters assets, and returns one asset with full metadata', async () => {
    const page = await json('/api/assets?size=2', routes.listAssets.response);
    expect(page.total).toBe(6);
    expect(page.items).toHaveLength(2);
    expect(page.hasNextPage).toBe(true);
    const nikon = await json('/api/assets?make=NIKON&model=COOLPIX%20P6000', routes.listAssets.response);
    expect(nikon.items.map((a) => a.fileName).sort()).toEqual(['DSCN0010.jpg', 'DSCN0025.jpg']);
    const videos = await json('/api/assets?type=video', routes.listAssets.response);
    expect(videos.items.map((a) => a.fileName).sort()).toEqual(['quicktime-hvc1.mov', 'with-gps.mov']);
    const located = await json('/api/assets?hasLocation=true', routes.listAssets.response);
    expect(located.total).toBe(4);
    const in2008 = await json('/api/assets?from=2008-10-22T00:00:00&to=2008-10-23T00:00:00', routes.listAssets.response);
    expect(in2008.total).toBe(2);
    const failed = await json('/api/assets?status=failed', routes.listAssets.response);
    expect(failed.items.map((a) => a.fileName)).toEqual(['truncated.png']);
    const detail = await json(`/api/assets/${nikon.items[0]!.id}`, routes.getAsset.response);
    expect(detail.exif.make).toBe('NIKON');
    expect(detail.exif.latitude).toBeCloseTo(43.46, 1);
    expect(detail.takenAt).toMatch(/^2008-10-22T16:\d\d:\d\d\+02:00$/);
  });

  it('serves the timeline: counts per month, then one month', async () => {
    const buckets = await json('/api/timeline/buckets', routes.getTimeBuckets.response);
    expect(buckets).toEqual([
      { timeBucket: '2023-09-01', count: 1 },
      { timeBucket: '2019-07-01', count: 1 },
      { timeBucket: '2008-10-01', count: 2 },
      { timeBucket: '2008-05-01', count: 1 },
    ]);
    const month = await json('/api/timeline/bucket?timeBucket=2008-10-01', routes.getTimeBucket.response);
    expect(month.assets.map((a) => a.fileName)).toEqual(['DSCN0025.jpg', 'DSCN0010.jpg']);
  });

  it('streams originals with HTTP range support', async () => {
    const page = await json('/api/assets?type=video', routes.listAssets.response);
    const id = page.items.find((a) => a.fileName === 'with-gps.mov')!.id;
    const whole = fs.readFileSync(path.join(lib, 'video/with-gps.mov'));
    const full = await get(`/api/assets/${id}/original`);
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await full.arrayBuffer()).equals(whole)).toBe(true);
    const part = await get(`/api/assets/${id}/original`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);
    const tail = await get(`/api/assets/${id}/original`, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 10))).toBe(true);
    const outside = await get(`/api/assets/${id}/original`, { headers: { range: `bytes=${whole.length + 10}-` } });
    expect(outside.status).toBe(416);
    const download = await get(`/api/assets/${id}/original?download=true`);
    expect(download.headers.get('content-disposition')).toMatch(/attachment/);
  });

  it('serves thumbnails, previews and playable video (the original when it plays, with ranges)', async () => {
    const page = await json('/api/assets', routes.listAssets.response);
    const photo = page.items.find((a) => a.fileName === 'DSCN0010.jpg')!;
    expect(photo.thumbhash).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const thumb = await get(`/api/assets/${photo.id}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(Buffer.from(await thumb.arrayBuffer()).subarray(8, 12).toString()).toBe('WEBP');
    const preview = await get(`/api/assets/${photo.id}/preview`);
    expect(preview.headers.get('content-type')).toBe('image/jpeg');
    const detail = await json(`/api/assets/${photo.id}`, routes.getAsset.response);
    expect(detail.derivatives).toMatchObject({
      thumbnail: { state: 'ready', width: 333, height: 250 }, preview: { state: 'ready', width: 640, height: 480 }, video: null,
    });
    // H.264 in a MOV plays in Chromium: the original is the playable video.
    const mov = page.items.find((a) => a.fileName === 'with-gps.mov')!;
    const original = fs.readFileSync(path.join(lib, 'video/with-gps.mov'));
    const asIs = await get(`/api/assets/${mov.id}/video`, { headers: { range: 'bytes=0-99' } });
    expect(asIs.status).toBe(206);
    expect(Buffer.from(await asIs.arrayBuffer()).equals(original.subarray(0, 100))).toBe(true);
    // HEVC does not: the transcode is served, with ranges.
    const hevc = page.items.find((a) => a.fileName === 'quicktime-hvc1.mov')!;
    const hevcDetail = await json(`/api/assets/${hevc.id}`, routes.getAsset.response);
    expect(hevcDetail.derivatives.video).toMatchObject({ state: 'ready', error: null });
    const whole = await get(`/api/assets/${hevc.id}/video`);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    const mp4 = Buffer.from(await whole.arrayBuffer());
    expect(mp4.subarray(4, 8).toString()).toBe('ftyp');
    const part = await get(`/api/assets/${hevc.id}/video`, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${mp4.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(mp4.subarray(1000, 2000))).toBe(true);
  });

  it('answers bad requests with 4xx and a reason, in one error shape', async () => {
    await expectError(await get('/api/assets/not-a-uuid'), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/assets/5f0c8a43-4a57-4a8e-9a43-2f1d6c1d2b11'), 404, 'ASSET_NOT_FOUND');
    await expectError(await get('/api/assets?size=5000'), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/assets?favorite=maybe'), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/timeline/bucket?timeBucket=2024-13-01'), 400, 'VALIDATION_FAILED');
    await expectError(await get('/api/nothing-here'), 404, 'NOT_FOUND');
    const post = (body: string) => get('/api/library/roots', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await expectError(await post('{"path": '), 400, 'BAD_REQUEST');
    await expectError(await post('{}'), 400, 'VALIDATION_FAILED');
    await expectError(await post(JSON.stringify({ path: path.join(lib, 'missing') })), 422, 'FOLDER_NOT_FOUND');
    await expectError(await post(JSON.stringify({ path: path.join(lib, 'jpeg') })), 409, 'ROOT_OVERLAPS');
    const failed = await json('/api/assets?status=failed', routes.listAssets.response);
    await expectError(await get(`/api/assets/${failed.items[0]!.id}/thumbnail`), 404, 'DERIVATIVE_NOT_FOUND');
    const photo = await json('/api/assets?type=image&size=1', routes.listAssets.response);
    await expectError(await get(`/api/assets/${photo.items[0]!.id}/video`), 404, 'DERIVATIVE_NOT_FOUND');
  });

  it('adds and removes a library folder over the API', async () => {
    const extra = tempDir('http-extra');
    const created = await get('/api/library/roots', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: extra }) });
    expect(created.status).toBe(201);
    const root = routes.addRoot.response.parse(await created.json());
    const removed = await json(`/api/library/roots/${root.id}`, routes.removeRoot.response, { method: 'DELETE' });
    expect(removed.removedAssets).toBe(0);
  });
});
