// The folder watcher's decisions, over fakes of the OS watch backend, the root's stat and the
// scanner (no catalog): a root that does not answer (EIO) or is missing for one poll stays as it
// is, two misses in a row take it offline, a hung stat is never asked again meanwhile, a failed scan
// is retried with a growing wait (a bounded number of times), a folder that merely changed is not
// scanned whole, the app's own folders are never watched, and a root on fallback goes back to
// being watched once the OS lets it.
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyOutcome, type RootScope, type ScanOutcome } from '../src/scanner/scan.queue.ts';
import { FolderWatcher, type FolderWatcherOptions, type RootStat, type WatchScanner } from '../src/watcher/folder.watcher.ts';
import type { WatchBackend, WatchEventKind } from '../src/watcher/watch.backend.ts';
import { cleanUpAfterEach, silent, tempDir, until } from './helpers/library-fixtures.ts';

cleanUpAfterEach();
const watchers: FolderWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
});

const errno = (code: string): Error => Object.assign(new Error(`${code}: simulated`), { code });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class FakeScanner implements WatchScanner {
  readonly calls: { at: number; scopes: RootScope[] }[] = [];
  failures = 0;

  scanScopes(scopes: readonly RootScope[]): Promise<ScanOutcome> {
    this.calls.push({ at: Date.now(), scopes: [...scopes] });
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error('simulated scan failure'));
    }
    return Promise.resolve(emptyOutcome());
  }

  cancelScoped(): Promise<void> {
    return Promise.resolve();
  }

  scopes(): RootScope[] {
    return this.calls.flatMap((c) => c.scopes);
  }
}

interface FakeWatch {
  dir: string;
  open: boolean;
  emit(name: string, kind: WatchEventKind): void;
}

function fakeBackend(recursive: boolean, refuse: () => boolean = () => false): { backend: WatchBackend; watches: FakeWatch[] } {
  const watches: FakeWatch[] = [];
  return {
    watches,
    backend: {
      recursive,
      watch(dir, onChange) {
        if (refuse()) throw errno('ENOSPC');
        const w: FakeWatch = { dir, open: true, emit: (name, kind) => onChange(name, kind) };
        watches.push(w);
        return { close: () => void (w.open = false) };
      },
    },
  };
}

/** The root's stat, answered by whatever the test sets (the real one to begin with), counting calls. */
function scriptedStat(): { stat: (dir: string) => Promise<RootStat>; calls: () => number; answer: (fn: (dir: string) => Promise<RootStat>) => void } {
  let calls = 0;
  let next = (dir: string): Promise<RootStat> => fs.promises.stat(dir);
  return {
    stat: (dir) => {
      calls++;
      return next(dir);
    },
    calls: () => calls,
    answer: (fn) => {
      next = fn;
    },
  };
}

function watch(
  root: string, tuning: Partial<FolderWatcherOptions> = {},
): { watcher: FolderWatcher; scanner: FakeScanner; state: () => string | undefined } {
  const scanner = new FakeScanner();
  const watcher = new FolderWatcher({
    roots: { rows: () => [{ id: 'root', path: root }], onChange: () => () => undefined },
    scanner, log: silent, backend: fakeBackend(true).backend, quietMs: 0, maxWaitMs: 0, pollMs: 20, settleMs: 0, ...tuning,
  });
  watchers.push(watcher);
  watcher.start();
  return { watcher, scanner, state: () => watcher.status().roots[0]?.state };
}

describe('a watched root that does not answer', () => {
  it('is left as it is on EIO: not offline, not rescanned, and watched once it answers', async () => {
    const root = tempDir('faults-eio');
    const probe = scriptedStat();
    probe.answer(() => Promise.reject(errno('EIO')));
    const { scanner, state } = watch(root, { statRoot: probe.stat });
    await until('the root was looked at a few times', () => probe.calls() >= 4);
    expect(state()).toBe('starting');
    probe.answer((dir) => fs.promises.stat(dir));
    await until('the root is watched', () => state() === 'watching');
    probe.answer(() => Promise.reject(errno('EIO')));
    const seen = probe.calls();
    await until('the watched root was polled a few times', () => probe.calls() >= seen + 6);
    expect(state()).toBe('watching');
    expect(scanner.calls).toEqual([]);
  });

  it('is not taken offline when missing (ENOENT) for one poll only', async () => {
    const root = tempDir('faults-once');
    const probe = scriptedStat();
    const { scanner, state } = watch(root, { statRoot: probe.stat });
    await until('the root is watched', () => state() === 'watching');
    let missing = 1;
    probe.answer((dir) => (missing-- > 0 ? Promise.reject(errno('ENOENT')) : fs.promises.stat(dir)));
    const seen = probe.calls();
    await until('the root was polled a few times', () => probe.calls() >= seen + 5);
    expect(state()).toBe('watching');
    expect(scanner.calls).toEqual([]);
  });

  it('goes offline when missing for two polls in a row (its files are scanned), and comes back', async () => {
    const root = tempDir('faults-twice');
    const probe = scriptedStat();
    const { scanner, state } = watch(root, { statRoot: probe.stat });
    await until('the root is watched', () => state() === 'watching');
    probe.answer(() => Promise.reject(errno('ENOENT')));
    await until('the root is offline', () => state() === 'offline');
    await until('the root is scanned (its files go offline)', () => scanner.scopes().length === 1);
    expect(scanner.scopes()).toEqual([{ rootId: 'root', dir: root, recursive: true }]);
    probe.answer((dir) => fs.promises.stat(dir));
    await until('the root is watched again', () => state() === 'watching');
    await until('the root is scanned again', () => scanner.scopes().length === 2);
  });

  it('never gets a second stat while one hangs (a dead network mount)', async () => {
    const root = tempDir('faults-hung');
    const probe = scriptedStat();
    const { state } = watch(root, { statRoot: probe.stat });
    await until('the root is watched', () => state() === 'watching');
    probe.answer(() => new Promise<RootStat>(() => undefined));
    const seen = probe.calls();
    await until('a poll is stuck', () => probe.calls() === seen + 1);
    await sleep(20 * 15);
    expect(probe.calls()).toBe(seen + 1);
    expect(state()).toBe('watching');
  });
});

describe('scans of watched folders that fail', () => {
  it('are tried again after a growing wait, a bounded number of times', async () => {
    const root = tempDir('faults-retry');
    const { backend, watches } = fakeBackend(true);
    const { watcher, scanner, state } = watch(root, { backend, retryScanMs: 10 });
    await until('the root is watched', () => state() === 'watching');
    fs.writeFileSync(path.join(root, 'x.jpg'), 'x');

    scanner.failures = 2;
    watches[0]!.emit('x.jpg', 'rename');
    await until('the scan succeeded on its third try', () => scanner.calls.length === 3 && !watcher.status().busy);
    for (const c of scanner.calls) expect(c.scopes).toEqual([{ rootId: 'root', dir: root, recursive: false }]);

    scanner.calls.length = 0;
    scanner.failures = Number.POSITIVE_INFINITY;
    watches[0]!.emit('x.jpg', 'change');
    await until('the watcher gave up', () => scanner.calls.length > 0 && !watcher.status().busy, 10_000);
    expect(scanner.calls).toHaveLength(6);
    const gaps = scanner.calls.slice(1).map((c, i) => c.at - scanner.calls[i]!.at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(10 * 2 ** i - 2));
  });
});

describe('events of a backend that watches whole trees (macOS, Windows)', () => {
  it('scan a folder that changed alone, and a folder that appeared or was renamed whole', async () => {
    const root = tempDir('faults-tree');
    fs.mkdirSync(path.join(root, 'known', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(root, 'known', 'x.jpg'), 'x');
    const { backend, watches } = fakeBackend(true);
    const { scanner, state } = watch(root, { backend });
    await until('the root is watched', () => state() === 'watching');
    // Windows, for a file added to a folder: the file, and its folder as modified.
    watches[0]!.emit(path.join('known', 'x.jpg'), 'rename');
    watches[0]!.emit('known', 'change');
    await until('the folder is scanned', () => scanner.calls.length > 0);
    fs.mkdirSync(path.join(root, 'new', 'deep'), { recursive: true });
    watches[0]!.emit('new', 'rename');
    await until('the new folder is scanned', () => scanner.scopes().some((s) => s.dir.endsWith('new')));
    expect(scanner.scopes()).toEqual([
      { rootId: 'root', dir: path.join(root, 'known'), recursive: false },
      { rootId: 'root', dir: path.join(root, 'new'), recursive: true },
    ]);
  });
});

describe("the app's own folders inside a watched root", () => {
  it('are never watched, and their events are ignored', async () => {
    const root = tempDir('faults-internal');
    const data = path.join(root, 'Shoebox');
    for (const d of [path.join(data, 'media', 'thumbs'), path.join(root, 'photos')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(data, 'media', 'thumbs', 'x.webp'), 'x');
    const { backend, watches } = fakeBackend(false);
    const { scanner, state } = watch(root, { backend, internalFolders: [data] });
    await until('the root is watched', () => state() === 'watching');
    expect(watches.map((w) => w.dir).sort()).toEqual([root, path.join(root, 'photos')]);
    watches[0]!.emit('Shoebox', 'change');
    fs.writeFileSync(path.join(root, 'photos', 'y.jpg'), 'y');
    watches[1]!.emit('y.jpg', 'rename');
    await until('the photo folder is scanned', () => scanner.calls.length > 0);
    expect(scanner.scopes()).toEqual([{ rootId: 'root', dir: path.join(root, 'photos'), recursive: false }]);
  });
});

describe('a root on fallback (the OS watcher limit)', () => {
  it('is watched again once the OS lets it, warning once', async () => {
    const root = tempDir('faults-fallback');
    let refusals = 2;
    const { backend, watches } = fakeBackend(false, () => refusals-- > 0);
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const { scanner, state } = watch(root, { backend, log, rescanMs: 20, retryWatchMs: 60 });
    await until('the root is on fallback', () => state() === 'fallback');
    await until('the root is watched', () => state() === 'watching', 5_000);
    expect(warnings.filter((w) => w.includes('rescanning it periodically'))).toHaveLength(1);
    // Rescans stop; events are what bring changes in.
    await until('the scans since falling back are done', () => scanner.calls.length > 0);
    fs.writeFileSync(path.join(root, 'new.jpg'), 'x');
    const before = scanner.calls.length;
    watches[0]!.emit('new.jpg', 'rename');
    await until('the event is scanned', () => scanner.calls.slice(before).some((c) => c.scopes.some((s) => !s.recursive)));
  });
});
