// Runs a scan: starts the scan thread, and for each batch it sends writes new assets, content
// changes, moves and duplicates with their jobs in one transaction. Identity follows the content:
// a known checksum at a new path is a move when the old path vanished, otherwise a duplicate.
// Tombstones (assets taken out of the library, their files left on disk) are never a move's or a
// duplicate's other half: their content is no longer the library's. A scan covers every root, or
// (a scoped scan, for the folder watcher) only some folders of some roots. A folder can be taken
// out of the library while a scan of it runs: its files are then skipped, batch by batch.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanResult } from '@shoebox/core/contract';
import { uuidv7, type Scanner } from '@shoebox/core';
import type { Logger } from 'pino';
import type { Sqlite } from '../db/connection.ts';
import type { JobQueue } from '../jobs/job.queue.ts';
import type { LibraryRootSqliteRepository } from '../repositories/library-root.sqlite.repository.ts';
import type { ScanMessage, ScanRootInput, ScanThreadInput, ScannedFile } from './scan.protocol.ts';
import { fileGone, nodeVolume, type PathVolume } from './scan.presence.ts';
import {
  ScanQueue, emptyOutcome, normalizeScopes, type RootScope, type ScanJob, type ScanOutcome, type ScanProgress,
} from './scan.queue.ts';

export type { RootScope, ScanOutcome, ScanProgress } from './scan.queue.ts';

type MetadataJob = { name: 'metadata' | 'thumbnail'; payload: { assetId: string } };

interface Primary {
  id: string;
  rootId: string;
  path: string;
  offline: number;
  status: string;
}

export interface ScanServiceOptions {
  sqlite: Sqlite;
  dataDir: string;
  roots: LibraryRootSqliteRepository;
  queue: JobQueue;
  log: Logger;
  onJobs: () => void;
  /** The app's own folders (data, models), canonical: scans never walk them. */
  internalFolders?: () => readonly string[];
  /** How a vanished file is told from one still there (tests simulate a case-insensitive volume). */
  volume?: PathVolume;
}

// Beside this module: scan.thread.ts from source, scan.thread.js beside a bundle (the Electron build).
const THREAD = path.join(import.meta.dirname, `scan.thread${path.extname(import.meta.filename)}`);

export class ScanService implements Scanner {
  private readonly sqlite: Sqlite;
  private readonly dataDir: string;
  private readonly roots: LibraryRootSqliteRepository;
  private readonly queue: JobQueue;
  private readonly log: Logger;
  private readonly onJobs: () => void;
  private readonly internalFolders: () => readonly string[];
  private readonly volume: PathVolume;
  private readonly runs: ScanQueue = new ScanQueue((job) => this.run(job), () => this.abortRunning?.());
  private abortRunning: (() => void) | null = null;
  private readonly stmts;

  constructor(opts: ScanServiceOptions) {
    this.sqlite = opts.sqlite;
    this.dataDir = opts.dataDir;
    this.roots = opts.roots;
    this.queue = opts.queue;
    this.log = opts.log;
    this.onJobs = opts.onJobs;
    this.internalFolders = opts.internalFolders ?? (() => []);
    this.volume = opts.volume ?? nodeVolume();
    const s = this.sqlite;
    this.stmts = {
      insert: s.prepare(`
        INSERT INTO assets (id, root_id, path, dir, file_name, size, mtime_ms, checksum, type, format, status,
          sidecars, sidecar_sig, duplicate_of, created_at, updated_at)
        VALUES (@id, @rootId, @path, @dir, @fileName, @size, @mtimeMs, @checksum, @type, @format, 'pending',
          @sidecars, @sidecarSig, @duplicateOf, @now, @now)`),
      byPath: s.prepare(`SELECT id, checksum, status, offline, sidecar_sig AS sidecarSig, visibility FROM assets WHERE path = ?`),
      // No ORDER BY: a sort costs a temporary b-tree per call even when nothing matches.
      sameContent: s.prepare(`SELECT id, root_id AS rootId, path, offline, status, duplicate_of AS duplicateOf FROM assets WHERE checksum = ? AND visibility != 'removed'`),
      liveRoots: s.prepare(`SELECT id, path FROM library_roots`),
      contentChanged: s.prepare(`
        UPDATE assets SET size = @size, mtime_ms = @mtimeMs, checksum = @checksum, status = 'pending', error = NULL,
          offline = 0, duplicate_of = NULL, sidecars = @sidecars, sidecar_sig = @sidecarSig, updated_at = @now WHERE id = @id`),
      touch: s.prepare(`
        UPDATE assets SET size = @size, mtime_ms = @mtimeMs, offline = 0, sidecars = @sidecars, sidecar_sig = @sidecarSig,
          updated_at = @now WHERE id = @id`),
      move: s.prepare(`
        UPDATE assets SET root_id = @rootId, path = @path, dir = @dir, file_name = @fileName, size = @size,
          mtime_ms = @mtimeMs, offline = 0, sidecars = @sidecars, sidecar_sig = @sidecarSig, updated_at = @now WHERE id = @id`),
      offline: s.prepare(`UPDATE assets SET offline = 1, updated_at = @now WHERE path = @path AND offline = 0 AND visibility != 'removed' RETURNING id`),
      forget: s.prepare(`DELETE FROM assets WHERE path = ? AND visibility = 'removed'`),
    };
  }

  /**
   * Which asset a new path with this content belongs to: an offline one (primary or duplicate)
   * means the file moved; otherwise the primary, of which the new path is a duplicate.
   */
  private primaryOf(checksum: string | null): Primary | undefined {
    if (checksum === null) return undefined;
    const rows = this.stmts.sameContent.all(checksum) as (Primary & { duplicateOf: string | null })[];
    if (rows.length === 0) return undefined;
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    return rows.find((r) => r.offline && !r.duplicateOf) ?? rows.find((r) => r.offline) ?? rows.find((r) => !r.duplicateOf) ?? rows[0];
  }

  /** Every root. One scan at a time: a request while a full scan runs joins it. */
  async scan(options: { retryFailed: boolean }, onProgress?: (p: ScanProgress) => void): Promise<ScanResult> {
    const { unsettled: _, ...result } = await this.runs.full(options.retryFailed, onProgress);
    return result;
  }

  /**
   * Only these folders, after the scan running (if any); requests that pile up meanwhile run as
   * one. Files modified less than `settleMs` ago are left for later (the outcome lists them). A
   * scope that is a whole root counts as a full scan of that root (its last-scan time is set).
   */
  scanScopes(scopes: readonly RootScope[], settleMs = 0): Promise<ScanOutcome> {
    return this.runs.scoped(scopes, settleMs);
  }

  /** Whether a scan runs or waits. */
  get busy(): boolean {
    return this.runs.busy;
  }

  /** Drops scoped scans not started yet and stops a running one; resolves when it has stopped. */
  cancelScoped(): Promise<void> {
    return this.runs.cancelScoped();
  }

  /** The scan thread's input for a job, and the roots it scans whole. */
  private plan(job: ScanJob): { inputs: ScanRootInput[]; whole: string[] } {
    const roots = this.roots.rows();
    if (job.kind === 'full') return { inputs: roots.map((r) => ({ id: r.id, path: r.path })), whole: roots.map((r) => r.id) };
    const inputs: ScanRootInput[] = [];
    const whole: string[] = [];
    // A root removed since the scopes were asked for is not scanned.
    for (const r of roots) {
      const mine = job.scopes.filter((s) => s.rootId === r.id);
      if (mine.length === 0) continue;
      const scopes = normalizeScopes(mine);
      if (scopes.some((s) => s.recursive && s.dir === path.resolve(r.path))) {
        inputs.push({ id: r.id, path: r.path });
        whole.push(r.id);
      } else {
        inputs.push({ id: r.id, path: r.path, scopes });
      }
    }
    return { inputs, whole };
  }

  private async run(job: ScanJob): Promise<ScanOutcome> {
    const started = Date.now();
    const { inputs, whole } = this.plan(job);
    const result: ScanOutcome = { ...emptyOutcome(), roots: inputs.length };
    if (job.kind === 'scoped' && inputs.length === 0) return result;
    const onProgress = job.kind === 'full' ? job.onProgress : undefined;
    if (job.kind === 'full' && job.retryFailed) {
      // Failed jobs run again, and every failed file is read from the start (its metadata job
      // decides its status again, then the media jobs follow).
      const n = this.sqlite.transaction(() => {
        const failedAssets = this.sqlite.prepare(`SELECT id FROM assets WHERE status = 'failed' AND offline = 0 AND visibility != 'removed'`).pluck().all() as string[];
        this.sqlite.prepare(`UPDATE assets SET status = 'pending', error = NULL WHERE status = 'failed' AND visibility != 'removed'`).run();
        return this.queue.retryFailed() + this.queue.enqueue(failedAssets.map((assetId) => ({ name: 'metadata' as const, payload: { assetId } })));
      }).immediate();
      result.jobsQueued += n;
      if (n) this.onJobs();
    }
    const deferred: ScannedFile[] = [];
    const wentOffline = new Set<string>();
    const acks = new SharedArrayBuffer(4);
    const acked = new Int32Array(acks);
    const settleMs = job.kind === 'scoped' ? job.settleMs : 0;
    const workerData: ScanThreadInput = { dataDir: this.dataDir, roots: inputs, internal: [...this.internalFolders()], acks, settleMs };
    const thread = new Worker(THREAD, { workerData });
    let failed = false;
    let aborted = false;
    await new Promise<void>((resolve, reject) => {
      // Stopping a scoped scan (the watcher closing) drops what the thread has not sent: every
      // batch written so far is whole, and what is left is found again by the next scan.
      this.abortRunning = () => {
        aborted = true;
        resolve();
      };
      thread.on('message', (m: ScanMessage) => {
        if (failed) return;
        try {
          switch (m.type) {
            case 'files':
              this.applyBatch(m.files, result, deferred);
              if (m.files.length > 0) {
                Atomics.add(acked, 0, 1);
                Atomics.notify(acked, 0);
              }
              result.seen = m.seen;
              result.unchanged = m.unchanged;
              onProgress?.({ seen: m.seen, unchanged: m.unchanged, added: result.added, done: false });
              break;
            case 'missing':
              result.offline += this.markOffline(m.paths, wentOffline);
              break;
            case 'forgotten':
              this.forget(m.paths);
              break;
            case 'unsettled':
              for (const p of m.paths) result.unsettled.push({ rootId: m.rootId, path: p });
              break;
            case 'error':
              result.failed++;
              this.log.warn({ error: m.error }, 'could not read a file or folder while scanning');
              break;
            case 'done':
              result.seen = m.seen;
              result.unchanged = m.unchanged;
              resolve();
              break;
          }
        } catch (error) {
          failed = true;
          reject(error as Error);
        }
      });
      thread.once('error', reject);
      thread.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scan thread exited with code ${code}`))));
    }).finally(() => {
      thread.removeAllListeners('message');
      // The thread may be parked waiting for acks that will never come.
      void thread.terminate();
      this.abortRunning = null;
    });
    if (aborted) return result;
    // Now that every vanished path is known, a deferred file is a move or a duplicate.
    this.applyDeferred(deferred, result, wentOffline);
    const now = Date.now();
    for (const id of whole) this.roots.markScanned(id, now);
    result.durationMs = Date.now() - started;
    onProgress?.({ seen: result.seen, unchanged: result.unchanged, added: result.added, done: true });
    return result;
  }

  /**
   * Runs one batch of writes with the jobs it queues, in one immediate transaction. `fn` gets the
   * library folders as they are now (id → path): files of a folder removed while the scan ran are
   * skipped, not inserted (their rows would refer to no folder).
   */
  private write(result: ScanResult, fn: (jobs: MetadataJob[], now: number, roots: Map<string, string>) => void): void {
    const now = Date.now();
    const queued = this.sqlite.transaction(() => {
      const jobs: MetadataJob[] = [];
      const roots = new Map((this.stmts.liveRoots.all() as { id: string; path: string }[]).map((r) => [r.id, r.path]));
      fn(jobs, now, roots);
      return this.queue.enqueue(jobs, now);
    }).immediate();
    result.jobsQueued += queued;
    if (queued) this.onJobs();
  }

  /** The content at a new path belongs to an offline asset: the file moved, and keeps its id. */
  private moveInto(primary: Primary, row: Record<string, unknown>, jobs: MetadataJob[], result: ScanResult): void {
    this.stmts.move.run({ ...row, id: primary.id });
    result.moved++;
    // Its metadata is read again if it never was (the file moved before its job could run); its
    // media work is checked (and done, if it was skipped while the file was away).
    jobs.push({ name: primary.status !== 'ok' ? 'metadata' : 'thumbnail', payload: { assetId: primary.id } });
  }

  private insert(row: Record<string, unknown>, duplicateOf: string | null, jobs: MetadataJob[], result: ScanResult): void {
    const id = uuidv7();
    this.stmts.insert.run({ ...row, id, duplicateOf });
    if (duplicateOf) result.duplicates++;
    else result.added++;
    jobs.push({ name: 'metadata', payload: { assetId: id } });
  }

  private applyBatch(files: ScannedFile[], result: ScanResult, deferred: ScannedFile[]): void {
    if (files.length === 0) return;
    this.write(result, (jobs, now, roots) => {
      for (const f of files) {
        if (!roots.has(f.rootId)) continue;
        const row = { ...f, sidecars: JSON.stringify(f.sidecars), now };
        if (f.known) {
          const existing = this.stmts.byPath.get(f.path) as
            { id: string; checksum: string; status: string; offline: number; sidecarSig: string; visibility: string } | undefined;
          // Taken out of the library while this scan ran: it stays out.
          if (existing?.visibility === 'removed') continue;
          if (existing) {
            const contentChanged = f.checksum !== null && f.checksum !== existing.checksum;
            if (contentChanged) this.stmts.contentChanged.run({ ...row, id: existing.id });
            else this.stmts.touch.run({ ...row, id: existing.id });
            result.changed++;
            if (contentChanged || f.sidecarSig !== existing.sidecarSig || existing.status !== 'ok') {
              jobs.push({ name: 'metadata', payload: { assetId: existing.id } });
            } else if (existing.offline) {
              // Back from an unplugged drive: media work skipped while it was away is done now
              // (the jobs find what is already made and skip it).
              jobs.push({ name: 'thumbnail', payload: { assetId: existing.id } });
            }
            continue;
          }
        }
        if (f.checksum === null) continue;
        const primary = f.size > 0 ? this.primaryOf(f.checksum) : undefined;
        // Known content that is still online may yet vanish in this scan: decide at the end.
        if (primary && !primary.offline) deferred.push(f);
        else if (primary) this.moveInto(primary, row, jobs, result);
        else this.insert(row, null, jobs, result);
      }
    });
  }

  /** Marks vanished paths offline; returns the ids that went offline in this scan. */
  private markOffline(paths: string[], into: Set<string>): number {
    let n = 0;
    const now = Date.now();
    const CHUNK = 1000;
    for (let i = 0; i < paths.length; i += CHUNK) {
      this.sqlite.transaction(() => {
        for (const p of paths.slice(i, i + CHUNK)) {
          const row = this.stmts.offline.get({ path: p, now }) as { id: string } | undefined;
          if (row) {
            into.add(row.id);
            n++;
          }
        }
      })();
    }
    return n;
  }

  /** Drops tombstones whose file is gone. */
  private forget(paths: string[]): void {
    this.sqlite.transaction(() => {
      for (const p of paths) this.stmts.forget.run(p);
    })();
  }

  private applyDeferred(files: ScannedFile[], result: ScanResult, wentOffline: Set<string>): void {
    if (files.length === 0) return;
    this.write(result, (jobs, now, roots) => {
      for (const f of files) {
        if (!roots.has(f.rootId)) continue;
        const row = { ...f, sidecars: JSON.stringify(f.sidecars), now };
        const primary = this.primaryOf(f.checksum);
        if (primary?.offline) {
          this.moveInto(primary, row, jobs, result);
          // It vanished from its old path in this very scan: it moved, it is not offline.
          if (wentOffline.delete(primary.id)) result.offline--;
          continue;
        }
        const vanished = this.vanishedTwin(f, roots);
        if (vanished) this.moveInto(vanished, row, jobs, result);
        else this.insert(row, primary?.id ?? null, jobs, result);
      }
    });
  }

  /**
   * An asset with this content whose file is no longer where the catalog says, though this scan
   * did not see it go: a scoped scan only looks at some folders, so a move's two halves can land
   * in different scans (the arrival first). Only the (few) assets sharing the checksum are stat'ed.
   */
  private vanishedTwin(f: ScannedFile, roots: Map<string, string>): Primary | undefined {
    const rows = this.stmts.sameContent.all(f.checksum) as Primary[];
    rows.sort((a, b) => (a.id < b.id ? -1 : 1));
    return rows.find((r) => r.path !== f.path && !r.offline && fileGone(r.path, roots.get(r.rootId), this.volume));
  }
}
