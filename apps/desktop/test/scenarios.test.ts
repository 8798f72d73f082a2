// Rescan, move, rename, delete, duplicate and edit scenarios on a temporary copy of corpus files:
// identity follows the content, nothing is ever deleted from the catalog by a scan.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CORPUS, assets, shoebox, shoeboxOk, tempDir } from './helpers/cli.ts';

const FILES = [
  'jpeg/gps/DSCN0010.jpg',
  'jpeg/gps/DSCN0025.jpg',
  'jpeg/cameras-small/Canon_40D.jpg',
  'video/with-gps.mov',
  'sidecar/IMG_5910.jpg',
  'sidecar/IMG_5910.xmp',
];

let lib: string;
let data: string;

function copyFixture(): void {
  for (const rel of FILES) {
    const to = path.join(lib, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(CORPUS, rel), to);
    fs.chmodSync(to, 0o644);
  }
}

function scanOnce(): Record<string, number> {
  const r = shoebox(data, ['scan', '--wait']);
  if (r.status !== 0) throw new Error(r.stderr);
  const m = /(\d+) files, (\d+) new, (\d+) changed, (\d+) moved, (\d+) duplicates, (\d+) offline, (\d+) unchanged/.exec(r.stderr);
  if (!m) throw new Error(`unexpected scan output: ${r.stderr}`);
  return { files: +m[1]!, added: +m[2]!, changed: +m[3]!, moved: +m[4]!, duplicates: +m[5]!, offline: +m[6]!, unchanged: +m[7]! };
}

const byName = (name: string) => assets(data).find((a) => path.basename(a.path) === name);

beforeEach(() => {
  lib = tempDir('lib');
  data = tempDir('data');
  copyFixture();
  shoeboxOk(data, ['add', lib]);
  const first = scanOnce();
  expect(first).toMatchObject({ files: 5, added: 5, moved: 0, duplicates: 0, offline: 0 });
});

describe('rescans', () => {
  it('skip unchanged files without reprocessing them', () => {
    const before = assets(data);
    expect(scanOnce()).toMatchObject({ files: 5, added: 0, changed: 0, unchanged: 5 });
    expect(assets(data)).toEqual(before);
  });

  it('keep the asset id when a file is renamed or moved to another folder', () => {
    const original = byName('DSCN0010.jpg')!;
    fs.renameSync(path.join(lib, 'jpeg/gps/DSCN0010.jpg'), path.join(lib, 'jpeg/gps/renamed.jpg'));
    fs.mkdirSync(path.join(lib, 'elsewhere/deeper'), { recursive: true });
    const movie = byName('with-gps.mov')!;
    fs.renameSync(path.join(lib, 'video/with-gps.mov'), path.join(lib, 'elsewhere/deeper/holiday.mov'));
    expect(scanOnce()).toMatchObject({ added: 0, moved: 2, offline: 0, duplicates: 0 });
    const renamed = byName('renamed.jpg')!;
    expect(renamed.id).toBe(original.id);
    expect(renamed.offline).toBe(false);
    expect(byName('holiday.mov')!.id).toBe(movie.id);
    expect(byName('DSCN0010.jpg')).toBeUndefined();
    expect(assets(data)).toHaveLength(5);
  });

  it('keep the id when a file moves in a later scan than the one that saw it vanish', () => {
    const original = byName('DSCN0025.jpg')!;
    const parked = path.join(tempDir('parked'), 'DSCN0025.jpg');
    fs.renameSync(path.join(lib, 'jpeg/gps/DSCN0025.jpg'), parked);
    expect(scanOnce()).toMatchObject({ offline: 1 });
    expect(byName('DSCN0025.jpg')!.offline).toBe(true);
    fs.renameSync(parked, path.join(lib, 'back.jpg'));
    expect(scanOnce()).toMatchObject({ moved: 1, added: 0 });
    expect(byName('back.jpg')!.id).toBe(original.id);
  });

  it('mark a deleted file offline without deleting its asset, and bring it back when it returns', () => {
    const target = path.join(lib, 'jpeg/cameras-small/Canon_40D.jpg');
    const saved = fs.readFileSync(target);
    const stat = fs.statSync(target);
    fs.rmSync(target);
    expect(scanOnce()).toMatchObject({ offline: 1 });
    const gone = byName('Canon_40D.jpg')!;
    expect(gone.offline).toBe(true);
    expect(assets(data)).toHaveLength(5);
    fs.writeFileSync(target, saved);
    fs.utimesSync(target, stat.atime, stat.mtime);
    scanOnce();
    const back = byName('Canon_40D.jpg')!;
    expect(back.id).toBe(gone.id);
    expect(back.offline).toBe(false);
  });

  it('record a byte-identical copy as a duplicate of the original', () => {
    const original = byName('DSCN0010.jpg')!;
    fs.copyFileSync(path.join(lib, 'jpeg/gps/DSCN0010.jpg'), path.join(lib, 'copy of DSCN0010.jpg'));
    expect(scanOnce()).toMatchObject({ duplicates: 1, added: 0, moved: 0 });
    const copy = byName('copy of DSCN0010.jpg')!;
    expect(copy.duplicateOf).toBe(original.id);
    expect(copy.checksum).toBe(original.checksum);
    expect(byName('DSCN0010.jpg')!.duplicateOf).toBeNull();
  });

  it('re-hash and re-read an edited file, keeping its id', () => {
    const before = byName('DSCN0025.jpg')!;
    const file = path.join(lib, 'jpeg/gps/DSCN0025.jpg');
    fs.appendFileSync(file, Buffer.from('edited'));
    expect(scanOnce()).toMatchObject({ changed: 1, added: 0 });
    const after = byName('DSCN0025.jpg')!;
    expect(after.id).toBe(before.id);
    expect(after.checksum).not.toBe(before.checksum);
    expect(after.status).toBe('ok');
  });

  it('re-read metadata when only a sidecar changes', () => {
    expect(byName('IMG_5910.jpg')!.rating).toBe(3);
    const xmp = path.join(lib, 'sidecar/IMG_5910.xmp');
    fs.writeFileSync(xmp, fs.readFileSync(xmp, 'utf8').replace(/xmp:Rating="3"|<xmp:Rating>3<\/xmp:Rating>/, (m) => m.replace('3', '5')));
    expect(scanOnce()).toMatchObject({ changed: 1 });
    expect(byName('IMG_5910.jpg')!.rating).toBe(5);
  });

  it('ignore hidden folders and OS junk, and never follow a link out of the root', () => {
    fs.mkdirSync(path.join(lib, '.hidden'));
    fs.copyFileSync(path.join(CORPUS, 'jpeg/gps/DSCN0010.jpg'), path.join(lib, '.hidden/x.jpg'));
    fs.writeFileSync(path.join(lib, '.DS_Store'), 'junk');
    fs.writeFileSync(path.join(lib, '._DSCN0010.jpg'), 'apple double');
    const outside = tempDir('outside');
    fs.copyFileSync(path.join(CORPUS, 'jpeg/misc/CMYK.jpg'), path.join(outside, 'outside.jpg'));
    fs.symlinkSync(outside, path.join(lib, 'link-out'));
    fs.symlinkSync(lib, path.join(lib, 'jpeg/loop'));
    fs.symlinkSync(path.join(lib, 'jpeg'), path.join(lib, 'jpeg-alias'));
    expect(scanOnce()).toMatchObject({ files: 5, added: 0, duplicates: 0 });
  });

  it('process files that moved before their metadata was read', () => {
    const extra = path.join(lib, 'incoming');
    fs.mkdirSync(extra);
    for (const rel of ['jpeg/misc/CMYK.jpg', 'jpeg/misc/gopro_hd2.jpg']) fs.copyFileSync(path.join(CORPUS, rel), path.join(extra, path.basename(rel)));
    shoeboxOk(data, ['scan']); // recorded and queued, not processed
    fs.renameSync(extra, path.join(lib, 'sorted'));
    expect(scanOnce()).toMatchObject({ moved: 2, added: 0 });
    const moved = assets(data).filter((a) => a.path.includes(`${path.sep}sorted${path.sep}`));
    expect(moved.map((a) => a.status)).toEqual(['ok', 'ok']);
    expect(moved.find((a) => a.path.endsWith('gopro_hd2.jpg'))!.make).toBe('GoPro');
  });

  it('lets one process at a time work on a library', async () => {
    const { spawnShoebox } = await import('./helpers/cli.ts');
    const serve = spawnShoebox(data, ['serve', '--port', '0', '--no-scan']);
    await new Promise<void>((resolve) => serve.stdout!.on('data', (c: Buffer) => c.toString().includes('http://') && resolve()));
    const second = shoebox(data, ['scan']);
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/another Shoebox process \(pid \d+\) is working on the library/);
    expect(shoebox(data, ['scan']).status).toBe(0);
  });
});

describe('library folders', () => {
  it('refuse a missing folder and overlapping folders with clear errors', () => {
    const missing = shoebox(data, ['add', path.join(lib, 'nope')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/not a folder/);
    const inside = shoebox(data, ['add', path.join(lib, 'jpeg')]);
    expect(inside.status).toBe(1);
    expect(inside.stderr).toMatch(/inside the library folder/);
  });

  it('remove a folder from the catalog without touching its files, and delete its derivatives', () => {
    const made = assets(data).flatMap((a) => [a.thumbnailPath, a.previewPath, a.videoPath]).filter((p): p is string => p !== null);
    expect(made.length).toBeGreaterThanOrEqual(10);
    shoeboxOk(data, ['remove', lib]);
    expect(assets(data)).toEqual([]);
    expect(fs.existsSync(path.join(lib, 'jpeg/gps/DSCN0010.jpg'))).toBe(true);
    expect(made.filter((p) => fs.existsSync(p))).toEqual([]);
  });
});

describe('media derivatives', () => {
  it('remake thumbnails when a file changes, keeping the asset', () => {
    const before = byName('DSCN0010.jpg')!;
    fs.copyFileSync(path.join(CORPUS, 'jpeg/cameras-small/Nikon_D70.jpg'), path.join(lib, 'jpeg/gps/DSCN0010.jpg'));
    scanOnce();
    const after = byName('DSCN0010.jpg')!;
    expect(after.id).toBe(before.id);
    expect(after.thumbnailPath).toBe(before.thumbnailPath);
    expect(after.thumbhash).not.toBe(before.thumbhash);
    expect(after.thumbnailSize).toEqual([100, 66]);
  });

  it('index videos without ffmpeg, say why they have no thumbnail, and make it on --retry-failed', () => {
    const bare = tempDir('no-ffmpeg');
    shoeboxOk(bare, ['add', lib]);
    // No ffmpeg anywhere: an empty PATH (exiftool's perl is found by its absolute path).
    const noTools = { PATH: '/nonexistent', FFMPEG_PATH: '' };
    shoeboxOk(bare, ['scan', '--wait'], noTools);
    const list = assets(bare);
    const video = list.find((a) => a.type === 'video')!;
    expect(video).toMatchObject({ status: 'ok', thumbnailPath: null, videoState: null });
    expect(video.width).toBe(320);
    expect(video.derivativeErrors.thumbnail).toMatch(/ffmpeg is not installed.*FFMPEG_PATH/);
    for (const photo of list.filter((a) => a.type === 'image')) expect(photo.thumbnailPath, photo.path).toBeTruthy();
    const status = JSON.parse(shoeboxOk(bare, ['status', '--json'])) as { failures: { path: string; error: string }[] };
    expect(status.failures.map((f) => path.basename(f.path))).toEqual(['with-gps.mov']);
    shoeboxOk(bare, ['scan', '--wait', '--retry-failed']);
    const retried = assets(bare).find((a) => a.type === 'video')!;
    expect(retried).toMatchObject({ status: 'ok', videoState: 'original', derivativeErrors: { thumbnail: null } });
    expect(fs.existsSync(retried.thumbnailPath!)).toBe(true);
  });
});
