// The folder watcher on a real engine and real files: what happens in a watched folder reaches the
// catalog within seconds, without a rescan (creates, overwrites, moves, deletes, new folders, a
// folder tree moved, a burst of 1,000 files), watches of removed folders are closed, the app's own
// data folder inside a watched folder is never indexed (while jobs make thumbnails in it), a root
// the OS cannot watch falls back to periodic rescans, and a root that goes away goes offline and
// comes back. Jobs run in one test only: elsewhere the catalog is what is checked.
import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { LOCAL_OWNER, type Engine } from '../src/engine/engine.ts';
import type { WatchTuning } from '../src/watcher/folder.watcher.ts';
import { nodeWatchBackend, type WatchBackend } from '../src/watcher/watch.backend.ts';
import { CORPUS } from './helpers/cli.ts';
import { at, cleanUpAfterEach, jpeg, openEngine, rows, tempDir, until } from './helpers/library-fixtures.ts';

cleanUpAfterEach();

/** An engine with one empty library folder, watching it. */
async function watched(tuning: WatchTuning = {}, log?: Logger): Promise<{ engine: Engine; lib: string }> {
  const engine = openEngine(log ? { log } : {});
  const root = await engine.library.add(LOCAL_OWNER, tempDir('watch-lib'));
  engine.startWatching(tuning);
  await until('the folder is watched', () => engine.watchStatus()?.watching === 1 || engine.watchStatus()?.fallback === 1);
  return { engine, lib: root.path };
}

/** A backend that keeps the list of folders it has an open watch on (a leak shows there). */
function countingBackend(inner: WatchBackend = nodeWatchBackend('linux')): { backend: WatchBackend; open: () => string[] } {
  const open = new Map<number, string>();
  let next = 0;
  return {
    open: () => [...open.values()].sort(),
    backend: {
      recursive: inner.recursive,
      watch(dir, onChange, onError) {
        const handle = inner.watch(dir, onChange, onError);
        const id = next++;
        open.set(id, dir);
        return {
          close: () => {
            open.delete(id);
            handle.close();
          },
        };
      },
    },
  };
}

/** Waits until nothing has been scanned, queued or run for `ms`. */
async function quiet(engine: Engine, ms: number): Promise<void> {
  let since = Date.now();
  await until(`nothing happened for ${ms} ms`, () => {
    const busy = engine.watchStatus()?.busy || engine.scanner.busy || engine.queue.hasWork() || engine.runner.inflightCount() > 0;
    if (busy) since = Date.now();
    return Date.now() - since >= ms;
  }, 30_000);
}

describe('the folder watcher', () => {
  it('picks up a created file, then an overwrite of its content, keeping the asset', async () => {
    const { engine, lib } = await watched();
    const file = path.join(lib, 'new.jpg');
    fs.writeFileSync(file, jpeg('created'));
    const created = await until('the new file is an asset', () => at(engine, file));
    expect(created).toMatchObject({ status: 'pending', offline: 0, duplicateOf: null });

    fs.writeFileSync(file, jpeg('overwritten'));
    const changed = await until('the new content is recorded', () => {
      const r = at(engine, file);
      return r && r.checksum !== created.checksum ? r : undefined;
    });
    expect(changed.id).toBe(created.id);
    expect(changed.status).toBe('pending');
    expect(rows(engine)).toHaveLength(1);
  });

  it('keeps the id of a file moved into another subfolder, and takes a deleted file offline', async () => {
    const { engine, lib } = await watched();
    fs.mkdirSync(path.join(lib, 'a'));
    fs.mkdirSync(path.join(lib, 'b'));
    const from = path.join(lib, 'a', 'photo.jpg');
    const doomed = path.join(lib, 'a', 'doomed.jpg');
    fs.writeFileSync(from, jpeg('moved'));
    fs.writeFileSync(doomed, jpeg('deleted'));
    const original = await until('both files are assets', () => at(engine, doomed) && at(engine, from));

    const to = path.join(lib, 'b', 'renamed.jpg');
    fs.renameSync(from, to);
    fs.rmSync(doomed);
    const moved = await until('the file is at its new path', () => at(engine, to));
    expect(moved).toMatchObject({ id: original.id, offline: 0, duplicateOf: null });
    expect(at(engine, from)).toBeUndefined();
    await until('the deleted file is offline', () => at(engine, doomed)?.offline === 1);
    expect(rows(engine)).toHaveLength(2);
  });

  it('picks up a new subfolder tree with its files', async () => {
    const { engine, lib } = await watched();
    const deeper = path.join(lib, 'trip', 'day 1');
    fs.mkdirSync(deeper, { recursive: true });
    const files = [path.join(lib, 'trip', 'a.jpg'), path.join(deeper, 'b.jpg'), path.join(deeper, 'c.jpg')];
    files.forEach((f, i) => fs.writeFileSync(f, jpeg(`tree ${i}`)));
    // Junk is left alone, as a scan would.
    fs.mkdirSync(path.join(lib, 'trip', '.cache'));
    fs.writeFileSync(path.join(lib, 'trip', '.cache', 'x.jpg'), jpeg('junk'));
    await until('the folder tree is in the library', () => files.every((f) => at(engine, f)));
    // A file added later deep in the new tree: its folder is watched too.
    const later = path.join(deeper, 'd.jpg');
    fs.writeFileSync(later, jpeg('later'));
    await until('a later file in the new folder is in the library', () => at(engine, later));
    expect(rows(engine).map((r) => r.path)).toEqual([...files, later].sort());
  });

  it('takes in a burst of 1,000 new files', async () => {
    const { engine, lib } = await watched();
    const dir = path.join(lib, 'burst');
    fs.mkdirSync(dir);
    const started = Date.now();
    for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`), jpeg(`burst ${i}`));
    const written = Date.now() - started;
    const count = (): number => engine.catalog.sqlite.prepare(`SELECT count(*) FROM assets WHERE duplicate_of IS NULL`).pluck().get() as number;
    await until('all 1,000 files are assets', () => count() === 1000, 20_000);
    const took = Date.now() - started;
    console.log(`watcher burst: 1,000 files written in ${written} ms, all in the library ${took} ms after the first write`);
    expect(rows(engine).every((r) => r.offline === 0 && r.duplicateOf === null)).toBe(true);
  });

  it('follows a folder added while watching, and closes the watches of folders removed', async () => {
    const { backend, open } = countingBackend();
    const engine = openEngine();
    engine.startWatching({ backend, settleMs: 100 });
    const dir = tempDir('watch-added');
    const sub = path.join(dir, 'sub');
    const deeper = path.join(sub, 'deeper');
    fs.mkdirSync(deeper, { recursive: true });
    const root = await engine.library.add(LOCAL_OWNER, dir);
    await until('the added folder is watched', () => engine.watchStatus()?.watching === 1);
    expect(open()).toEqual([dir, sub, deeper]);
    const file = path.join(sub, 'x.jpg');
    fs.writeFileSync(file, jpeg('added root'));
    await until('a file in the added folder is an asset', () => at(engine, file));
    fs.rmSync(deeper, { recursive: true });
    await until('the deleted subfolder is no longer watched', () => open().length === 2 && open());
    expect(open()).toEqual([dir, sub]);
    await engine.library.remove(LOCAL_OWNER, root.id);
    expect(engine.watchStatus()?.roots).toEqual([]);
    expect(open()).toEqual([]);
  });

  it('keeps the ids of a folder tree moved inside the root, and watches it at its new place', async () => {
    const { backend, open } = countingBackend();
    const { engine, lib } = await watched({ backend, settleMs: 100 });
    const from = path.join(lib, 'trip');
    const to = path.join(lib, 'albums', '2024 trip');
    const rels = ['a.jpg', path.join('day 1', 'b.jpg'), path.join('day 1', 'night', 'c.jpg')];
    fs.mkdirSync(path.join(from, 'day 1', 'night'), { recursive: true });
    fs.mkdirSync(path.dirname(to));
    rels.forEach((rel) => fs.writeFileSync(path.join(from, rel), jpeg(`tree move ${rel}`)));
    await until('the tree is in the library', () => rels.every((rel) => at(engine, path.join(from, rel))));
    const ids = rels.map((rel) => at(engine, path.join(from, rel))!.id);

    fs.renameSync(from, to);
    await until('every file is at its new path', () => rels.every((rel) => at(engine, path.join(to, rel))));
    expect(rels.map((rel) => at(engine, path.join(to, rel))!.id)).toEqual(ids);
    const tree = [to, path.join(to, 'day 1'), path.join(to, 'day 1', 'night')];
    await until('the moved tree is watched at its new place only', () => {
      const dirs = open();
      return tree.every((d) => dirs.includes(d)) && !dirs.some((d) => d === from || d.startsWith(from + path.sep));
    });
    const later = path.join(to, 'day 1', 'night', 'd.jpg');
    fs.writeFileSync(later, jpeg('in the moved tree'));
    await until('a file made in the moved tree is an asset', () => at(engine, later));
    expect(rows(engine).map((r) => [r.path, r.offline, r.duplicateOf])).toEqual(
      [...rels.map((rel) => path.join(to, rel)), later].sort().map((p) => [p, 0, null]),
    );
  });

  it("never indexes the app's own data folder inside a watched folder, while its thumbnails are made", async () => {
    const home = tempDir('watch-home');
    const dataDir = path.join(home, 'Shoebox');
    const engine = openEngine({ dataDir, modelsDir: path.join(home, 'models') });
    await engine.library.add(LOCAL_OWNER, home);
    engine.startJobs();
    engine.startWatching({ settleMs: 100 });
    await until('the folder is watched', () => engine.watchStatus()?.watching === 1);
    const photo = path.join(home, 'photo.jpg');
    fs.copyFileSync(path.join(CORPUS, 'jpeg/cameras-small/Fujifilm_FinePix_E500.jpg'), photo);
    const asset = await until('the photo is an asset', () => at(engine, photo));
    const thumbnail = engine.catalog.sqlite.prepare(`SELECT thumbnail_path FROM derivatives WHERE asset_id = ?`).pluck();
    const rel = await until('its thumbnail is made', () => thumbnail.get(asset.id) as string | null | undefined, 30_000);
    expect(fs.existsSync(path.join(dataDir, rel))).toBe(true);
    await quiet(engine, 1_500);
    expect(rows(engine).map((r) => r.path)).toEqual([photo]);
  });

  it('rescans periodically a folder the OS cannot watch (watcher limit reached), warning once', async () => {
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const limited: WatchBackend = {
      recursive: false,
      watch() {
        throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
      },
    };
    const { engine, lib } = await watched({ backend: limited, rescanMs: 700 }, log);
    expect(engine.watchStatus()).toMatchObject({ watching: 0, fallback: 1 });
    const file = path.join(lib, 'seen by a rescan.jpg');
    fs.writeFileSync(file, jpeg('fallback'));
    await until('a periodic rescan finds the file', () => at(engine, file));
    const second = path.join(lib, 'and another.jpg');
    fs.writeFileSync(second, jpeg('fallback 2'));
    await until('the next rescan finds another', () => at(engine, second));
    expect(warnings.filter((w) => w.includes('rescanning it periodically'))).toHaveLength(1);
    expect(warnings.join('')).not.toContain(lib);
  });

  it('falls back to rescans when the limit is reached for a folder made while watching', async () => {
    const real = nodeWatchBackend();
    let watches = 0;
    const tight: WatchBackend = {
      recursive: false,
      watch(dir, onChange, onError) {
        if (++watches > 1) throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
        return real.watch(dir, onChange, onError);
      },
    };
    const { engine, lib } = await watched({ backend: tight, rescanMs: 60_000 });
    expect(engine.watchStatus()).toMatchObject({ watching: 1, fallback: 0 });
    const file = path.join(lib, 'new folder', 'x.jpg');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, jpeg('limit at run time'));
    await until('the root is on fallback', () => engine.watchStatus()?.fallback === 1);
    // The rescan made when it fell back (changes may have been missed) finds the file.
    await until('the file is an asset', () => at(engine, file));
  });

  it('works the same with a backend that watches whole trees (as on macOS and Windows)', async () => {
    const { engine, lib } = await watched({ backend: nodeWatchBackend('darwin') });
    expect(engine.watchStatus()!.roots[0]!.folders).toBe(1);
    const file = path.join(lib, 'deep', 'er', 'x.jpg');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, jpeg('tree backend'));
    const created = await until('a file in a new folder is an asset', () => at(engine, file));
    const to = path.join(lib, 'moved.jpg');
    fs.renameSync(file, to);
    await until('the move is recorded', () => at(engine, to)?.id === created.id);
    fs.rmSync(path.join(lib, 'deep'), { recursive: true });
    fs.rmSync(to);
    await until('the deleted file is offline', () => at(engine, to)?.offline === 1);
    expect(rows(engine)).toHaveLength(1);
  });

  it('takes the files of a folder that went away offline, and brings them back when it returns', async () => {
    const { engine, lib } = await watched({ pollMs: 200 });
    const file = path.join(lib, 'on the drive.jpg');
    fs.writeFileSync(file, jpeg('drive'));
    const before = await until('the file is an asset', () => at(engine, file));
    const parked = `${lib}-unplugged`;
    fs.renameSync(lib, parked);
    await until('its file is offline', () => at(engine, file)?.offline === 1);
    expect(engine.watchStatus()).toMatchObject({ offline: 1 });
    fs.renameSync(parked, lib);
    await until('the folder is watched again', () => engine.watchStatus()?.watching === 1);
    await until('its file is back online', () => at(engine, file)?.offline === 0);
    expect(at(engine, file)!.id).toBe(before.id);
    const added = path.join(lib, 'after return.jpg');
    fs.writeFileSync(added, jpeg('after return'));
    await until('a new file after the return is an asset', () => at(engine, added));
  });
});

describe('scoped scans', () => {
  it('report missing only the files inside their folders', async () => {
    const engine = openEngine();
    const root = await engine.library.add(LOCAL_OWNER, tempDir('scoped'));
    const lib = root.path;
    for (const d of ['a', 'a/sub', 'b']) fs.mkdirSync(path.join(lib, d));
    const file = (rel: string): string => path.join(lib, rel);
    for (const rel of ['a/1.jpg', 'a/2.jpg', 'a/sub/3.jpg', 'b/4.jpg']) fs.writeFileSync(file(rel), jpeg(rel));
    await engine.scanner.scan({ retryFailed: false });
    const scannedAt = (await engine.library.list(LOCAL_OWNER))[0]!.lastScanAt;
    expect(rows(engine)).toHaveLength(4);

    fs.rmSync(file('a/2.jpg'));
    fs.rmSync(file('a/sub/3.jpg'));
    fs.rmSync(file('b/4.jpg'));
    fs.writeFileSync(file('a/5.jpg'), jpeg('a/5.jpg'));
    const outcome = await engine.scanner.scanScopes([{ rootId: root.id, dir: file('a'), recursive: false }]);
    expect(outcome).toMatchObject({ added: 1, offline: 1, unsettled: [] });
    const offline = rows(engine).filter((r) => r.offline).map((r) => path.relative(lib, r.path));
    // a/sub is not in a non-recursive scope of a, nor b: gone, but not looked at yet.
    expect(offline).toEqual(['a/2.jpg']);
    // Only a scan of a whole root counts as scanning it.
    expect((await engine.library.list(LOCAL_OWNER))[0]!.lastScanAt).toBe(scannedAt);

    await engine.scanner.scanScopes([{ rootId: root.id, dir: file('a'), recursive: true }]);
    expect(rows(engine).filter((r) => r.offline).map((r) => path.relative(lib, r.path))).toEqual(['a/2.jpg', 'a/sub/3.jpg']);
  });

  it('keep the id of a file whose arrival is scanned before its departure', async () => {
    const engine = openEngine();
    const root = await engine.library.add(LOCAL_OWNER, tempDir('scoped-move'));
    const lib = root.path;
    fs.mkdirSync(path.join(lib, 'from'));
    fs.mkdirSync(path.join(lib, 'to'));
    const from = path.join(lib, 'from', 'x.jpg');
    fs.writeFileSync(from, jpeg('half moves'));
    await engine.scanner.scan({ retryFailed: false });
    const original = at(engine, from)!;
    const to = path.join(lib, 'to', 'x.jpg');
    fs.renameSync(from, to);
    // Only the destination is looked at: the old path was never seen to go.
    const outcome = await engine.scanner.scanScopes([{ rootId: root.id, dir: path.dirname(to), recursive: false }]);
    expect(outcome).toMatchObject({ moved: 1, added: 0, duplicates: 0 });
    expect(rows(engine)).toEqual([{ ...original, path: to }]);
  });

  it('leave a file that is still being written for later', async () => {
    const engine = openEngine();
    const root = await engine.library.add(LOCAL_OWNER, tempDir('scoped-settle'));
    const file = path.join(root.path, 'writing.jpg');
    fs.writeFileSync(file, jpeg('half'));
    const outcome = await engine.scanner.scanScopes([{ rootId: root.id, dir: root.path, recursive: false }], 5_000);
    expect(outcome.unsettled).toEqual([{ rootId: root.id, path: file }]);
    expect(rows(engine)).toEqual([]);
    const later = await engine.scanner.scanScopes([{ rootId: root.id, dir: root.path, recursive: false }], 0);
    expect(later).toMatchObject({ added: 1, unsettled: [] });
  });
});
