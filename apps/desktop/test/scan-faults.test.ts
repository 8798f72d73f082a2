// The scanner when the world moves under it: a library folder removed while a scan of it runs, a
// folder renamed only in case on a case-insensitive volume (simulated), folders that do not answer
// (EIO) rather than being gone, and the app's own data and models folders inside a library folder.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_OWNER, type Engine } from '../src/engine/engine.ts';
import { internalFolderTest } from '../src/scanner/internal-folders.ts';
import { ScanService } from '../src/scanner/scan.service.ts';
import { planScopes, rootPresence, type PathVolume } from '../src/scanner/scan.presence.ts';
import { cleanUpAfterEach, jpeg, openEngine, rows, silent, tempDir } from './helpers/library-fixtures.ts';

cleanUpAfterEach();

const errno = (code: string): Error => Object.assign(new Error(`${code}: simulated`), { code });

/**
 * A case-insensitive volume (as on macOS and Windows) over the real, case-sensitive one: a path
 * answers whatever the case of its names, and its canonical form has the names as stored.
 */
function caseInsensitiveVolume(): PathVolume {
  const stored = (p: string): string => {
    let at = path.parse(p).root;
    for (const name of p.slice(at.length).split(path.sep).filter(Boolean)) {
      const names = fs.readdirSync(at);
      const hit = names.find((n) => n === name) ?? names.find((n) => n.toLowerCase() === name.toLowerCase());
      if (hit === undefined) throw errno('ENOENT');
      at = path.join(at, hit);
    }
    return at;
  };
  return { lstat: (p) => fs.lstatSync(stored(p)), canonical: stored };
}

function scannerOver(engine: Engine, extra: Partial<ConstructorParameters<typeof ScanService>[0]> = {}): ScanService {
  return new ScanService({
    sqlite: engine.catalog.sqlite, dataDir: engine.dataDir, roots: engine.roots, queue: engine.queue, log: silent,
    onJobs: () => undefined, ...extra,
  });
}

/** Two library folders; the first (which sorts, and so is scanned, first) has enough files for several batches. */
async function twoRoots(engine: Engine): Promise<{ doomed: { id: string; path: string }; kept: { id: string; path: string } }> {
  const parent = tempDir('scan-two-roots');
  const a = path.join(parent, 'a doomed');
  const b = path.join(parent, 'b kept');
  for (let d = 0; d < 30; d++) {
    fs.mkdirSync(path.join(a, `d${d}`), { recursive: true });
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(a, `d${d}`, `${i}.jpg`), jpeg(`doomed ${d}/${i}`));
  }
  fs.mkdirSync(b);
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(b, `${i}.jpg`), jpeg(`kept ${i}`));
  return { doomed: await engine.library.add(LOCAL_OWNER, a), kept: await engine.library.add(LOCAL_OWNER, b) };
}

describe('a library folder removed while a scan of it runs', () => {
  for (const kind of ['scoped', 'full'] as const) {
    it(`does not fail the ${kind} scan: the other folder's new files are all added`, async () => {
      const engine = openEngine();
      const { doomed, kept } = await twoRoots(engine);
      let removedAfter = -1;
      // The folder goes right after the scan's first batch of its files is written.
      const scanner = scannerOver(engine, {
        onJobs: () => {
          if (removedAfter >= 0) return;
          removedAfter = rows(engine).length;
          engine.roots.remove(LOCAL_OWNER, doomed.id);
        },
      });
      const outcome = kind === 'full'
        ? await scanner.scan({ retryFailed: false })
        : await scanner.scanScopes([
          { rootId: doomed.id, dir: doomed.path, recursive: true }, { rootId: kept.id, dir: kept.path, recursive: true },
        ]);
      expect(removedAfter).toBeGreaterThan(0);
      expect(removedAfter).toBeLessThan(1500);
      const all = rows(engine);
      expect(all.filter((r) => r.path.startsWith(doomed.path + path.sep))).toEqual([]);
      expect(all.filter((r) => r.path.startsWith(kept.path + path.sep))).toHaveLength(20);
      expect(outcome.added).toBeGreaterThanOrEqual(20);
    });
  }
});

describe('a folder renamed only in case on a case-insensitive volume', () => {
  it('keeps every asset (same ids, new paths, no duplicates) even when its arrival is scanned first', async () => {
    const engine = openEngine();
    const root = await engine.library.add(LOCAL_OWNER, tempDir('scan-case'));
    const trip = path.join(root.path, 'Trip');
    fs.mkdirSync(path.join(trip, 'Day 1'), { recursive: true });
    const rels = ['a.jpg', 'b.jpg', path.join('Day 1', 'c.jpg')];
    rels.forEach((rel) => fs.writeFileSync(path.join(trip, rel), jpeg(`case ${rel}`)));
    await engine.scanner.scan({ retryFailed: false });
    const before = rows(engine);
    expect(before).toHaveLength(3);

    const renamed = path.join(root.path, 'trip');
    fs.renameSync(trip, renamed);
    const scanner = scannerOver(engine, { volume: caseInsensitiveVolume() });
    // On such a volume the old name still answers: only its spelling says it is gone.
    const arrival = await scanner.scanScopes([{ rootId: root.id, dir: renamed, recursive: true }]);
    expect(arrival).toMatchObject({ moved: 3, added: 0, duplicates: 0 });
    await scanner.scanScopes([{ rootId: root.id, dir: trip, recursive: true }, { rootId: root.id, dir: root.path, recursive: false }]);
    const after = rows(engine);
    expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
    expect(after.map((r) => path.relative(renamed, r.path)).sort()).toEqual([...rels].sort());
    expect(after.every((r) => r.offline === 0 && r.duplicateOf === null)).toBe(true);
  });

  it('plans the old spelling of a folder as gone and the new one as a folder to walk', () => {
    const root = tempDir('scan-case-plan');
    fs.mkdirSync(path.join(root, 'trip', 'day'), { recursive: true });
    const plan = planScopes(root, [
      { dir: path.join(root, 'Trip'), recursive: false },
      { dir: path.join(root, 'trip'), recursive: true },
      { dir: path.join(root, 'TRIP', 'day'), recursive: false },
    ], caseInsensitiveVolume(), () => false);
    expect(plan).toEqual({
      walks: [{ dir: path.join(root, 'trip'), recursive: true }],
      gone: [{ dir: path.join(root, 'Trip'), recursive: true }, { dir: path.join(root, 'TRIP', 'day'), recursive: true }],
      unreadable: [],
    });
  });
});

describe('folders that do not answer', () => {
  const volume = (failing: Record<string, string>): PathVolume => ({
    lstat: (p) => {
      const code = failing[path.basename(p)];
      if (code) throw errno(code);
      return fs.lstatSync(p);
    },
    canonical: (p) => p,
  });

  it('are skipped by a scoped scan, not taken for gone', () => {
    const root = tempDir('scan-eio');
    for (const d of ['nas', 'denied', 'gone', 'here']) fs.mkdirSync(path.join(root, d));
    fs.symlinkSync(path.join(root, 'here'), path.join(root, 'link'));
    const scopes = ['nas', 'denied', 'gone', 'here', 'link', 'vanished'].map((d) => ({ dir: path.join(root, d), recursive: true }));
    const plan = planScopes(root, scopes, volume({ nas: 'EIO', denied: 'EACCES', gone: 'ENOENT', vanished: 'ENOTDIR' }), () => false);
    expect(plan.walks.map((s) => path.basename(s.dir))).toEqual(['here']);
    expect(plan.gone.map((s) => path.basename(s.dir))).toEqual(['gone', 'link', 'vanished']);
    expect(plan.unreadable.map((d) => path.basename(d))).toEqual(['nas', 'denied']);
  });

  it('at the root, are neither there nor gone', () => {
    const dir = tempDir('scan-root-eio');
    expect(rootPresence(dir)).toBe('present');
    expect(rootPresence(path.join(dir, 'nope'))).toBe('gone');
    expect(rootPresence(dir, () => ({ isDirectory: () => false }))).toBe('gone');
    expect(rootPresence(dir, () => {
      throw errno('ETIMEDOUT');
    })).toBe('unreadable');
  });
});

describe("the app's own folders inside a library folder", () => {
  it('are never scanned, by full or scoped scans, and folders inside them cannot be added', async () => {
    const home = tempDir('scan-home');
    const dataDir = path.join(home, 'Shoebox');
    const modelsDir = path.join(home, 'Models');
    const engine = openEngine({ dataDir, modelsDir });
    fs.mkdirSync(path.join(dataDir, 'media', 'thumbs'), { recursive: true });
    fs.mkdirSync(modelsDir);
    for (const inside of [dataDir, path.join(dataDir, 'media'), modelsDir]) {
      await expect(engine.library.add(LOCAL_OWNER, inside)).rejects.toMatchObject({ code: 'ROOT_OVERLAPS' });
    }
    const root = await engine.library.add(LOCAL_OWNER, home);
    fs.writeFileSync(path.join(dataDir, 'media', 'thumbs', 'made.jpg'), jpeg('a thumbnail'));
    fs.writeFileSync(path.join(modelsDir, 'sample.jpg'), jpeg('a model sample'));
    const photo = path.join(home, 'photo.jpg');
    fs.writeFileSync(photo, jpeg('a photo'));

    expect(await engine.scanner.scan({ retryFailed: false })).toMatchObject({ added: 1, failed: 0 });
    const scoped = await engine.scanner.scanScopes([
      { rootId: root.id, dir: path.join(dataDir, 'media', 'thumbs'), recursive: false },
      { rootId: root.id, dir: modelsDir, recursive: true },
      { rootId: root.id, dir: home, recursive: false },
    ]);
    expect(scoped).toMatchObject({ added: 0, offline: 0 });
    expect(rows(engine).map((r) => r.path)).toEqual([photo]);
  });

  it('are matched without case where volumes usually ignore it', () => {
    const linux = internalFolderTest(['/home/me/Shoebox'], 'linux');
    expect(linux('/home/me/Shoebox/media/x')).toBe(true);
    expect(linux('/home/me/shoebox/media/x')).toBe(false);
    expect(linux('/home/me/Shoebox photos')).toBe(false);
    const mac = internalFolderTest(['/Users/me/Library/Application Support/Shoebox'], 'darwin');
    expect(mac('/users/me/library/application support/shoebox/media')).toBe(true);
    expect(mac('/Users/me/Library/Application Support/Shoebox2')).toBe(false);
  });
});
