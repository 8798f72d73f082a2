// Indexing progress for the tray, the taskbar / dock and the renderer, derived from the engine: a
// scan running, and the job queue's counts. It is read at most once a second while work goes on
// (a count over the jobs table is too dear for every settled job) and once more when it stops.
// Jobs that only wait (a retry's delay) are not work going on: then it reads again when the next
// one is due, and at least every 10 s (work queued meanwhile, which no settled job announces).
// Done and failed count from when the current burst of work began, so the fraction means "this
// batch", not the library's whole history; once idle they tell what the last burst did.
import type { DesktopEvent, JobLane, JobsStatus } from '@shoebox/core/contract';
import type { BrowserWindowLike, ElectronApi } from './electron-api.ts';

export type ProgressEvent = Extract<DesktopEvent, { type: 'progress' }>;

export interface IndexingState extends ProgressEvent {
  /** Every indexing lane is paused (queued work waits). */
  paused: boolean;
  /** Jobs queued while nothing runs (their lanes are paused); pending counts only work going on. */
  waiting: number;
  /** 0..1 while working, -1 when idle or paused (what setProgressBar takes). */
  fraction: number;
}

export interface ProgressSource {
  queue: {
    status(failures: number): JobsStatus;
    hasWork(): boolean;
    /** Milliseconds until the next queued job of these lanes may run; null when none is queued. */
    nextDueIn(lanes: readonly JobLane[]): number | null;
  };
  runner: { onSettled(listener: () => void): void };
  /** Busy while any scan runs or waits (the watcher's too, which nobody tracks). */
  scanner: { readonly busy: boolean };
}

/** The lanes the desktop indexes with (sync is the server's). */
export const INDEXING_LANES = ['io', 'media', 'ml'] as const;

const IDLE: IndexingState = {
  type: 'progress', scanning: false, pending: 0, running: 0, done: 0, failed: 0, paused: false, waiting: 0, fraction: -1,
};

export class IndexingProgress {
  private readonly source: ProgressSource;
  private readonly intervalMs: number;
  private readonly waitingIntervalMs: number;
  private readonly listeners: ((state: IndexingState) => void)[] = [];
  private state: IndexingState = IDLE;
  private scans = 0;
  private base = { done: 0, failed: 0 };
  private inBurst = false;
  private lastBurst = { done: 0, failed: 0 };
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private lastReadAt = 0;
  private disposed = false;

  /**
   * `intervalMs`: the least time between two readings while work goes on (default 1 s);
   * `waitingIntervalMs`: the most time between two while queued jobs only wait (default 10 s).
   */
  constructor(source: ProgressSource, opts: { intervalMs?: number; waitingIntervalMs?: number } = {}) {
    this.source = source;
    this.intervalMs = opts.intervalMs ?? 1_000;
    this.waitingIntervalMs = Math.max(this.intervalMs, opts.waitingIntervalMs ?? 10_000);
    const t = this.totals();
    this.base = { done: t.done, failed: t.failed };
    source.runner.onSettled(() => this.kick());
  }

  onChange(listener: (state: IndexingState) => void): void {
    this.listeners.push(listener);
  }

  current(): IndexingState {
    return this.state;
  }

  /** Marks a scan as running until `scan` settles (scans come from start-up, menus and the UI). */
  track<T>(scan: Promise<T>): Promise<T> {
    this.scans++;
    this.kick();
    const end = (): void => {
      this.scans--;
      this.kick();
    };
    scan.then(end, end);
    return scan;
  }

  /** Something changed (a job settled, work was queued): read again within the interval. */
  kick(): void {
    this.readIn(Math.max(0, this.lastReadAt + this.intervalMs - Date.now()));
  }

  /** Reads within `delayMs`: a reading due sooner stays, one due later is brought forward. */
  private readIn(delayMs: number): void {
    if (this.disposed) return;
    const at = Date.now() + delayMs;
    if (this.timer) {
      if (this.timerAt <= at) return;
      clearTimeout(this.timer);
    }
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.read();
    }, delayMs);
  }

  /** Reads the engine now and tells the listeners (a window that just opened wants it at once). */
  refresh(): IndexingState {
    if (!this.disposed) this.read();
    return this.state;
  }

  private totals(): { pending: number; running: number; done: number; failed: number; paused: boolean; active: JobLane[] } {
    const lanes = this.source.queue.status(0).lanes.filter((l) => (INDEXING_LANES as readonly string[]).includes(l.lane));
    const sum = (pick: (l: (typeof lanes)[number]) => number): number => lanes.reduce((n, l) => n + pick(l), 0);
    return {
      pending: sum((l) => l.queued),
      running: sum((l) => l.running),
      done: sum((l) => l.done),
      failed: sum((l) => l.failed),
      paused: lanes.length > 0 && lanes.every((l) => l.paused),
      active: lanes.filter((l) => !l.paused).map((l) => l.lane),
    };
  }

  private read(): void {
    this.lastReadAt = Date.now();
    const t = this.totals();
    const scanning = this.scans > 0 || this.source.scanner.busy;
    const working = scanning || this.source.queue.hasWork();
    // Done rows can be requeued (a file changed again), so the counts never go below the start.
    const done = Math.max(0, t.done - this.base.done);
    const failed = Math.max(0, t.failed - this.base.failed);
    let next: IndexingState;
    if (working) {
      this.inBurst = true;
      const total = done + failed + t.pending + t.running;
      next = {
        type: 'progress', scanning, pending: t.pending, running: t.running, done, failed, paused: t.paused, waiting: 0,
        fraction: total === 0 ? 0 : (done + failed) / total,
      };
    } else {
      if (this.inBurst) {
        // The burst is over: idle shows what it did, and the next one counts from here.
        this.inBurst = false;
        this.lastBurst = { done, failed };
        this.base = { done: t.done, failed: t.failed };
      }
      next = { ...IDLE, ...this.lastBurst, paused: t.paused, waiting: t.pending + t.running };
    }
    this.state = next;
    for (const listener of this.listeners) listener(next);
    // Keep reading while work goes on: a scan queues jobs without any settling yet.
    if (scanning || t.running > 0) this.kick();
    else if (working) this.readIn(this.untilDue(t.active));
  }

  /** While nothing runs: until the next queued job is due, within the bounds of the two intervals. */
  private untilDue(active: JobLane[]): number {
    const due = this.source.queue.nextDueIn(active);
    return due === null ? this.waitingIntervalMs : Math.min(Math.max(due, this.intervalMs), this.waitingIntervalMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** "Indexing: 120 of 500", for the tray's tooltip. */
export function progressLabel(s: IndexingState): string {
  if (s.paused && s.waiting > 0) return `Indexing paused (${s.waiting} waiting)`;
  if (s.fraction < 0) return 'Library up to date';
  const total = s.done + s.failed + s.pending + s.running;
  if (s.scanning && total === 0) return 'Scanning folders…';
  const failed = s.failed > 0 ? `, ${s.failed} failed` : '';
  return `${s.scanning ? 'Scanning and indexing' : 'Indexing'}: ${s.done + s.failed} of ${total}${failed}`;
}

export interface ProgressSinks {
  window: () => BrowserWindowLike | null;
  app: Pick<ElectronApi['app'], 'setBadgeCount'>;
  /** The tray's tooltip and status line. */
  tray: (state: IndexingState) => void;
  /** The renderer (DesktopEvent `progress`). */
  send: (event: ProgressEvent) => void;
}

/** Shows each change of progress everywhere it appears; unchanged readings are not pushed again. */
export function showProgress(progress: IndexingProgress, sinks: ProgressSinks): (force?: boolean) => void {
  let last = '';
  let lastBadge = -1;
  const push = (state: IndexingState, force: boolean): void => {
    const key = JSON.stringify(state);
    if (key === last && !force) return;
    last = key;
    const w = sinks.window();
    if (w && !w.isDestroyed()) w.setProgressBar(state.fraction);
    const badge = state.fraction < 0 ? 0 : state.pending + state.running;
    if (badge !== lastBadge || force) {
      lastBadge = badge;
      sinks.app.setBadgeCount(badge);
    }
    sinks.tray(state);
    const { type, scanning, pending, running, done, failed } = state;
    sinks.send({ type, scanning, pending, running, done, failed });
  };
  progress.onChange((state) => push(state, false));
  // A window that just opened or reloaded has none of it yet.
  return (force = true) => push(progress.current(), force);
}
