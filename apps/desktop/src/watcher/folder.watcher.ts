// Watches the library folders and keeps the catalog current without rescans: what the OS reports
// becomes folders to scan again (scope.batcher.ts turns them into scoped scans, the same ingestion
// as a full scan). A root the OS cannot watch (its watcher limit) is rescanned periodically
// instead, and watching it is tried again now and then. A root that goes away (an unplugged drive)
// goes offline through a scan and is polled until it comes back. Only "no such folder", twice in a
// row, counts as gone: a NAS that times out or a folder that cannot be read for a moment is left as
// it is, or every file would go offline and come back with a job each.
import fs from 'node:fs';
import type { Logger } from 'pino';
import { internalFolderTest, type InternalTest } from '../scanner/internal-folders.ts';
import { isGoneError } from '../scanner/scan.presence.ts';
import type { ScanScope } from '../scanner/scan.protocol.ts';
import { RootWatch } from './root.watch.ts';
import { ScopeBatcher, type WatchScanner } from './scope.batcher.ts';
import { nodeWatchBackend, type WatchBackend } from './watch.backend.ts';

export type RootWatchState = 'starting' | 'watching' | 'fallback' | 'offline';

export interface WatchStatus {
  roots: { rootId: string; state: RootWatchState; folders: number }[];
  watching: number;
  fallback: number;
  offline: number;
  /** Changes seen and not scanned yet, or being scanned. */
  busy: boolean;
}

export interface WatchedRoots {
  rows(): { id: string; path: string }[];
  onChange(listener: () => void): () => void;
}

export type { WatchScanner };

/** What the watcher needs of a root folder's stat. */
export interface RootStat {
  dev: number;
  ino: number;
  isDirectory(): boolean;
}

/** Timings and OS access; the defaults suit people, tests shorten them and inject failures. */
export interface WatchTuning {
  backend?: WatchBackend;
  /** How a root folder is looked at (default: fs.promises.stat). */
  statRoot?: (dir: string) => Promise<RootStat>;
  /** Rescan period of a root on fallback. */
  rescanMs?: number;
  /** How long after the last try watching a root on fallback is tried again (default: 10 rescans, at most 30 min). */
  retryWatchMs?: number;
  /** How often an offline root is looked for, and a watched one checked (still there, same folder). */
  pollMs?: number;
  /** Quiet time after the last event before scanning. */
  quietMs?: number;
  /** Longest wait after the first event before scanning, however busy the folder. */
  maxWaitMs?: number;
  /** A file modified less than this long ago is looked at again later. */
  settleMs?: number;
  /** Wait before a failed scan of watched folders is tried again (doubling at each failure). */
  retryScanMs?: number;
}

export interface FolderWatcherOptions extends WatchTuning {
  roots: WatchedRoots;
  scanner: WatchScanner;
  log: Logger;
  /** The app's own folders (data, models), canonical: never watched, even inside a root. */
  internalFolders?: readonly string[];
}

/** Polls in a row that must find a root gone before its files go offline. */
const MISSES_TO_GO_OFFLINE = 2;

type Probe = { kind: 'present'; identity: string } | { kind: 'gone' } | { kind: 'unreadable'; code: string };

interface Entry {
  id: string;
  path: string;
  state: RootWatchState;
  watch: RootWatch | null;
  timer: NodeJS.Timeout | null;
  /** Bumped whenever the watch and timer are stopped: work begun before is stale. */
  gen: number;
  /** The root folder's device and inode while watched: another folder at the path (a remount) is watched anew. */
  identity: string | null;
  warned: boolean;
  /** Looks in a row that found the root gone. */
  misses: number;
  /** The root's stat in flight, shared by whoever asks: a hung mount never gets a second one. */
  probing: Promise<Probe> | null;
  polling: boolean;
  /** When watching the root last failed (on fallback, it is tried again a while later). */
  triedAt: number;
}

export class FolderWatcher {
  private readonly roots: WatchedRoots;
  private readonly log: Logger;
  private readonly backend: WatchBackend;
  private readonly statRoot: (dir: string) => Promise<RootStat>;
  private readonly isInternal: InternalTest;
  private readonly rescanMs: number;
  private readonly retryWatchMs: number;
  private readonly pollMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly scans: ScopeBatcher;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(opts: FolderWatcherOptions) {
    this.roots = opts.roots;
    this.log = opts.log;
    this.backend = opts.backend ?? nodeWatchBackend();
    this.statRoot = opts.statRoot ?? ((dir) => fs.promises.stat(dir));
    this.isInternal = internalFolderTest(opts.internalFolders ?? []);
    this.rescanMs = opts.rescanMs ?? 300_000;
    this.retryWatchMs = opts.retryWatchMs ?? Math.min(10 * this.rescanMs, 30 * 60_000);
    this.pollMs = opts.pollMs ?? 5_000;
    this.scans = new ScopeBatcher({
      scanner: opts.scanner, log: opts.log,
      quietMs: opts.quietMs ?? 300, maxWaitMs: opts.maxWaitMs ?? 2_000, settleMs: opts.settleMs ?? 1_000,
      retryScanMs: opts.retryScanMs ?? 1_000,
      // Folders that appeared are scanned once their watches are in place.
      settled: () => Promise.all([...this.entries.values()].map((e) => e.watch?.settled())),
      watched: (rootId) => !this.closed && this.entries.has(rootId),
    });
  }

  /** Watches every root, and follows roots being added and removed. */
  start(): void {
    if (this.unsubscribe || this.closed) return;
    this.unsubscribe = this.roots.onChange(() => this.sync(true));
    this.sync(false);
  }

  status(): WatchStatus {
    const roots = [...this.entries.values()].map((e) => ({ rootId: e.id, state: e.state, folders: e.watch?.folders ?? 0 }));
    const count = (state: RootWatchState): number => roots.filter((r) => r.state === state).length;
    return {
      roots, watching: count('watching'), fallback: count('fallback'), offline: count('offline'),
      busy: this.scans.busy,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    for (const e of this.entries.values()) this.stop(e);
    this.entries.clear();
    await this.scans.close();
  }

  /** Starts watching new roots (scanning them when they came while running) and stops removed ones. */
  private sync(scanNew: boolean): void {
    if (this.closed) return;
    const rows = this.roots.rows();
    const ids = new Set(rows.map((r) => r.id));
    for (const [id, e] of this.entries) {
      if (ids.has(id)) continue;
      this.stop(e);
      this.entries.delete(id);
      this.scans.dropRoot(id);
    }
    for (const r of rows) {
      if (this.entries.has(r.id)) continue;
      const e: Entry = {
        id: r.id, path: r.path, state: 'starting', watch: null, timer: null, gen: 0, identity: null, warned: false,
        misses: 0, probing: null, polling: false, triedAt: 0,
      };
      this.entries.set(r.id, e);
      this.guard(this.watchRoot(e, scanNew));
    }
  }

  /** Background work never ends as an unhandled rejection. */
  private guard(work: Promise<void>): void {
    work.catch((error: unknown) => {
      if (!this.closed) this.log.error({ err: error }, 'the folder watcher failed');
    });
  }

  private stop(e: Entry): void {
    e.gen++;
    e.watch?.close();
    e.watch = null;
    if (e.timer) clearTimeout(e.timer);
    e.timer = null;
  }

  private live(e: Entry): boolean {
    return !this.closed && this.entries.get(e.id) === e;
  }

  /** Still the entry's present: nothing stopped it since `gen`. */
  private current(e: Entry, gen: number): boolean {
    return this.live(e) && e.gen === gen;
  }

  private later(e: Entry, ms: number, work: () => Promise<void> | void): void {
    e.timer = setTimeout(() => this.guard(Promise.resolve().then(work)), ms).unref();
  }

  /** One stat of the root at a time: a caller while one is in flight gets its answer. */
  private probe(e: Entry): Promise<Probe> {
    if (e.probing) return e.probing;
    const pending = probeRoot(e.path, this.statRoot);
    e.probing = pending;
    void pending.finally(() => {
      if (e.probing === pending) e.probing = null;
    });
    return pending;
  }

  private async watchRoot(e: Entry, scanAfter: boolean): Promise<void> {
    const gen = e.gen;
    const found = await this.probe(e);
    if (!this.current(e, gen)) return;
    if (found.kind === 'gone') {
      this.missed(e, () => this.watchRoot(e, scanAfter));
      return;
    }
    if (found.kind === 'unreadable') {
      // Neither there nor gone: nothing changes in the catalog; it is looked at again later.
      this.log.debug({ rootId: e.id, code: found.code }, 'a library folder did not answer: trying again later');
      this.later(e, this.pollMs, () => this.watchRoot(e, scanAfter));
      return;
    }
    e.misses = 0;
    const watch = new RootWatch(e.path, this.backend, this.log, {
      scope: (scope) => this.note(e, scope),
      failed: (error) => {
        if (this.current(e, gen)) this.guard(this.onFailure(e, error));
      },
      gone: () => {
        if (this.current(e, gen) && e.state === 'watching') this.pollNow(e);
      },
    }, this.isInternal);
    e.watch = watch;
    try {
      await watch.start();
    } catch (error) {
      if (this.current(e, gen)) await this.onFailure(e, error as Error);
      return;
    }
    if (!this.current(e, gen)) return;
    if (e.warned) this.log.info({ rootId: e.id }, 'watching a library folder again instead of rescanning it');
    e.warned = false;
    e.state = 'watching';
    e.identity = found.identity;
    this.log.debug({ rootId: e.id, folders: watch.folders }, 'watching a library folder');
    this.later(e, this.pollMs, () => this.poll(e, gen));
    if (scanAfter) this.note(e, { dir: e.path, recursive: true });
  }

  /** The root was not there: it goes offline only when it is still not there a poll later. */
  private missed(e: Entry, again: () => Promise<void>): void {
    if (++e.misses >= MISSES_TO_GO_OFFLINE) {
      this.goOffline(e);
      return;
    }
    this.log.debug({ rootId: e.id }, 'a library folder is not there: looking again before taking it offline');
    this.later(e, this.pollMs, again);
  }

  /** A watch saw the root go: it is looked at now instead of at the next poll. */
  private pollNow(e: Entry): void {
    if (e.polling) return;
    if (e.timer) clearTimeout(e.timer);
    this.guard(this.poll(e, e.gen));
  }

  /** A watched root is still there and still the same folder. */
  private async poll(e: Entry, gen: number): Promise<void> {
    if (!this.current(e, gen)) return;
    if (e.polling) {
      // A stat of an earlier watch still hangs (a dead mount): no second one is started.
      this.later(e, this.pollMs, () => this.poll(e, gen));
      return;
    }
    e.polling = true;
    let found: Probe;
    try {
      found = await this.probe(e);
    } finally {
      e.polling = false;
    }
    if (!this.current(e, gen)) return;
    if (found.kind === 'present') {
      e.misses = 0;
      if (found.identity !== e.identity) {
        this.log.debug({ rootId: e.id }, 'a library folder was replaced (remounted): watching it again');
        this.stop(e);
        e.state = 'starting';
        await this.watchRoot(e, true);
        return;
      }
    } else if (found.kind === 'gone') {
      if (++e.misses >= MISSES_TO_GO_OFFLINE) {
        this.goOffline(e);
        return;
      }
      this.log.debug({ rootId: e.id }, 'a watched library folder is not there: looking again before taking it offline');
    } else {
      this.log.debug({ rootId: e.id, code: found.code }, 'a watched library folder did not answer a poll');
    }
    this.later(e, this.pollMs, () => this.poll(e, gen));
  }

  private async onFailure(e: Entry, error: Error): Promise<void> {
    this.stop(e);
    e.state = 'starting';
    const gen = e.gen;
    const found = await this.probe(e);
    if (!this.current(e, gen)) return;
    // A watch that fails because its folder went (Windows reports an error) is tried again if the
    // folder is back a poll later; still gone, it is offline.
    if (found.kind === 'gone') this.missed(e, () => this.watchRoot(e, true));
    else this.fallBack(e, error);
  }

  /** Rescans instead of watching; watching is tried again after a while (the limit may have room by then). */
  private fallBack(e: Entry, error: Error): void {
    e.state = 'fallback';
    // Watching just failed (at start, or at run time after hours of watching): the wait starts now.
    e.triedAt = Date.now();
    if (!e.warned) {
      e.warned = true;
      this.log.warn(
        { rootId: e.id, code: (error as NodeJS.ErrnoException).code ?? error.message, rescanSeconds: Math.round(this.rescanMs / 1000) },
        'cannot watch a library folder (the system limit on watched folders?): rescanning it periodically instead',
      );
    }
    // Changes may have been missed already.
    this.note(e, { dir: e.path, recursive: true });
    const gen = e.gen;
    const tick = (): void => {
      if (!this.current(e, gen)) return;
      if (Date.now() - e.triedAt >= this.retryWatchMs) {
        this.stop(e);
        e.state = 'starting';
        // Watching or not, the root is scanned (for what the wait missed).
        this.guard(this.watchRoot(e, true));
        return;
      }
      this.note(e, { dir: e.path, recursive: true });
      this.later(e, this.rescanMs, tick);
    };
    this.later(e, this.rescanMs, tick);
  }

  /** The root is gone: a scan takes its files offline; it is watched again when it is back. */
  private goOffline(e: Entry): void {
    this.stop(e);
    e.state = 'offline';
    e.identity = null;
    e.misses = 0;
    this.log.info({ rootId: e.id }, 'a library folder is offline; waiting for it to come back');
    this.note(e, { dir: e.path, recursive: true });
    const gen = e.gen;
    const look = async (): Promise<void> => {
      const found = await this.probe(e);
      if (!this.current(e, gen)) return;
      if (found.kind !== 'present') {
        this.later(e, this.pollMs, look);
        return;
      }
      this.log.info({ rootId: e.id }, 'a library folder is back');
      this.stop(e);
      e.state = 'starting';
      await this.watchRoot(e, true);
    };
    this.later(e, this.pollMs, look);
  }

  private note(e: Entry, scope: ScanScope): void {
    if (this.live(e)) this.scans.note(e.id, scope);
  }
}

/** The root folder: there (with its device and inode), gone (not there at all), or not answering. */
async function probeRoot(dir: string, stat: (dir: string) => Promise<RootStat>): Promise<Probe> {
  try {
    const st = await stat(dir);
    return st.isDirectory() ? { kind: 'present', identity: `${st.dev}:${st.ino}` } : { kind: 'gone' };
  } catch (error) {
    if (isGoneError(error)) return { kind: 'gone' };
    return { kind: 'unreadable', code: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}
