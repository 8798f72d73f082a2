// Watches the library folders and keeps the catalog current without rescans: what the OS reports
// is collected as folders to look at, debounced (a quiet moment, but never longer than a bound, so
// a steady stream still makes progress), then handed to the scanner as one scoped scan, the same
// ingestion as a full scan. Files still being written are looked at again a moment later. A root
// the OS cannot watch (its watcher limit) is rescanned periodically instead; a root that goes away
// (an unplugged drive) goes offline through a scan and is polled until it comes back.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { RootScope, ScanOutcome } from '../scanner/scan.service.ts';
import type { ScanScope } from '../scanner/scan.protocol.ts';
import { RootWatch } from './root.watch.ts';
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

export interface WatchScanner {
  scanScopes(scopes: readonly RootScope[], settleMs: number): Promise<ScanOutcome>;
  cancelScoped(): Promise<void>;
}

/** Timings; the defaults suit people, tests shorten them. */
export interface WatchTuning {
  backend?: WatchBackend;
  /** Rescan period of a root on fallback. */
  rescanMs?: number;
  /** How often an offline root is looked for, and a watched one checked (still there, same folder). */
  pollMs?: number;
  /** Quiet time after the last event before scanning. */
  quietMs?: number;
  /** Longest wait after the first event before scanning, however busy the folder. */
  maxWaitMs?: number;
  /** A file modified less than this long ago is looked at again later. */
  settleMs?: number;
}

export interface FolderWatcherOptions extends WatchTuning {
  roots: WatchedRoots;
  scanner: WatchScanner;
  log: Logger;
}

interface Entry {
  id: string;
  path: string;
  state: RootWatchState;
  watch: RootWatch | null;
  timer: NodeJS.Timeout | null;
  /** The root folder's device and inode while watched: another folder at the path (a remount) is watched anew. */
  identity: string | null;
  warned: boolean;
}

export class FolderWatcher {
  private readonly roots: WatchedRoots;
  private readonly scanner: WatchScanner;
  private readonly log: Logger;
  private readonly backend: WatchBackend;
  private readonly rescanMs: number;
  private readonly pollMs: number;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly settleMs: number;
  private readonly entries = new Map<string, Entry>();
  /** Folders to scan, once each (a burst of events names the same folder many times). */
  private pending = new Map<string, RootScope>();
  private firstPendingAt = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly flushes = new Set<Promise<void>>();
  private readonly rechecks = new Set<NodeJS.Timeout>();
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(opts: FolderWatcherOptions) {
    this.roots = opts.roots;
    this.scanner = opts.scanner;
    this.log = opts.log;
    this.backend = opts.backend ?? nodeWatchBackend();
    this.rescanMs = opts.rescanMs ?? 300_000;
    this.pollMs = opts.pollMs ?? 5_000;
    this.quietMs = opts.quietMs ?? 300;
    this.maxWaitMs = opts.maxWaitMs ?? 2_000;
    this.settleMs = opts.settleMs ?? 1_000;
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
      busy: this.pending.size > 0 || this.flushes.size > 0 || this.rechecks.size > 0,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const t of this.rechecks) clearTimeout(t);
    this.rechecks.clear();
    for (const e of this.entries.values()) this.stop(e);
    this.entries.clear();
    this.pending.clear();
    // Flushes are not awaited: one may be waiting on a full scan (which covered its folders), and
    // closing does not wait for a full scan. Nothing they do after this point reaches the catalog.
    await this.scanner.cancelScoped();
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
      for (const [key, s] of this.pending) if (s.rootId === id) this.pending.delete(key);
    }
    for (const r of rows) {
      if (this.entries.has(r.id)) continue;
      const e: Entry = { id: r.id, path: r.path, state: 'starting', watch: null, timer: null, identity: null, warned: false };
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
    e.watch?.close();
    e.watch = null;
    if (e.timer) clearInterval(e.timer);
    e.timer = null;
  }

  private live(e: Entry): boolean {
    return !this.closed && this.entries.get(e.id) === e;
  }

  private async watchRoot(e: Entry, scanAfter: boolean): Promise<void> {
    const identity = await identityOf(e.path);
    if (!this.live(e)) return;
    if (identity === null) {
      this.goOffline(e);
      return;
    }
    const watch = new RootWatch(e.path, this.backend, this.log, {
      scope: (scope) => this.note(e, scope),
      failed: (error) => this.guard(this.onFailure(e, watch, error)),
      gone: () => {
        if (e.watch === watch) this.goOffline(e);
      },
    });
    e.watch = watch;
    try {
      await watch.start();
    } catch (error) {
      if (e.watch === watch) await this.onFailure(e, watch, error as Error);
      return;
    }
    if (e.watch !== watch) return;
    e.state = 'watching';
    e.identity = identity;
    this.log.debug({ rootId: e.id, folders: watch.folders }, 'watching a library folder');
    e.timer = setInterval(() => this.guard(this.check(e, watch)), this.pollMs).unref();
    if (scanAfter) this.note(e, { dir: e.path, recursive: true });
  }

  /** A watched root is still there and still the same folder. */
  private async check(e: Entry, watch: RootWatch): Promise<void> {
    const identity = await identityOf(e.path);
    if (!this.live(e) || e.watch !== watch) return;
    if (identity === null) {
      this.goOffline(e);
    } else if (identity !== e.identity) {
      this.log.debug({ rootId: e.id }, 'a library folder was replaced (remounted): watching it again');
      this.stop(e);
      e.state = 'starting';
      this.guard(this.watchRoot(e, true));
    }
  }

  private async onFailure(e: Entry, watch: RootWatch, error: Error): Promise<void> {
    if (!this.live(e) || e.watch !== watch) return;
    this.stop(e);
    if ((await identityOf(e.path)) === null) {
      if (this.live(e)) this.goOffline(e);
      return;
    }
    if (!this.live(e)) return;
    e.state = 'fallback';
    if (!e.warned) {
      e.warned = true;
      this.log.warn(
        { rootId: e.id, code: (error as NodeJS.ErrnoException).code ?? error.message, rescanSeconds: Math.round(this.rescanMs / 1000) },
        'cannot watch a library folder (the system limit on watched folders?): rescanning it periodically instead',
      );
    }
    // Changes may have been missed already.
    this.note(e, { dir: e.path, recursive: true });
    e.timer = setInterval(() => this.note(e, { dir: e.path, recursive: true }), this.rescanMs).unref();
  }

  /** The root is gone: a scan takes its files offline; it is watched again when it is back. */
  private goOffline(e: Entry): void {
    this.stop(e);
    e.state = 'offline';
    e.identity = null;
    this.log.info({ rootId: e.id }, 'a library folder is offline; waiting for it to come back');
    this.note(e, { dir: e.path, recursive: true });
    e.timer = setInterval(() => {
      this.guard(identityOf(e.path).then(async (identity) => {
        if (identity === null || !this.live(e) || e.state !== 'offline') return;
        this.log.info({ rootId: e.id }, 'a library folder is back');
        this.stop(e);
        e.state = 'starting';
        await this.watchRoot(e, true);
      }));
    }, this.pollMs).unref();
  }

  private note(e: Entry, scope: ScanScope): void {
    if (!this.live(e)) return;
    if (this.pending.size === 0) this.firstPendingAt = Date.now();
    this.pending.set(`${e.id}\0${scope.recursive ? 'tree' : 'folder'}\0${scope.dir}`, { rootId: e.id, ...scope });
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const wait = Math.min(this.quietMs, Math.max(0, this.firstPendingAt + this.maxWaitMs - Date.now()));
    this.flushTimer = setTimeout(() => this.startFlush(), wait);
  }

  private startFlush(): void {
    this.flushTimer = null;
    const flush = this.flush().finally(() => this.flushes.delete(flush));
    this.flushes.add(flush);
    this.guard(flush);
  }

  private async flush(): Promise<void> {
    // Folders that appeared are scanned once their watches are in place.
    await Promise.all([...this.entries.values()].map((e) => e.watch?.settled()));
    const scopes = [...this.pending.values()];
    this.pending.clear();
    if (scopes.length === 0 || this.closed) return;
    try {
      const outcome = await this.scanner.scanScopes(scopes, this.settleMs);
      this.log.debug(
        { folders: scopes.length, added: outcome.added, changed: outcome.changed, moved: outcome.moved, offline: outcome.offline,
          unsettled: outcome.unsettled.length, ms: outcome.durationMs },
        'scanned watched folders',
      );
      if (outcome.unsettled.length > 0 && !this.closed) this.recheck(outcome.unsettled);
    } catch (error) {
      if (!this.closed) this.log.error({ err: error }, 'could not scan watched folders');
    }
  }

  /** Files that may still be being written: their folders are looked at again once they have settled. */
  private recheck(files: { rootId: string; path: string }[]): void {
    const timer = setTimeout(() => {
      this.rechecks.delete(timer);
      for (const f of files) {
        const e = this.entries.get(f.rootId);
        if (e) this.note(e, { dir: path.dirname(f.path), recursive: false });
      }
    }, this.settleMs);
    this.rechecks.add(timer);
  }
}

/** A folder's device and inode, or null when it is not there. */
async function identityOf(p: string): Promise<string | null> {
  try {
    const st = await fs.promises.stat(p);
    return st.isDirectory() ? `${st.dev}:${st.ino}` : null;
  } catch {
    return null;
  }
}
