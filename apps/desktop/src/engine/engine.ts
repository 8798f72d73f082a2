// The library engine's composition root: the catalog, the queue and its runner, the worker pool,
// the scanner and the services, wired by hand. The CLI, `shoebox serve` and (later) Electron main
// all run this same engine.
import path from 'node:path';
import { AlbumService, AssetService, DEFAULT_LANE_CONCURRENCY, LibraryService, TrashService, createApiHandlers } from '@shoebox/core';
import type { RouteHandlers } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { openCatalog, type Catalog } from '../db/connection.ts';
import { JobQueue } from '../jobs/job.queue.ts';
import { JobRunner } from '../jobs/job.runner.ts';
import { AlbumSqliteRepository } from '../repositories/album.sqlite.repository.ts';
import { AssetSqliteRepository } from '../repositories/asset.sqlite.repository.ts';
import { LibraryRootSqliteRepository } from '../repositories/library-root.sqlite.repository.ts';
import { TrashSqliteRepository } from '../repositories/trash.sqlite.repository.ts';
import { ScanService } from '../scanner/scan.service.ts';
import { WorkerPool } from '../workers/worker-pool.ts';
import { workerCount, workerEnvironment } from '../env.ts';
import { nodeFolderProbe } from './folder-probe.ts';
import { LoopMonitor } from './loop-monitor.ts';
import { createDerivativeHandlers } from './derivative.handlers.ts';
import { DerivativeWriter } from './derivative.persist.ts';
import { DerivativeStore } from './derivative-store.ts';
import { nodeFileRemover } from './file-remover.ts';
import { createMetadataHandler } from './metadata.handler.ts';
import { MetadataWriter } from './metadata.persist.ts';
import { VERSION } from '../version.ts';

export const LOCAL_OWNER = 'local';
const MEDIA_WORKER = path.join(import.meta.dirname, '..', 'workers', 'media.worker.ts');

export interface EngineOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  log: Logger;
  workers?: number;
}

export class Engine {
  readonly dataDir: string;
  readonly catalog: Catalog;
  readonly queue: JobQueue;
  readonly runner: JobRunner;
  readonly roots: LibraryRootSqliteRepository;
  readonly assetRepo: AssetSqliteRepository;
  readonly library: LibraryService;
  readonly assets: AssetService;
  readonly albums: AlbumService;
  readonly trash: TrashService;
  readonly scanner: ScanService;
  readonly handlers: RouteHandlers;
  readonly loop: LoopMonitor;
  readonly derivatives: DerivativeStore;
  private readonly log: Logger;
  private readonly workers: number;
  private poolInstance: WorkerPool | null = null;
  private pendingRemovals: Promise<unknown>[] = [];

  constructor(opts: EngineOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.log = opts.log;
    this.workers = opts.workers ?? workerCount();
    this.catalog = openCatalog(this.dataDir);
    const { sqlite } = this.catalog;
    this.queue = new JobQueue(sqlite);
    this.derivatives = new DerivativeStore(this.dataDir, this.log.child({ component: 'derivatives' }));
    this.roots = new LibraryRootSqliteRepository(this.catalog, (ids) => this.assetsRemoved(ids));
    this.assetRepo = new AssetSqliteRepository(this.catalog, this.dataDir);
    this.library = new LibraryService(this.roots, nodeFolderProbe);
    this.assets = new AssetService(this.assetRepo);
    this.albums = new AlbumService(new AlbumSqliteRepository(sqlite));
    this.trash = new TrashService(new TrashSqliteRepository(sqlite, (ids) => this.assetsRemoved(ids)), nodeFileRemover);
    this.loop = new LoopMonitor(sqlite);
    const pool = {
      call: <T>(body: Parameters<WorkerPool['call']>[0], opts?: { timeoutMs?: number }) => this.pool().call<T>(body, opts),
    };
    const concurrency = {
      ...DEFAULT_LANE_CONCURRENCY,
      // Keep every exiftool busy while the engine writes results: two requests per worker.
      io: this.workers * 2,
      // One image in decode and one in encode per worker: a worker's core never waits for I/O.
      media: this.workers * 2,
    };
    const media = createDerivativeHandlers({ sqlite, pool, writer: new DerivativeWriter(sqlite), store: this.derivatives });
    this.runner = new JobRunner(
      sqlite,
      this.queue,
      { metadata: createMetadataHandler(sqlite, pool, new MetadataWriter(sqlite)), ...media },
      concurrency,
      this.log.child({ component: 'jobs' }),
    );
    this.scanner = new ScanService({
      sqlite, dataDir: this.dataDir, roots: this.roots, queue: this.queue,
      log: this.log.child({ component: 'scan' }), onJobs: () => this.runner.poke(),
    });
    this.handlers = createApiHandlers({
      library: this.library,
      assets: this.assets,
      albums: this.albums,
      trash: this.trash,
      jobs: this.queue,
      scanner: this.scanner,
      info: { version: VERSION, mode: opts.mode, startedAt: new Date().toISOString() },
      counts: (owner) => this.assetRepo.counts(owner),
    });
  }

  /** Worker processes start on first use, so read-only commands never spawn them. */
  pool(): WorkerPool {
    this.poolInstance ??= new WorkerPool({
      entry: MEDIA_WORKER,
      size: this.workers,
      init: { exiftoolProcs: 1 },
      perWorker: 4,
      env: workerEnvironment(),
      log: this.log.child({ component: 'workers' }),
    });
    return this.poolInstance;
  }

  /** Assets left the catalog (their folder was removed, or the trash was emptied): their derivatives go too. */
  private assetsRemoved(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.pendingRemovals.push(
      this.derivatives.remove(ids).catch((error: unknown) => this.log.error({ err: error }, 'could not remove derivatives')),
    );
  }

  startJobs(): void {
    this.loop.start();
    this.runner.start();
  }

  async close(): Promise<void> {
    // Jobs in flight finish and are recorded; a long one (a transcode) is cut short after a few
    // seconds by stopping the workers, and runs again at the next start.
    const cutShort = setTimeout(() => void this.poolInstance?.close(), 5_000);
    await this.runner.stop();
    clearTimeout(cutShort);
    await Promise.all(this.pendingRemovals);
    this.loop.save();
    this.loop.stop();
    await this.poolInstance?.close();
    this.poolInstance = null;
    this.catalog.close();
  }
}
