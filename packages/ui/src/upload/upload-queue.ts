// The upload queue: files go up a few at a time, each with its progress; a network or server
// problem is retried after a growing pause, a refusal (too large, not a photo) waits for a manual
// retry, and a 401 holds the queue until the person signs in again. Every pending file is kept in
// a store, so a reload or a lost connection continues where it stopped (a file in flight starts
// over: the server takes whole files). Before sending, a file's SHA-1 may be computed and checked
// against what the server already has, which skips re-sending a camera roll's old photos.
import type { QueueStore } from './queue-store.ts';
import {
  FINISHED, IN_FLIGHT, isAbort, totalsOf, UploadFailure,
  type QueueTotals, type UploadItem, type UploadOutcome, type UploadSender, type UploadStatus,
} from './upload-types.ts';

export type { QueueTotals };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface QueueOptions {
  store: QueueStore;
  send: UploadSender;
  /** The SHA-1 of a file; without it, files are sent without the pre-check (the server dedupes anyway). */
  hash?: (file: Blob, signal: AbortSignal) => Promise<string>;
  /** Which checksums the server already has, as checksum → asset id (null when it has not). */
  check?: (checksums: string[]) => Promise<Map<string, string | null>>;
  /** Files in flight at once. */
  concurrency?: number;
  /** Automatic tries for network and server errors before the file is marked failed. */
  maxAttempts?: number;
  /** The pause before automatic retry number `attempt` (1-based), in ms. */
  backoff?: (attempt: number) => number;
  /** Whether the device has a network; offline time does not use up the automatic tries. */
  online?: () => boolean;
  clock?: Clock;
  newId?: () => string;
  /** A file became a new asset on the server. */
  onUploaded?: (item: UploadItem) => void;
  /** The server answered 401: the queue holds until setBlocked(false). */
  onUnauthorized?: () => void;
}

export interface QueueSnapshot {
  items: readonly UploadItem[];
  paused: boolean;
  /** Held for a login. */
  blocked: boolean;
  /** The stored queue has been read back. */
  ready: boolean;
  /** Whether pending files survive a reload. */
  durable: boolean;
  /** Files the store could not keep (its quota ran out): they last as long as the page. */
  notStored: number;
  totals: QueueTotals;
}

export function defaultBackoff(attempt: number): number {
  const base = Math.min(60_000, 2000 * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function randomId(): string {
  // crypto.randomUUID needs a secure context; getRandomValues does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function fileKey(x: { name: string; size: number; lastModified: number }): string {
  return `${x.name}\u0000${x.size}\u0000${x.lastModified}`;
}

export class UploadQueue {
  private items: UploadItem[] = [];
  private readonly files = new Map<string, Blob>();
  private readonly running = new Map<string, AbortController>();
  private readonly notStored = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private paused = false;
  private blocked = false;
  private ready = false;
  private disposed = false;
  private timer: unknown = null;
  private snapshot: QueueSnapshot | null = null;
  private notifying = false;
  private readonly o: Required<Omit<QueueOptions, 'hash' | 'check' | 'onUploaded' | 'onUnauthorized'>> & QueueOptions;

  constructor(options: QueueOptions) {
    this.o = {
      concurrency: 3, maxAttempts: 6, backoff: defaultBackoff, online: () => true, clock: realClock, newId: randomId,
      ...options,
    };
  }

  /** Reads the stored queue back (once) and starts on it unless it was paused. */
  async restore(): Promise<void> {
    let stored: Awaited<ReturnType<QueueStore['load']>> = { uploads: [], paused: false };
    try {
      stored = await this.o.store.load();
    } catch {
      // An unreadable store: start empty rather than not at all.
    }
    if (this.disposed) return;
    const known = new Set(this.items.map((i) => i.id));
    const back: UploadItem[] = [];
    for (const { item, file } of stored.uploads) {
      if (known.has(item.id)) continue;
      if (FINISHED.has(item.status)) {
        void this.o.store.remove(item.id).catch(() => undefined);
        continue;
      }
      // Whatever was in flight when the page went away starts that file again.
      const status: UploadStatus = IN_FLIGHT.has(item.status) ? 'waiting' : item.status;
      back.push({ ...item, status, sent: 0 });
      this.files.set(item.id, file);
    }
    this.items = [...back, ...this.items];
    this.paused = this.paused || stored.paused;
    this.ready = true;
    this.changed();
    this.pump();
  }

  /** Adds files to the end of the line. A file already in the queue is not added twice. */
  add(files: readonly File[]): { added: number; skipped: number } {
    const now = this.o.clock.now();
    const byKey = new Map(this.items.map((i) => [fileKey(i), i]));
    let added = 0;
    let skipped = 0;
    files.forEach((file, order) => {
      const same = byKey.get(fileKey(file));
      if (same && same.status !== 'failed') {
        skipped++;
        return;
      }
      if (same) this.drop(same.id);
      const item: UploadItem = {
        id: this.o.newId(), name: file.name, size: file.size, type: file.type, lastModified: file.lastModified,
        addedAt: now, order, status: 'waiting', sent: 0, attempts: 0, retryAt: null, error: null, checksum: null, assetId: null,
      };
      this.items.push(item);
      this.files.set(item.id, file);
      byKey.set(fileKey(item), item);
      added++;
      this.o.store.add(item, file).then(
        () => this.notStored.delete(item.id) && this.changed(),
        () => {
          this.notStored.add(item.id);
          this.changed();
        },
      );
    });
    this.changed();
    this.pump();
    return { added, skipped };
  }

  /** Stops sending: files in flight are interrupted and wait in line again. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    void this.o.store.setPaused(true).catch(() => undefined);
    for (const id of [...this.running.keys()]) this.interrupt(id);
    this.clearTimer();
    this.changed();
  }

  resume(): void {
    this.paused = false;
    void this.o.store.setPaused(false).catch(() => undefined);
    this.nudge();
  }

  /** Holds the queue while nobody is signed in (a 401), and lets it go again. */
  setBlocked(blocked: boolean): void {
    if (this.blocked === blocked) return;
    this.blocked = blocked;
    if (blocked) for (const id of [...this.running.keys()]) this.interrupt(id);
    this.changed();
    this.pump();
  }

  /** The connection is back (or the person asked): files waiting to retry go now. */
  nudge(): void {
    const now = this.o.clock.now();
    this.items = this.items.map((i) => (i.status === 'retrying' ? { ...i, retryAt: now } : i));
    this.changed();
    this.pump();
  }

  /** Tries a failed (or retrying) file again, with a fresh count of automatic tries. */
  retry(id: string): void {
    const item = this.items.find((i) => i.id === id);
    if (!item || (item.status !== 'failed' && item.status !== 'retrying')) return;
    this.patch(id, { status: 'waiting', attempts: 0, retryAt: null, error: null, sent: 0 }, true);
    this.pump();
  }

  retryFailed(): void {
    for (const i of this.items) if (i.status === 'failed') this.patch(i.id, { status: 'waiting', attempts: 0, retryAt: null, error: null, sent: 0 }, true);
    this.pump();
  }

  /** Takes a file out of the queue (interrupting it when in flight). */
  remove(id: string): void {
    this.drop(id);
    this.changed();
    this.pump();
  }

  /** Forgets the finished files (uploaded, or already on the server). */
  clearFinished(): void {
    this.items = this.items.filter((i) => !FINISHED.has(i.status));
    this.changed();
  }

  dispose(): void {
    this.disposed = true;
    for (const c of this.running.values()) c.abort();
    this.running.clear();
    this.clearTimer();
    this.listeners.clear();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): QueueSnapshot => {
    this.snapshot ??= {
      items: this.items, paused: this.paused, blocked: this.blocked, ready: this.ready, durable: this.o.store.durable,
      notStored: this.notStored.size, totals: totalsOf(this.items),
    };
    return this.snapshot;
  };

  private changed(): true {
    this.snapshot = null;
    if (!this.notifying) {
      this.notifying = true;
      // Progress events come in bursts: listeners hear of them once per turn.
      queueMicrotask(() => {
        this.notifying = false;
        for (const l of [...this.listeners]) l();
      });
    }
    return true;
  }

  private patch(id: string, changes: Partial<UploadItem>, persist = false): UploadItem | undefined {
    let next: UploadItem | undefined;
    this.items = this.items.map((i) => (i.id === id ? (next = { ...i, ...changes }) : i));
    if (!next) return undefined;
    this.changed();
    if (persist) void this.o.store.update(next).catch(() => undefined);
    return next;
  }

  private drop(id: string): void {
    this.running.get(id)?.abort();
    this.running.delete(id);
    this.items = this.items.filter((i) => i.id !== id);
    this.files.delete(id);
    this.notStored.delete(id);
    void this.o.store.remove(id).catch(() => undefined);
  }

  private interrupt(id: string): void {
    this.running.get(id)?.abort();
    this.running.delete(id);
    this.patch(id, { status: 'waiting', sent: 0 }, true);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.o.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.disposed || !this.ready || this.paused || this.blocked) return;
    const now = this.o.clock.now();
    let nextRetry = Infinity;
    for (const item of this.items) {
      if (this.running.has(item.id)) continue;
      const due = item.status === 'waiting' || (item.status === 'retrying' && (item.retryAt ?? 0) <= now);
      if (due && this.running.size < this.o.concurrency) void this.run(item.id);
      else if (item.status === 'retrying') nextRetry = Math.min(nextRetry, item.retryAt ?? now);
    }
    this.clearTimer();
    if (nextRetry < Infinity) this.timer = this.o.clock.setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.max(0, nextRetry - now));
  }

  private async run(id: string): Promise<void> {
    const controller = new AbortController();
    this.running.set(id, controller);
    const { signal } = controller;
    try {
      const file = this.files.get(id);
      if (!file) throw new UploadFailure('unreadable', 'The file is no longer available. Choose it again.');
      let checksum = this.items.find((i) => i.id === id)?.checksum ?? null;
      if (this.o.hash && this.o.check && !checksum) {
        this.patch(id, { status: 'checking', sent: 0 });
        try {
          checksum = await this.o.hash(file, signal);
        } catch (error) {
          if (isAbort(error) || signal.aborted) throw error;
          throw new UploadFailure('unreadable', 'The file could not be read. If it was removed from the device, choose it again.');
        }
        signal.throwIfAborted();
        this.patch(id, { checksum }, true);
      }
      if (checksum && this.o.check) {
        this.patch(id, { status: 'checking' });
        let known: string | null | undefined;
        try {
          known = (await this.o.check([checksum])).get(checksum.toLowerCase());
        } catch (error) {
          if (error instanceof UploadFailure && error.kind === 'unauthorized') throw error;
          // The check only saves time: when it fails, the upload itself will tell.
        }
        signal.throwIfAborted();
        if (known) return this.finish(id, { status: 'duplicate', assetId: known, checksum });
      }
      const item = this.patch(id, { status: 'uploading', sent: 0 });
      if (!item) return;
      const outcome = await this.o.send({ item, file, checksum }, (sent) => {
        if (this.running.get(id) === controller) this.patch(id, { sent });
      }, signal);
      signal.throwIfAborted();
      this.finish(id, outcome);
    } catch (error) {
      if (!signal.aborted && !isAbort(error)) this.fail(id, error);
    } finally {
      if (this.running.get(id) === controller) this.running.delete(id);
      this.pump();
    }
  }

  private finish(id: string, outcome: UploadOutcome): void {
    const item = this.patch(id, {
      status: outcome.status === 'created' ? 'done' : 'duplicate', assetId: outcome.assetId, checksum: outcome.checksum,
      sent: this.items.find((i) => i.id === id)?.size ?? 0, error: null, retryAt: null, attempts: 0,
    });
    this.files.delete(id);
    this.notStored.delete(id);
    void this.o.store.remove(id).catch(() => undefined);
    if (item && outcome.status === 'created') this.o.onUploaded?.(item);
  }

  private fail(id: string, error: unknown): void {
    const f = error instanceof UploadFailure ? error : new UploadFailure('network', error instanceof Error ? error.message : String(error));
    const item = this.items.find((i) => i.id === id);
    if (!item) return;
    if (f.kind === 'unauthorized') {
      this.patch(id, { status: 'waiting', sent: 0 }, true);
      this.setBlocked(true);
      this.o.onUnauthorized?.();
      return;
    }
    if (f.kind === 'network' || f.kind === 'server') {
      const now = this.o.clock.now();
      if (!this.o.online()) {
        // No network at all: wait for it (nudge) without using up the tries.
        this.patch(id, { status: 'retrying', sent: 0, retryAt: now + 30_000, error: 'No network connection' }, true);
        return;
      }
      const attempts = item.attempts + 1;
      if (attempts < this.o.maxAttempts) {
        this.patch(id, { status: 'retrying', sent: 0, attempts, retryAt: now + this.o.backoff(attempts), error: f.message }, true);
        return;
      }
      this.patch(id, { status: 'failed', sent: 0, attempts, retryAt: null, error: `${f.message} (tried ${attempts} times)` }, true);
      return;
    }
    this.patch(id, { status: 'failed', sent: 0, retryAt: null, error: f.message }, true);
  }
}
