// The app UI's routes on `shoebox serve` over real HTTP, on one library of corpus copies: edits and
// the filters that follow them, albums, the trash (restore, empty with and without deleting files,
// and a rescan that must not bring a removed file back), folders, facets, job control, the UI
// build with its caching and CSP, and the error shape. Every answer is parsed with its schema.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@shoebox/core/contract';
import { CORPUS, assets, shoeboxOk, tempDir } from './helpers/cli.ts';
import { expectError, startServe, type Served } from './helpers/serve.ts';

const FILES: Record<string, string> = {
  'a/gps/DSCN0010.jpg': 'jpeg/gps/DSCN0010.jpg',
  'a/gps/DSCN0025.jpg': 'jpeg/gps/DSCN0025.jpg',
  'a/Canon_40D.jpg': 'jpeg/cameras-small/Canon_40D.jpg',
  'a/sub/Nikon_D70.jpg': 'jpeg/cameras-small/Nikon_D70.jpg',
  'b/png_with_exif_and_gps.png': 'png/png_with_exif_and_gps.png',
  'b/screenshot.png': 'png/screenshot.png',
  'live/IMG_3589.HEIC': 'live-photo/IMG_3589.HEIC',
  'live/IMG_3589.mov': 'live-photo/IMG_3589.mov',
  'side/IMG_5910.jpg': 'sidecar/IMG_5910.jpg',
  'side/IMG_5910.xmp': 'sidecar/IMG_5910.xmp',
  'broken/truncated.png': 'broken/truncated.png',
};
const UNKNOWN = '5f0c8a43-4a57-4a8e-9a43-2f1d6c1d2b11';

let lib: string;
let data: string;
let ui: string;
let api: Served;
/** Asset ids by file name. */
const id: Record<string, string> = {};
/** The screenshot's capture date: its mtime, the day the test copied it. */
let today: string;

const json = { 'content-type': 'application/json' };
const buckets = (query = ''): Promise<{ timeBucket: string; count: number }[]> =>
  api.call('GET', `/api/timeline/buckets${query}`, routes.getTimeBuckets.response);
const bucket = async (timeBucket: string, query = ''): Promise<{ fileName: string; id: string; isFavorite: boolean; isArchived: boolean; isTrashed: boolean; rating: number | null }[]> =>
  (await api.call('GET', `/api/timeline/bucket?timeBucket=${timeBucket}${query}`, routes.getTimeBucket.response)).assets;
const names = (cells: { fileName: string }[]): string[] => cells.map((c) => c.fileName).sort();
const serveEnv = (): NodeJS.ProcessEnv => ({ SHOEBOX_UI_DIR: ui });

beforeAll(async () => {
  lib = fs.realpathSync(tempDir('ui-lib'));
  data = tempDir('ui-data');
  for (const [to, from] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(lib, to)), { recursive: true });
    fs.copyFileSync(path.join(CORPUS, from), path.join(lib, to));
    fs.chmodSync(path.join(lib, to), 0o644);
  }
  ui = tempDir('ui-build');
  fs.mkdirSync(path.join(ui, 'assets'));
  fs.writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>Shoebox</title><script type="module" src="./assets/app-1a2b3c.js"></script>');
  fs.writeFileSync(path.join(ui, 'assets', 'app-1a2b3c.js'), 'console.log("shoebox");');
  fs.writeFileSync(path.join(ui, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  shoeboxOk(data, ['add', lib]);
  shoeboxOk(data, ['scan', '--wait']);
  api = await startServe(data, serveEnv());
  const page = await api.call('GET', '/api/assets?size=100', routes.listAssets.response);
  for (const a of page.items) id[a.fileName] = a.id;
  today = page.items.find((a) => a.fileName === 'screenshot.png')!.takenAt.slice(0, 10);
});

afterAll(async () => {
  await api?.stop();
});

describe('the UI build', () => {
  it('serves index.html for pages, with a strict CSP, and caches hashed assets for good', async () => {
    const opened = await fetch(`${api.base}/?token=${api.token}`);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toMatch(/text\/html/);
    expect(opened.headers.get('cache-control')).toBe('no-cache');
    expect(opened.headers.get('content-security-policy')).toBe(
      "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
    expect(await opened.text()).toContain('<title>Shoebox</title>');
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const deep = await fetch(`${api.base}/albums/123`, { headers: { cookie } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('app-1a2b3c.js');
    const script = await fetch(`${api.base}/assets/app-1a2b3c.js`, { headers: { cookie } });
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const icon = await fetch(`${api.base}/favicon.svg`, { headers: { cookie } });
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${api.base}/assets/gone-000.js`, { headers: { cookie } })).status).toBe(404);
    await expectError(await api.request('/api/no-such-route'), 404, 'NOT_FOUND');
    await expectError(await fetch(`${api.base}/`), 401, 'UNAUTHORIZED');
    await expectError(await fetch(`${api.base}/assets/app-1a2b3c.js`), 401, 'UNAUTHORIZED');
  });

  it('says in plain words how to build the UI when there is no build', async () => {
    const bare = await startServe(tempDir('ui-bare'), { SHOEBOX_UI_DIR: path.join(ui, 'missing') });
    try {
      const res = await bare.request('/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const text = await res.text();
      expect(text).toContain('not built');
      expect(text).toContain('pnpm --filter @shoebox/ui build');
      await expectError(await bare.request('/api/nothing'), 404, 'NOT_FOUND');
    } finally {
      await bare.stop();
    }
  });
});

describe('browsing', () => {
  it('lists folders with their direct counts, and the search facets', async () => {
    const folders = await api.call('GET', '/api/folders', routes.getFolders.response);
    const rootId = (await api.call('GET', '/api/library/roots', routes.listRoots.response))[0]!.id;
    expect(folders).toEqual(
      [['a', 1], ['a/gps', 2], ['a/sub', 1], ['b', 2], ['live', 1], ['side', 1]]
        .map(([p, n]) => ({ path: path.join(lib, p as string), rootId, assetCount: n })),
    );
    const facets = await api.call('GET', '/api/search/facets', routes.getSearchFacets.response);
    expect(facets).toEqual({
      cameras: [
        { make: 'NIKON', model: 'COOLPIX P6000', count: 2 },
        { make: 'Apple', model: 'iPhone XR', count: 1 },
        { make: 'Canon', model: 'Canon EOS 40D', count: 1 },
        { make: 'Canon', model: 'Canon EOS 600D', count: 1 },
        { make: 'Canon', model: 'Canon PowerShot S40', count: 1 },
        { make: 'NIKON CORPORATION', model: 'NIKON D70', count: 1 },
      ],
      fileTypes: [{ fileType: 'JPEG', count: 5 }, { fileType: 'PNG', count: 2 }, { fileType: 'HEIC', count: 1 }],
      firstDate: '2003-12-14',
      lastDate: today,
    });
  });

  it('filters the timeline by camera, file type, folder, dates and location', async () => {
    expect(await buckets('?make=nikon')).toEqual([{ timeBucket: '2008-10-01', count: 2 }]);
    expect(await buckets('?make=CANON&model=canon%20eos%2040d')).toEqual([{ timeBucket: '2008-05-01', count: 1 }]);
    expect(names(await bucket('2008-10-01', '&model=coolpix%20p6000'))).toEqual(['DSCN0010.jpg', 'DSCN0025.jpg']);
    const pngs = await buckets('?fileType=png');
    expect(pngs.map((b) => b.timeBucket)).toEqual([`${today.slice(0, 7)}-01`, '2003-12-01']);
    const folder = (p: string, recursive?: boolean): string =>
      `?folder=${encodeURIComponent(path.join(lib, p))}${recursive === undefined ? '' : `&recursive=${recursive}`}`;
    expect(await buckets(folder('a'))).toEqual([{ timeBucket: '2008-05-01', count: 1 }]);
    expect(await buckets(`${folder('a/')}&recursive=false`)).toEqual([{ timeBucket: '2008-05-01', count: 1 }]);
    expect(await buckets(folder('a', true))).toEqual([
      { timeBucket: '2008-10-01', count: 2 }, { timeBucket: '2008-05-01', count: 1 }, { timeBucket: '2008-03-01', count: 1 },
    ]);
    expect(names(await bucket('2008-10-01', folder('a', true).replace('?', '&')))).toEqual(['DSCN0010.jpg', 'DSCN0025.jpg']);
    // Inclusive local days at both ends.
    expect(await buckets('?from=2008-03-15&to=2008-05-30')).toEqual([{ timeBucket: '2008-05-01', count: 1 }, { timeBucket: '2008-03-01', count: 1 }]);
    expect(await buckets('?from=2008-03-16&to=2008-05-29')).toEqual([]);
    expect(await buckets('?from=2008-10-22&to=2008-10-22')).toEqual([{ timeBucket: '2008-10-01', count: 2 }]);
    const located = await buckets('?hasLocation=true');
    expect(located.reduce((n, b) => n + b.count, 0)).toBe(4);
    const unlocated = await buckets('?hasLocation=false');
    expect(unlocated.reduce((n, b) => n + b.count, 0)).toBe(4);
    const listed = await api.call('GET', '/api/assets?fileType=heic', routes.listAssets.response);
    expect(listed.items.map((a) => a.fileName)).toEqual(['IMG_3589.HEIC']);
  });
});

describe('editing', () => {
  it('favourites, rates, archives and trashes, and the filters follow', async () => {
    const edited = await api.call('PATCH', `/api/assets/${id['DSCN0010.jpg']}`, routes.updateAsset.response, { isFavorite: true, rating: 4, description: 'harbour' });
    expect(edited).toMatchObject({ isFavorite: true, rating: 4, description: 'harbour', trashedAt: null });
    expect(await buckets('?favorite=true')).toEqual([{ timeBucket: '2008-10-01', count: 1 }]);
    const cell = (await bucket('2008-10-01', '&favorite=true'))[0]!;
    expect(cell).toMatchObject({ fileName: 'DSCN0010.jpg', isFavorite: true, rating: 4, isTrashed: false });

    const archived = await api.call('PUT', '/api/assets', routes.updateAssets.response, { ids: [id['Nikon_D70.jpg'], id['Canon_40D.jpg']], isArchived: true });
    expect(archived.count).toBe(2);
    const months = (await buckets()).map((b) => b.timeBucket);
    expect(months).not.toContain('2008-05-01');
    expect(months).not.toContain('2008-03-01');
    expect(await buckets('?archived=true')).toEqual([{ timeBucket: '2008-05-01', count: 1 }, { timeBucket: '2008-03-01', count: 1 }]);
    expect((await bucket('2008-03-01', '&archived=true'))[0]).toMatchObject({ fileName: 'Nikon_D70.jpg', isArchived: true });

    const trashed = await api.call('PATCH', `/api/assets/${id['screenshot.png']}`, routes.updateAsset.response, { trashed: true });
    expect(trashed.trashedAt).not.toBeNull();
    const month = `${today.slice(0, 7)}-01`;
    expect(await buckets('?trashed=true')).toEqual([{ timeBucket: month, count: 1 }]);
    expect((await bucket(month, '&trashed=true'))[0]).toMatchObject({ fileName: 'screenshot.png', isTrashed: true });
    expect((await bucket(month)).map((c) => c.fileName)).not.toContain('screenshot.png');

    // Unknown ids are skipped; only what exists is counted.
    const unarchived = await api.call('PUT', '/api/assets', routes.updateAssets.response, { ids: [id['Canon_40D.jpg'], UNKNOWN], isArchived: false });
    expect(unarchived.count).toBe(1);
    const restored = await api.call('PATCH', `/api/assets/${id['screenshot.png']}`, routes.updateAsset.response, { trashed: false, rating: null });
    expect(restored).toMatchObject({ trashedAt: null, rating: null });
    expect(await buckets('?trashed=true')).toEqual([]);
  });

  it('keeps albums: create, add (duplicates skipped), cover, filter, remove, rename, delete', async () => {
    const d10 = id['DSCN0010.jpg']!;
    const d25 = id['DSCN0025.jpg']!;
    const d70 = id['Nikon_D70.jpg']!;
    const canon = id['Canon_40D.jpg']!;
    const created = await api.request('/api/albums', { method: 'POST', headers: json, body: JSON.stringify({ name: ' Trip ', assetIds: [d10, d25, d70, d10] }) });
    expect(created.status).toBe(201);
    const trip = routes.createAlbum.response.parse(await created.json());
    const detail = (assetId: string) => api.call('GET', `/api/assets/${assetId}`, routes.getAsset.response);
    expect(trip).toMatchObject({
      name: 'Trip', description: null, assetCount: 3, coverAssetId: d25,
      startDate: (await detail(d70)).takenAt, endDate: (await detail(d25)).takenAt,
    });
    const added = await api.call('PUT', `/api/albums/${trip.id}/assets`, routes.addAlbumAssets.response, { ids: [d25, canon] });
    expect(added.count).toBe(1);
    expect(added.album.assetCount).toBe(4);
    await api.fails('PATCH', `/api/albums/${trip.id}`, 404, 'ASSET_NOT_FOUND', { coverAssetId: id['png_with_exif_and_gps.png'] });
    const covered = await api.call('PATCH', `/api/albums/${trip.id}`, routes.updateAlbum.response, { coverAssetId: canon, description: 'summer' });
    expect(covered).toMatchObject({ coverAssetId: canon, coverThumbhash: (await detail(canon)).thumbhash, description: 'summer' });

    const empty = await api.call('POST', '/api/albums', routes.createAlbum.response, { name: 'Empty' });
    expect(empty).toMatchObject({ assetCount: 0, coverAssetId: null, coverThumbhash: null, startDate: null, endDate: null });
    expect((await api.call('GET', '/api/albums', routes.listAlbums.response)).map((a) => a.name)).toEqual(['Empty', 'Trip']);
    expect((await api.call('GET', `/api/albums?assetId=${canon}`, routes.listAlbums.response)).map((a) => a.id)).toEqual([trip.id]);
    // The album shows what it holds, archived assets included (D70 is archived).
    expect(await buckets(`?albumId=${trip.id}`)).toEqual([
      { timeBucket: '2008-10-01', count: 2 }, { timeBucket: '2008-05-01', count: 1 }, { timeBucket: '2008-03-01', count: 1 },
    ]);
    const listed = await api.call('GET', `/api/assets?albumId=${trip.id}`, routes.listAssets.response);
    expect(listed.total).toBe(4);

    const removed = await api.call('DELETE', `/api/albums/${trip.id}/assets`, routes.removeAlbumAssets.response, { ids: [canon, UNKNOWN] });
    expect(removed.count).toBe(1);
    expect(removed.album).toMatchObject({ assetCount: 3, coverAssetId: d25 });
    const renamed = await api.call('PATCH', `/api/albums/${trip.id}`, routes.updateAlbum.response, { name: 'Nice 2008' });
    expect(renamed.name).toBe('Nice 2008');
    expect((await api.call('GET', '/api/albums', routes.listAlbums.response)).map((a) => a.name)).toEqual(['Nice 2008', 'Empty']);
    expect(await api.call('DELETE', `/api/albums/${empty.id}`, routes.deleteAlbum.response)).toEqual({ deleted: true });
    await api.fails('GET', `/api/albums/${empty.id}`, 404, 'ALBUM_NOT_FOUND');
    expect((await api.call('GET', `/api/albums/${trip.id}`, routes.getAlbum.response)).assetCount).toBe(3);
  });
});

describe('the trash', () => {
  it('restores listed assets, then everything', async () => {
    const png = id['png_with_exif_and_gps.png']!;
    const heic = id['IMG_3589.HEIC']!;
    expect((await api.call('PUT', '/api/assets', routes.updateAssets.response, { ids: [png, heic], trashed: true })).count).toBe(2);
    expect((await buckets('?trashed=true')).reduce((n, b) => n + b.count, 0)).toBe(2);
    expect((await api.call('POST', '/api/trash/restore', routes.restoreTrash.response, { ids: [png, UNKNOWN] })).count).toBe(1);
    expect((await api.call('POST', '/api/trash/restore', routes.restoreTrash.response, {})).count).toBe(1);
    expect(await buckets('?trashed=true')).toEqual([]);
  });

  it('empties without deleting files: gone from every listing, and a rescan does not bring them back', async () => {
    const heic = id['IMG_3589.HEIC']!;
    const d25 = id['DSCN0025.jpg']!;
    const still = await api.call('GET', `/api/assets/${heic}`, routes.getAsset.response);
    const video = still.livePhotoVideoId!;
    expect(video).toBeTruthy();
    const tripBefore = (await api.call('GET', '/api/albums', routes.listAlbums.response))[0]!;
    await api.call('PUT', '/api/assets', routes.updateAssets.response, { ids: [heic, d25], trashed: true });
    const first = await api.call('POST', '/api/trash/empty', routes.emptyTrash.response, { ids: [heic] });
    expect(first).toEqual({ removed: 1, filesDeleted: 0, failures: [] });
    for (const gone of [heic, video]) await api.fails('GET', `/api/assets/${gone}`, 404, 'ASSET_NOT_FOUND');
    await api.fails('GET', `/api/assets/${heic}/thumbnail`, 404, 'ASSET_NOT_FOUND');
    const rest = await api.call('POST', '/api/trash/empty', routes.emptyTrash.response, {});
    expect(rest).toEqual({ removed: 1, filesDeleted: 0, failures: [] });
    // Their files stay where they were.
    for (const f of ['live/IMG_3589.HEIC', 'live/IMG_3589.mov', 'a/gps/DSCN0025.jpg']) expect(fs.existsSync(path.join(lib, f))).toBe(true);
    const everything = await api.call('GET', '/api/assets?size=100&includeDuplicates=true', routes.listAssets.response);
    for (const name of ['IMG_3589.HEIC', 'IMG_3589.mov', 'DSCN0025.jpg']) expect(everything.items.map((a) => a.fileName)).not.toContain(name);
    expect(names(await bucket('2008-10-01'))).toEqual(['DSCN0010.jpg']);
    expect(await buckets('?trashed=true')).toEqual([]);
    expect((await api.call('GET', '/api/albums', routes.listAlbums.response))[0]!.assetCount).toBe(tripBefore.assetCount - 1);

    // Touched on disk (same content), then rescanned with the engine stopped: the removed paths
    // stay removed. The same content copied to a new path is a new file the person put there.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(lib, 'live/IMG_3589.HEIC'), later, later);
    fs.utimesSync(path.join(lib, 'a/gps/DSCN0025.jpg'), later, later);
    fs.copyFileSync(path.join(CORPUS, 'jpeg/gps/DSCN0025.jpg'), path.join(lib, 'a/gps/copy.jpg'));
    await api.stop();
    shoeboxOk(data, ['scan', '--wait']);
    const paths = assets(data).map((a) => path.relative(lib, a.path));
    expect(paths).not.toContain('live/IMG_3589.HEIC');
    expect(paths).not.toContain('a/gps/DSCN0025.jpg');
    expect(paths).toContain('a/gps/copy.jpg');
    // Other content saved under a removed file's name (a new export over it) is a new file.
    fs.copyFileSync(path.join(CORPUS, 'jpeg/cameras-small/Canon_40D.jpg'), path.join(lib, 'live/IMG_3589.HEIC'));
    shoeboxOk(data, ['scan', '--wait']);
    expect(assets(data).find((a) => a.path === path.join(lib, 'live/IMG_3589.HEIC'))).toMatchObject({ make: 'Canon', status: 'ok' });
    const status = JSON.parse(shoeboxOk(data, ['status', '--json'])) as { assets: { livePhotoVideos: number; files: number } };
    expect(status.assets.livePhotoVideos).toBe(0);
    // Once the removed file is gone from disk, its path is forgotten: a new file there is welcome.
    fs.rmSync(path.join(lib, 'a/gps/DSCN0025.jpg'));
    shoeboxOk(data, ['scan']);
    fs.copyFileSync(path.join(CORPUS, 'jpeg/cameras-small/Pentax_K10D.jpg'), path.join(lib, 'a/gps/DSCN0025.jpg'));
    shoeboxOk(data, ['scan', '--wait']);
    expect(assets(data).find((a) => a.path === path.join(lib, 'a/gps/DSCN0025.jpg'))).toMatchObject({ make: 'PENTAX Corporation', status: 'ok' });
    api = await startServe(data, serveEnv());
    expect(names(await bucket('2008-10-01'))).toEqual(['DSCN0010.jpg', 'copy.jpg']);
  });

  it('deletes files (and their sidecars) only with deleteFiles and its confirmation', async () => {
    const photo = id['IMG_5910.jpg']!;
    const file = path.join(lib, 'side/IMG_5910.jpg');
    const sidecar = path.join(lib, 'side/IMG_5910.xmp');
    // Only ever temporary copies: never the shared corpus.
    expect(file.startsWith(CORPUS)).toBe(false);
    expect((await api.call('GET', `/api/assets/${photo}`, routes.getAsset.response)).sidecars).toEqual([sidecar]);
    // A second photo with the same stem shares IMG_5910.xmp (a RAW+JPEG pair does).
    const twin = path.join(lib, 'side/IMG_5910.gif');
    fs.copyFileSync(path.join(CORPUS, 'gif/example-static.gif'), twin);
    await api.call('POST', '/api/library/scan', routes.scanLibrary.response, {});
    await api.call('PATCH', `/api/assets/${photo}`, routes.updateAsset.response, { trashed: true });
    await api.fails('POST', '/api/trash/empty', 400, 'VALIDATION_FAILED', { deleteFiles: true });
    await api.fails('POST', '/api/trash/empty', 400, 'VALIDATION_FAILED', { deleteFiles: true, confirm: 'yes' });
    expect(fs.existsSync(file)).toBe(true);
    const emptied = await api.call('POST', '/api/trash/empty', routes.emptyTrash.response, { ids: [photo], deleteFiles: true, confirm: 'delete files' });
    expect(emptied).toEqual({ removed: 1, filesDeleted: 1, failures: [] });
    expect(fs.existsSync(file)).toBe(false);
    // The shared sidecar stays with the photo that still uses it.
    expect(fs.existsSync(sidecar)).toBe(true);
    await api.fails('GET', `/api/assets/${photo}`, 404, 'ASSET_NOT_FOUND');

    // Once nothing else uses it, it goes with its photo.
    const page = await api.call('GET', '/api/assets?size=100', routes.listAssets.response);
    const twinId = page.items.find((a) => a.path === twin)!.id;
    // The trash shows (and empties) what the grid can show: wait for its metadata.
    for (let i = 0; i < 200 && (await api.call('GET', `/api/assets/${twinId}`, routes.getAsset.response)).status !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await api.call('PATCH', `/api/assets/${twinId}`, routes.updateAsset.response, { trashed: true });
    const second = await api.call('POST', '/api/trash/empty', routes.emptyTrash.response, { deleteFiles: true, confirm: 'delete files' });
    expect(second.failures).toEqual([]);
    expect(fs.existsSync(twin)).toBe(false);
    expect(fs.existsSync(sidecar)).toBe(false);
  });
});

describe('jobs', () => {
  const lane = async (name: string) => (await api.call('GET', '/api/jobs', routes.getJobsStatus.response)).lanes.find((l) => l.lane === name)!;
  const until = async (check: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await check()).toBe(true);
  };

  it('pauses and resumes a lane, and queues failed jobs again', async () => {
    const paused = await api.call('PUT', '/api/jobs/lanes/io', routes.setLanePaused.response, { paused: true });
    expect(paused).toMatchObject({ lane: 'io', paused: true, failed: 1 });
    expect(typeof paused.perMinute).toBe('number');
    // The broken file's metadata job is queued again, and waits while its lane is paused.
    const retried = await api.call('POST', '/api/jobs/retry-failed', routes.retryFailedJobs.response, { lane: 'io' });
    expect(retried.requeued).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await lane('io')).toMatchObject({ queued: 1, failed: 0, paused: true });
    const resumed = await api.call('PUT', '/api/jobs/lanes/io', routes.setLanePaused.response, { paused: false });
    expect(resumed.paused).toBe(false);
    await until(async () => {
      const io = await lane('io');
      return io.queued === 0 && io.running === 0 && io.failed === 1;
    });
    expect((await lane('io')).perMinute).toBeGreaterThanOrEqual(1);
    const status = await api.call('GET', '/api/jobs', routes.getJobsStatus.response);
    expect(status.recentFailures[0]!.path).toBe(path.join(lib, 'broken/truncated.png'));
    expect((await api.call('POST', '/api/jobs/retry-failed', routes.retryFailedJobs.response, { lane: 'media' })).requeued).toBe(0);
  });
});

describe('errors', () => {
  it('answers unknown ids with 404 and bad bodies with 400, in the one error shape', async () => {
    const photo = id['DSCN0010.jpg']!;
    await api.fails('PATCH', `/api/assets/${UNKNOWN}`, 404, 'ASSET_NOT_FOUND', { isFavorite: true });
    await api.fails('PATCH', `/api/assets/${photo}`, 400, 'VALIDATION_FAILED', {});
    await api.fails('PATCH', `/api/assets/${photo}`, 400, 'VALIDATION_FAILED', { isFavorite: 'yes' });
    await api.fails('PATCH', `/api/assets/${photo}`, 400, 'VALIDATION_FAILED', { rating: 9 });
    await api.fails('PATCH', `/api/assets/${photo}`, 400, 'VALIDATION_FAILED', { path: '/etc/passwd' });
    await api.fails('PUT', '/api/assets', 400, 'VALIDATION_FAILED', { ids: [], isFavorite: true });
    await api.fails('PUT', '/api/assets', 400, 'VALIDATION_FAILED', { ids: [photo] });
    await api.fails('GET', `/api/albums/${UNKNOWN}`, 404, 'ALBUM_NOT_FOUND');
    await api.fails('PATCH', `/api/albums/${UNKNOWN}`, 404, 'ALBUM_NOT_FOUND', { name: 'x' });
    await api.fails('DELETE', `/api/albums/${UNKNOWN}`, 404, 'ALBUM_NOT_FOUND');
    await api.fails('PUT', `/api/albums/${UNKNOWN}/assets`, 404, 'ALBUM_NOT_FOUND', { ids: [photo] });
    await api.fails('DELETE', `/api/albums/${UNKNOWN}/assets`, 404, 'ALBUM_NOT_FOUND', { ids: [photo] });
    await api.fails('POST', '/api/albums', 400, 'VALIDATION_FAILED', { name: '   ' });
    await api.fails('POST', '/api/albums', 400, 'VALIDATION_FAILED', { name: 'x', assetIds: ['not-a-uuid'] });
    await api.fails('GET', '/api/albums?assetId=nope', 400, 'VALIDATION_FAILED');
    await api.fails('PUT', '/api/jobs/lanes/bogus', 400, 'VALIDATION_FAILED', { paused: true });
    await api.fails('PUT', '/api/jobs/lanes/io', 400, 'VALIDATION_FAILED', { paused: 'no' });
    await api.fails('POST', '/api/jobs/retry-failed', 400, 'VALIDATION_FAILED', { lane: 'gpu' });
    await api.fails('POST', '/api/trash/restore', 400, 'VALIDATION_FAILED', { ids: [] });
    await api.fails('GET', '/api/timeline/buckets?from=2020-13-01', 400, 'VALIDATION_FAILED');
    await api.fails('GET', '/api/timeline/buckets?recursive=maybe', 400, 'VALIDATION_FAILED');
  });
});
