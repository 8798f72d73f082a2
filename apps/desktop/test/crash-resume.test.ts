// Kill -9 the engine at several moments of a scan-and-process run, restart it, and check that it
// finishes the work with no duplicate, no lost asset and a healthy database.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CORPUS, assets, shoeboxOk, spawnShoebox, tempDir } from './helpers/cli.ts';

const SOURCES = [
  'jpeg/gps/DSCN0010.jpg', 'jpeg/cameras-small/Canon_40D.jpg', 'jpeg/cameras-small/Nikon_D70.jpg',
  'jpeg/misc/gopro_hd2.jpg', 'png/16-bit-grey-alpha.png', 'orientation/tiny/f6t.jpg',
];
const COUNT = 1200;

/** Distinct files: each copy gets a unique trailer after its image data, so every checksum differs. */
function makeLibrary(dir: string): Map<string, string> {
  const checksums = new Map<string, string>();
  const bodies = SOURCES.map((s) => fs.readFileSync(path.join(CORPUS, s)));
  for (let i = 0; i < COUNT; i++) {
    const src = SOURCES[i % SOURCES.length]!;
    const sub = path.join(dir, `batch-${String(Math.floor(i / 100)).padStart(2, '0')}`);
    fs.mkdirSync(sub, { recursive: true });
    const file = path.join(sub, `photo-${String(i).padStart(5, '0')}${path.extname(src)}`);
    const bytes = Buffer.concat([bodies[i % SOURCES.length]!, Buffer.from(`shoebox-test-${i}`)]);
    fs.writeFileSync(file, bytes);
    checksums.set(file, createHash('sha1').update(bytes).digest('hex'));
  }
  return checksums;
}

function runAndKill(data: string, afterMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve) => {
    const child = spawnShoebox(data, ['scan', '--wait']);
    let finished = false;
    child.once('exit', () => {
      finished = true;
    });
    setTimeout(() => {
      if (finished) return resolve('finished');
      child.kill('SIGKILL');
      child.once('exit', () => resolve('killed'));
    }, afterMs);
  });
}

describe('crash and resume', () => {
  it('finishes after repeated kill -9 with no duplicate and no lost asset', async () => {
    const lib = tempDir('crash-lib');
    const data = tempDir('crash-data');
    const checksums = makeLibrary(lib);
    shoeboxOk(data, ['add', lib]);

    const outcomes: string[] = [];
    for (const ms of [350, 900, 1600, 2600]) {
      outcomes.push(await runAndKill(data, ms));
      // Give orphaned workers a moment to notice their parent is gone.
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(outcomes.filter((o) => o === 'killed').length).toBeGreaterThanOrEqual(2);
    shoeboxOk(data, ['scan', '--wait']);

    const list = assets(data);
    expect(list).toHaveLength(COUNT);
    expect(new Set(list.map((a) => a.path)).size).toBe(COUNT);
    expect(list.filter((a) => a.duplicateOf !== null)).toEqual([]);
    expect(list.filter((a) => a.status !== 'ok').map((a) => `${a.path}: ${a.status} ${a.error}`)).toEqual([]);
    for (const a of list) expect(a.checksum).toBe(checksums.get(a.path));
    // The media jobs resumed too: every photo has its thumbnail on disk.
    for (const a of list) expect(a.thumbnailPath && fs.existsSync(a.thumbnailPath), a.path).toBe(true);

    const db = new Database(path.join(data, 'library.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const jobs = db.prepare(`SELECT name, state, count(*) AS n FROM jobs GROUP BY name, state`).all() as { state: string; n: number }[];
      // Every asset went through each job once, the preview job included (it finds the preview
      // made when the thumbnail's pass had the full picture). Without models no ML job is queued.
      expect(jobs).toEqual([
        { name: 'metadata', state: 'done', n: COUNT },
        { name: 'preview', state: 'done', n: COUNT },
        { name: 'thumbnail', state: 'done', n: COUNT },
      ]);
      const perAsset = db.prepare(`SELECT count(*) AS n FROM jobs GROUP BY name, asset_id HAVING n > 1`).all();
      expect(perAsset).toEqual([]);
    } finally {
      db.close();
    }
  }, 300_000);
});
