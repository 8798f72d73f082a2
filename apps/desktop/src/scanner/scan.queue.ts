// Serializes the scanner's runs: one at a time, since each writes as it goes and reads what the
// catalog knew when it started. A full scan asked for while one runs joins it; scoped scans (what a
// watcher saw change) wait behind whatever runs, and the ones that pile up meanwhile merge into one.
import path from 'node:path';
import type { ScanResult } from '@shoebox/core/contract';
import { isSameOrInside } from '@shoebox/core';
import type { ScanScope } from './scan.protocol.ts';

export interface ScanProgress {
  seen: number;
  unchanged: number;
  added: number;
  done: boolean;
}

/** A folder of one root to look at. */
export interface RootScope extends ScanScope {
  rootId: string;
}

/** What a run did, plus the files it left for later because they may still be being written. */
export interface ScanOutcome extends ScanResult {
  unsettled: { rootId: string; path: string }[];
}

export type ScanJob =
  | { kind: 'full'; retryFailed: boolean; onProgress?: (p: ScanProgress) => void }
  | { kind: 'scoped'; scopes: RootScope[]; settleMs: number };

interface Waiting {
  job: ScanJob;
  promise: Promise<ScanOutcome>;
  resolve: (outcome: ScanOutcome) => void;
  reject: (error: unknown) => void;
}

export function emptyOutcome(): ScanOutcome {
  return {
    roots: 0, seen: 0, added: 0, changed: 0, moved: 0, duplicates: 0, offline: 0, unchanged: 0, failed: 0, jobsQueued: 0,
    durationMs: 0, unsettled: [],
  };
}

/**
 * The fewest scopes that cover the same files: no folder twice, nothing inside a tree that is
 * scanned whole. Each known file then belongs to exactly one scope.
 */
export function normalizeScopes(scopes: readonly ScanScope[]): ScanScope[] {
  const trees = [...new Set(scopes.filter((s) => s.recursive).map((s) => path.resolve(s.dir)))].sort((a, b) => a.length - b.length);
  const keptTrees: string[] = [];
  for (const t of trees) if (!keptTrees.some((k) => isSameOrInside(k, t))) keptTrees.push(t);
  const folders = [...new Set(scopes.filter((s) => !s.recursive).map((s) => path.resolve(s.dir)))]
    .filter((f) => !keptTrees.some((k) => isSameOrInside(k, f)));
  return [...keptTrees.map((dir) => ({ dir, recursive: true })), ...folders.map((dir) => ({ dir, recursive: false }))];
}

export class ScanQueue {
  private readonly runJob: (job: ScanJob) => Promise<ScanOutcome>;
  private readonly abortJob: () => void;
  private running: { job: ScanJob; promise: Promise<ScanOutcome> } | null = null;
  private queuedFull: Waiting | null = null;
  private queuedScoped: Waiting | null = null;

  /** `abortJob` stops the running job early (its promise then resolves with what it did). */
  constructor(runJob: (job: ScanJob) => Promise<ScanOutcome>, abortJob: () => void) {
    this.runJob = runJob;
    this.abortJob = abortJob;
  }

  /** Whether a scan runs or waits. */
  get busy(): boolean {
    return this.running !== null || this.queuedFull !== null || this.queuedScoped !== null;
  }

  full(retryFailed: boolean, onProgress?: (p: ScanProgress) => void): Promise<ScanOutcome> {
    if (this.running?.job.kind === 'full') return this.running.promise;
    if (this.queuedFull) {
      if (retryFailed && this.queuedFull.job.kind === 'full') this.queuedFull.job.retryFailed = true;
      return this.queuedFull.promise;
    }
    this.queuedFull = waiting({ kind: 'full', retryFailed, ...(onProgress ? { onProgress } : {}) });
    const { promise } = this.queuedFull;
    this.pump();
    return promise;
  }

  scoped(scopes: readonly RootScope[], settleMs: number): Promise<ScanOutcome> {
    // A full scan that has not started yet covers them.
    if (this.queuedFull) return this.queuedFull.promise;
    const queued = this.queuedScoped;
    if (queued && queued.job.kind === 'scoped') {
      queued.job.scopes.push(...scopes);
      queued.job.settleMs = Math.max(queued.job.settleMs, settleMs);
      return queued.promise;
    }
    this.queuedScoped = waiting({ kind: 'scoped', scopes: [...scopes], settleMs });
    const { promise } = this.queuedScoped;
    this.pump();
    return promise;
  }

  /** Drops the scoped scans not started yet (they resolve having done nothing) and stops a running one. */
  async cancelScoped(): Promise<void> {
    this.queuedScoped?.resolve(emptyOutcome());
    this.queuedScoped = null;
    if (this.running?.job.kind !== 'scoped') return;
    this.abortJob();
    await this.running.promise.catch(() => undefined);
  }

  private pump(): void {
    if (this.running) return;
    const next = this.queuedFull ?? this.queuedScoped;
    if (!next) return;
    if (next === this.queuedFull) {
      this.queuedFull = null;
      // Scoped scans queued before the full one was asked for: it covers them too.
      const absorbed = this.queuedScoped;
      this.queuedScoped = null;
      if (absorbed) next.promise.then(absorbed.resolve, absorbed.reject);
    } else {
      this.queuedScoped = null;
    }
    const promise = this.runJob(next.job);
    this.running = { job: next.job, promise };
    promise.then(next.resolve, next.reject).finally(() => {
      this.running = null;
      this.pump();
    });
  }
}

function waiting(job: ScanJob): Waiting {
  let resolve!: (outcome: ScanOutcome) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<ScanOutcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { job, promise, resolve, reject };
}
