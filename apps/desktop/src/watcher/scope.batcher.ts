// Turns the folders the watches name into scoped scans: collected once each, debounced (a quiet
// moment, but never longer than a bound, so a steady stream still makes progress), then scanned
// together. A scan that fails (a folder removed meanwhile, a disk error) is not dropped: its folders
// are tried again after a wait that doubles each time, a few times, before a full scan is left to
// find them. Files still being written are looked at again once they have settled.
import path from 'node:path';
import type { Logger } from 'pino';
import type { RootScope, ScanOutcome } from '../scanner/scan.service.ts';
import type { ScanScope } from '../scanner/scan.protocol.ts';

export interface WatchScanner {
  scanScopes(scopes: readonly RootScope[], settleMs: number): Promise<ScanOutcome>;
  cancelScoped(): Promise<void>;
}

export interface ScopeBatcherOptions {
  scanner: WatchScanner;
  log: Logger;
  quietMs: number;
  maxWaitMs: number;
  settleMs: number;
  retryScanMs: number;
  /** Resolves when the watches of folders that appeared are in place (they are scanned after). */
  settled: () => Promise<unknown>;
  /** Whether a root is still watched (folders of a removed one are not looked at again). */
  watched: (rootId: string) => boolean;
}

/** How many times a failed scan of watched folders is tried again before it is left to a full scan. */
const SCAN_RETRIES = 5;

export class ScopeBatcher {
  private readonly opts: ScopeBatcherOptions;
  /** Folders to scan, once each (a burst of events names the same folder many times). */
  private readonly pending = new Map<string, RootScope>();
  /** Failed scans of each folder, while it is being tried again. */
  private readonly failures = new Map<string, number>();
  private firstPendingAt = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly flushes = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(opts: ScopeBatcherOptions) {
    this.opts = opts;
  }

  /** Folders noted and not scanned yet, being scanned, or waiting to be looked at again. */
  get busy(): boolean {
    return this.pending.size > 0 || this.flushes.size > 0 || this.timers.size > 0;
  }

  note(rootId: string, scope: ScanScope): void {
    if (this.closed) return;
    if (this.pending.size === 0) this.firstPendingAt = Date.now();
    this.pending.set(scopeKey(rootId, scope), { rootId, ...scope });
    if (this.flushTimer) clearTimeout(this.flushTimer);
    const wait = Math.min(this.opts.quietMs, Math.max(0, this.firstPendingAt + this.opts.maxWaitMs - Date.now()));
    this.flushTimer = setTimeout(() => this.startFlush(), wait);
  }

  /** A root left the library: nothing of it is scanned any more. */
  dropRoot(rootId: string): void {
    const prefix = `${rootId}\0`;
    for (const key of this.pending.keys()) if (key.startsWith(prefix)) this.pending.delete(key);
    for (const key of this.failures.keys()) if (key.startsWith(prefix)) this.failures.delete(key);
  }

  /** Stops everything; a scoped scan running is stopped too. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
    this.failures.clear();
    // Flushes are not awaited: one may be waiting on a full scan (which covered its folders), and
    // closing does not wait for a full scan. Nothing they do after this point reaches the catalog.
    await this.opts.scanner.cancelScoped();
  }

  private startFlush(): void {
    this.flushTimer = null;
    const flush = this.flush().finally(() => this.flushes.delete(flush));
    this.flushes.add(flush);
    flush.catch((error: unknown) => {
      if (!this.closed) this.opts.log.error({ err: error }, 'the folder watcher failed');
    });
  }

  private async flush(): Promise<void> {
    await this.opts.settled();
    const scopes = [...this.pending.values()];
    this.pending.clear();
    if (scopes.length === 0 || this.closed) return;
    let outcome: ScanOutcome;
    try {
      outcome = await this.opts.scanner.scanScopes(scopes, this.opts.settleMs);
    } catch (error) {
      if (this.closed) return;
      this.opts.log.error({ err: error }, 'could not scan watched folders: trying again later');
      this.retryLater(scopes);
      return;
    }
    for (const s of scopes) this.failures.delete(scopeKey(s.rootId, s));
    this.opts.log.debug(
      { folders: scopes.length, added: outcome.added, changed: outcome.changed, moved: outcome.moved, offline: outcome.offline,
        unsettled: outcome.unsettled.length, ms: outcome.durationMs },
      'scanned watched folders',
    );
    if (outcome.unsettled.length > 0 && !this.closed) {
      // Files that may still be being written: their folders are looked at again once settled.
      this.noteLater(outcome.unsettled.map((f) => ({ rootId: f.rootId, dir: path.dirname(f.path), recursive: false })), this.opts.settleMs);
    }
  }

  private retryLater(scopes: RootScope[]): void {
    const again: RootScope[] = [];
    let failures = 0;
    for (const s of scopes) {
      const key = scopeKey(s.rootId, s);
      const n = (this.failures.get(key) ?? 0) + 1;
      if (n > SCAN_RETRIES) {
        this.failures.delete(key);
        continue;
      }
      this.failures.set(key, n);
      failures = Math.max(failures, n);
      again.push(s);
    }
    if (again.length < scopes.length) {
      this.opts.log.error(
        { folders: scopes.length - again.length },
        'gave up scanning watched folders after repeated failures: the next full scan covers them',
      );
    }
    if (again.length > 0) this.noteLater(again, this.opts.retryScanMs * 2 ** (failures - 1));
  }

  private noteLater(scopes: RootScope[], ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const { rootId, dir, recursive } of scopes) if (this.opts.watched(rootId)) this.note(rootId, { dir, recursive });
    }, ms);
    this.timers.add(timer);
  }
}

function scopeKey(rootId: string, scope: ScanScope): string {
  return `${rootId}\0${scope.recursive ? 'tree' : 'folder'}\0${scope.dir}`;
}
