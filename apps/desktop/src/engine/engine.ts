// The library engine's composition root: the catalog, the queue and its runner, the worker pool,
// the scanner and the services, wired by hand. The CLI, `shoebox serve` and (later) Electron main
// all run this same engine.
import fs from 'node:fs';
import path from 'node:path';
import {
  AlbumService, AssetService, DEFAULT_LANE_CONCURRENCY, LibraryService, PeopleService, SmartSearchService, TrashService, createApiHandlers,
} from '@shoebox/core';
import { AppError, type RouteHandlers } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { openCatalog, type Catalog } from '../db/connection.ts';
import { JobQueue } from '../jobs/job.queue.ts';
import { JobRunner } from '../jobs/job.runner.ts';
import { AlbumSqliteRepository } from '../repositories/album.sqlite.repository.ts';
import { AssetSqliteRepository } from '../repositories/asset.sqlite.repository.ts';
import { LibraryRootSqliteRepository } from '../repositories/library-root.sqlite.repository.ts';
import { TrashSqliteRepository } from '../repositories/trash.sqlite.repository.ts';
import { ScanService } from '../scanner/scan.service.ts';
import { WorkerPool } from '@shoebox/media-node/workers/worker-pool';
import type { WorkerLauncher } from '@shoebox/media-node/workers/worker-launcher';
import { MEDIA_WORKER_ENTRY } from '@shoebox/media-node/worker-entries';
import { env, workerCount, workerEnvironment } from '../env.ts';
import { FolderWatcher, type WatchStatus, type WatchTuning } from '../watcher/folder.watcher.ts';
import { nodeFolderProbe } from './folder-probe.ts';
import { LoopMonitor } from './loop-monitor.ts';
import { createDerivativeHandlers } from './derivative.handlers.ts';
import { DerivativeWriter } from './derivative.persist.ts';
import { DerivativeStore } from './derivative-store.ts';
import { nodeFileRemover } from './file-remover.ts';
import { createMetadataHandler } from './metadata.handler.ts';
import { MetadataWriter } from './metadata.persist.ts';
import { VERSION } from '../version.ts';
import { MlClient } from '@shoebox/media-node/ml/ml-client';
import { EngineMlControl } from '../ml/ml-control.ts';
import { queueMissingMlJobs, type BackfillTask } from '../ml/ml-backfill.ts';
import { CLIP_MODELS, CLIP_VISION, FACE_MODELS, facesModelTag } from '@shoebox/media-node/ml/ml-models';
import { MlSettingsStore } from '../ml/ml-settings.ts';
import { openModelCatalog, type StoreModelCatalog } from '../ml/model-catalog.store.ts';
import { PeopleSqliteRepository } from '../repositories/people.sqlite.repository.ts';
import { SmartSearchSqlite } from '../repositories/smart-search.sqlite.ts';
import { ClipVectorIndex } from '../search/clip-vector-index.ts';
import { FaceClusterer } from './face-clustering.ts';
import { createMlHandlers } from './ml.handlers.ts';

export const LOCAL_OWNER = 'local';

export interface EngineOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  log: Logger;
  workers?: number;
  /** Where the ML models are (default: SHOEBOX_MODELS_DIR, else the data folder's models/). */
  modelsDir?: string;
  /** How worker processes start (default: child_process.fork; the Electron app: utilityProcess.fork). */
  launcher?: WorkerLauncher;
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
  readonly mlSettings: MlSettingsStore;
  readonly models: StoreModelCatalog;
  readonly ml: MlClient;
  readonly mlControl: EngineMlControl;
  readonly vectors: ClipVectorIndex;
  readonly peopleRepo: PeopleSqliteRepository;
  readonly clustering: FaceClusterer;
  readonly people: PeopleService;
  readonly smartSearch: SmartSearchService;
  private readonly log: Logger;
  private backfilling: Promise<unknown> = Promise.resolve();
  private maintaining = false;
  private closing = false;
  private readonly workers: number;
  private readonly launcher: WorkerLauncher | undefined;
  private poolInstance: WorkerPool | null = null;
  private pendingRemovals: Promise<unknown>[] = [];
  private watcher: FolderWatcher | null = null;

  constructor(opts: EngineOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.log = opts.log;
    this.workers = opts.workers ?? workerCount();
    this.launcher = opts.launcher;
    this.catalog = openCatalog(this.dataDir);
    const { sqlite } = this.catalog;
    this.queue = new JobQueue(sqlite);
    this.derivatives = new DerivativeStore(this.dataDir, this.log.child({ component: 'derivatives' }));
    this.roots = new LibraryRootSqliteRepository(this.catalog, (ids) => this.assetsRemoved(ids));
    this.assetRepo = new AssetSqliteRepository(this.catalog, this.dataDir);
    this.library = new LibraryService(this.roots, nodeFolderProbe, { internalFolders: () => this.internalFolders() });
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
      // The ML worker runs one request at a time; a second one waiting keeps it busy while the
      // engine writes the first one's result.
      ml: 2,
    };
    const media = createDerivativeHandlers({ sqlite, pool, writer: new DerivativeWriter(sqlite), store: this.derivatives });
    this.mlSettings = new MlSettingsStore(sqlite);
    this.models = openModelCatalog(this.dataDir, opts.modelsDir);
    this.ml = new MlClient({
      modelsDir: this.models.dir, env: workerEnvironment(), log: this.log.child({ component: 'ml' }),
      ...(this.launcher ? { launcher: this.launcher } : {}),
    });
    this.vectors = new ClipVectorIndex(sqlite);
    this.peopleRepo = new PeopleSqliteRepository(sqlite, this.dataDir);
    this.clustering = new FaceClusterer(sqlite, this.mlSettings, this.log.child({ component: 'people' }));
    this.mlControl = new EngineMlControl({
      settings: this.mlSettings, models: this.models, client: this.ml, log: this.log.child({ component: 'ml' }),
      indexed: () => this.vectors.count(), onChange: () => this.backfillMl(),
    });
    const ml = createMlHandlers({
      sqlite, ml: this.ml, settings: this.mlSettings, models: this.models, store: this.derivatives,
      vectors: this.vectors, cluster: async () => {
        await this.clustering.runIncremental();
      },
    });
    this.runner = new JobRunner(
      sqlite,
      this.queue,
      { metadata: createMetadataHandler(sqlite, pool, new MetadataWriter(sqlite)), ...media, ...ml },
      concurrency,
      this.log.child({ component: 'jobs' }),
      (job) => this.mlJobWanted(job),
    );
    this.scanner = new ScanService({
      sqlite, dataDir: this.dataDir, roots: this.roots, queue: this.queue,
      log: this.log.child({ component: 'scan' }), onJobs: () => this.runner.poke(),
      internalFolders: () => this.internalFolders(),
    });
    this.people = new PeopleService(this.peopleRepo, this.clustering);
    this.smartSearch = new SmartSearchService(
      new SmartSearchSqlite(sqlite, this.vectors, () => this.models.tag(CLIP_VISION)),
      {
        embedText: async (text) => {
          this.requireModels(CLIP_MODELS);
          return (await this.ml.clipText(text)).embedding;
        },
        tokenize: (text) => this.ml.tokenize(text),
      },
      this.mlControl,
    );
    this.handlers = createApiHandlers({
      library: this.library,
      assets: this.assets,
      albums: this.albums,
      trash: this.trash,
      jobs: this.queue,
      scanner: this.scanner,
      people: this.people,
      smartSearch: this.smartSearch,
      ml: this.mlControl,
      info: { version: VERSION, mode: opts.mode, startedAt: new Date().toISOString() },
      counts: (owner) => this.assetRepo.counts(owner),
    });
  }

  /**
   * The engine's own folders (the data folder, the models), spelled as library folders are (real
   * paths): a library folder may contain them, but they are never part of the library.
   */
  internalFolders(): string[] {
    return [this.dataDir, this.models.dir].map((dir) => {
      try {
        return fs.realpathSync(dir);
      } catch {
        return dir;
      }
    });
  }

  /** Worker processes start on first use, so read-only commands never spawn them. */
  pool(): WorkerPool {
    this.poolInstance ??= new WorkerPool({
      entry: MEDIA_WORKER_ENTRY,
      size: this.workers,
      init: { exiftoolProcs: 1 },
      perWorker: 4,
      env: workerEnvironment(),
      log: this.log.child({ component: 'workers' }),
      ...(this.launcher ? { launcher: this.launcher } : {}),
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
    this.backfillMl();
    // New CLIP embeddings reach the vector index (and it retrains as the library grows).
    this.runner.onSettled((e) => {
      if (e.job.name === 'clip' && e.result === 'done') this.maintainIndex();
    });
    this.maintainIndex();
  }

  /** Works on the vector index in slices of a few ms, between other work, until it is current. */
  private maintainIndex(): void {
    if (this.maintaining || this.closing) return;
    this.maintaining = true;
    const step = (): void => {
      let more = false;
      try {
        more = !this.closing && this.vectors.maintain(8);
      } catch (error) {
        this.log.error({ err: error }, 'could not maintain the vector index');
      }
      if (more) setImmediate(step);
      else this.maintaining = false;
    };
    setImmediate(step);
  }

  /**
   * Watches the library folders from now on (and follows folders added and removed): changes are
   * scanned as they happen. Idempotent; `close()` stops it. Tests pass shorter timings.
   */
  startWatching(tuning: WatchTuning = {}): void {
    if (this.watcher || this.closing) return;
    this.watcher = new FolderWatcher({
      roots: this.roots, scanner: this.scanner, log: this.log.child({ component: 'watcher' }),
      internalFolders: this.internalFolders(), rescanMs: env().SHOEBOX_RESCAN_SECONDS * 1000, ...tuning,
    });
    this.watcher.start();
  }

  /** Which folders are watched, which fall back to periodic rescans, which are offline; null when not watching. */
  watchStatus(): WatchStatus | null {
    return this.watcher?.status() ?? null;
  }

  /** Resolves once the ML work queued at start is in the queue and every queued job has finished. */
  async whenIdle(): Promise<void> {
    await this.backfilling;
    await this.runner.whenIdle();
  }

  /** Throws MODEL_MISSING naming the models to download. */
  private requireModels(ids: readonly string[]): void {
    const missing = ids.filter((id) => this.models.state(id) !== 'present');
    if (missing.length > 0) {
      throw new AppError('MODEL_MISSING', `smart search needs the CLIP models: run shoebox ml download ${missing.join(' ')}`);
    }
  }

  /** Faces and CLIP jobs are queued only while they can run; the backfill queues them when they can. */
  private mlJobWanted(job: string): boolean {
    const s = this.mlSettings.get();
    if (job === 'faces') return s.enabled && s.faces && this.models.ready(FACE_MODELS);
    if (job === 'clip') return s.enabled && s.smartSearch && this.models.ready([CLIP_VISION]);
    return true;
  }

  /** Queues the faces and CLIP work that was skipped (models were missing or ML was off). */
  backfillMl(): void {
    const s = this.mlSettings.get();
    const tasks: BackfillTask[] = [];
    if (s.enabled && s.faces && this.models.ready(FACE_MODELS)) {
      tasks.push({ task: 'faces', model: facesModelTag(this.models.tag) });
    }
    if (s.enabled && s.smartSearch && this.models.ready([CLIP_VISION])) tasks.push({ task: 'clip', model: this.models.tag(CLIP_VISION) });
    if (tasks.length === 0) return;
    this.backfilling = this.backfilling
      .then(() => queueMissingMlJobs(this.catalog.sqlite, this.queue, tasks))
      .then((queued) => {
        if (queued > 0) this.log.info({ queued }, 'queued ML work the library was missing');
        this.runner.poke();
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'could not queue ML work'));
  }

  /** The files a person's faces are in. */
  peopleAssetPaths(personId: string): string[] {
    return this.catalog.sqlite.prepare(`SELECT DISTINCT a.path FROM faces f JOIN assets a ON a.id = f.asset_id
      WHERE f.person_id = ? AND a.visibility != 'removed' ORDER BY a.path`).pluck().all(personId) as string[];
  }

  /** A person by id or by name (case-insensitive). */
  personIdFor(nameOrId: string): string {
    const id = this.catalog.sqlite.prepare(`SELECT id FROM people WHERE id = ? OR lower(name) = lower(?) ORDER BY id = ? DESC LIMIT 1`)
      .pluck().get(nameOrId, nameOrId, nameOrId) as string | undefined;
    if (!id) throw new AppError('PERSON_NOT_FOUND', `no person called ${nameOrId}`);
    return id;
  }

  /** An asset by id or by its file's path. */
  assetIdFor(pathOrId: string): string {
    const abs = path.resolve(pathOrId);
    const id = this.catalog.sqlite.prepare(`SELECT id FROM assets WHERE (id = ? OR path = ?) AND visibility != 'removed' LIMIT 1`)
      .pluck().get(pathOrId, abs) as string | undefined;
    if (!id) throw new AppError('ASSET_NOT_FOUND', `not in the library: ${pathOrId}`);
    return id;
  }

  assetPaths(ids: readonly string[]): Map<string, string> {
    const rows = this.catalog.sqlite.prepare(`SELECT id, path FROM assets WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as { id: string; path: string }[];
    return new Map(rows.map((r) => [r.id, r.path]));
  }

  async close(): Promise<void> {
    this.closing = true;
    // No new scans start; a watcher's scan running ends first (it writes to the catalog).
    await this.watcher?.close();
    this.watcher = null;
    // Jobs in flight finish and are recorded; a long one (a transcode) is cut short after a few
    // seconds by stopping the workers, and runs again at the next start.
    const cutShort = setTimeout(() => {
      void this.poolInstance?.close();
      void this.ml.close();
    }, 5_000);
    await this.runner.stop();
    clearTimeout(cutShort);
    await this.backfilling;
    this.models.abortDownloads();
    await this.mlControl.whenDownloadsDone().catch(() => undefined);
    await this.ml.close();
    await Promise.all(this.pendingRemovals);
    this.loop.save();
    this.loop.stop();
    await this.poolInstance?.close();
    this.poolInstance = null;
    this.catalog.close();
  }
}
