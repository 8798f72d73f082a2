// The sync server's job system, wired for the composition root: the Postgres queue (core's
// JobControl), its runner, the handler map for core's whole catalog (media jobs in the shared media
// worker processes, ML jobs in the ML worker when the models are installed), face clustering
// (core's FaceClustering port), ML control (core's MlControl), and `onUploaded`, which the upload
// route calls for each new asset.
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_LANE_CONCURRENCY, type FaceClustering, type JobName, type MetadataResult, type MlControl, type TextEmbedder } from '@shoebox/core';
import { AppError, type JobLane } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { MEDIA_WORKER_ENTRY } from '@shoebox/media-node/worker-entries';
import { WorkerPool, type MediaWorkers } from '@shoebox/media-node/workers/worker-pool';
import { PoolClosedError } from '@shoebox/media-node/workers/worker.protocol';
import { MlClient } from '@shoebox/media-node/ml/ml-client';
import { CLIP_MODELS, CLIP_VISION, FACE_MODELS, facesModelTag } from '@shoebox/media-node/ml/ml-models';
import type { Database } from '../db/database.ts';
import { PgJobQueue } from './job.pg.queue.ts';
import { PgJobRunner, type JobRunnerOptions } from './job.runner.ts';
import type { JobHandlers } from './job.types.ts';
import { livenessSource } from './liveness-sources.ts';
import { queueMissingMetadata, queueMissingMlJobs, type BackfillTask } from './missing-jobs.ts';
import { RunnerLiveness } from './runner-liveness.ts';
import { sqlDb, type DrizzleLike } from './sql-exec.ts';
import { DerivativeStore } from './handlers/derivative-store.ts';
import { createDerivativeHandlers } from './handlers/derivative.handlers.ts';
import { createMetadataHandler } from './handlers/metadata.handler.ts';
import { PgFaceClusterer } from './ml/face-clustering.pg.ts';
import { createMlHandlers } from './ml/ml.handlers.ts';
import { PgMlControl } from './ml/ml-control.pg.ts';
import { PgMlSettings } from './ml/ml-settings.pg.ts';
import { modelAvailability, type ModelAvailability } from './ml/model-availability.ts';

export interface JobSystemOptions {
  database: Database;
  /** The upload storage root: derivatives go to `<storageRoot>/derivatives/<owner>/…`. */
  storageRoot: string;
  /**
   * Where derivatives go instead (e.g. `<dataDir>/media`); it must be one of the roots the file
   * routes serve from. Default `<storageRoot>/derivatives`.
   */
  derivativesRoot?: string;
  /** The server's data folder (stored derivative paths are relative to it). */
  dataDir: string;
  log: Logger;
  /** SHOEBOX_MODELS_DIR when set, else `<dataDir>/models`. */
  modelsDir?: string;
  /** Another model manifest (SHOEBOX_MODELS_MANIFEST; the ML worker reads it from `workerEnv`). */
  modelsManifest?: string;
  /** A base URL serving `<model id>/<file name>` for downloads (SHOEBOX_MODELS_MIRROR). */
  modelsMirror?: string;
  /** Media worker processes (default: one per core but one, at least one). */
  workers?: number;
  /** Environment of the worker processes (FFMPEG_PATH, SHOEBOX_MODELS_*); default: this process's. */
  workerEnv?: NodeJS.ProcessEnv;
  /** Jobs at once per lane; default scaled with the workers as on the desktop. */
  concurrency?: Partial<Record<JobLane, number>>;
  /** Runner timing (tests shorten it). */
  timing?: Pick<JobRunnerOptions, 'pollMs' | 'heartbeatMs' | 'staleMs' | 'recoverEveryMs'>;
  /** While true (uploads streaming in), the runner claims no new jobs: receiving files comes first. */
  holdWhile?: () => boolean;
  /** How long a stop waits for running jobs before it returns them to the queue (default 10 s). */
  stopTimeoutMs?: number;
}

export interface JobSystem {
  queue: PgJobQueue;
  runner: PgJobRunner;
  /** For the shared jobs routes (getJobsStatus, setLanePaused, retryFailedJobs). */
  control: PgJobQueue;
  /** Core's FaceClustering port, for PeopleService (re-cluster). */
  clustering: PgFaceClusterer;
  /** Core's MlControl, for the getMlStatus, updateMlSettings and downloadModel routes. */
  mlControl: PgMlControl;
  /** MlControl, TextEmbedder (smart search's text side) and FaceClustering in one, as buildApiServices takes them. */
  mlServices: MlControl & TextEmbedder & FaceClustering;
  mlSettings: PgMlSettings;
  models: ModelAvailability;
  ml: MlClient;
  derivatives: DerivativeStore;
  /** Queues the metadata job of a new upload (and so its whole pipeline). */
  onUploaded(ownerId: string, assetId: string): Promise<void>;
  /** Reads a file's metadata in a media worker (uploads file themselves by its capture date). */
  extractMetadata(file: string): Promise<MetadataResult>;
  /** Queues the faces and CLIP work that was skipped (call after models were installed or ML settings changed). */
  backfillMl(): Promise<number>;
  /** Whether a job is queued now (ML jobs only while their feature is on and its models are installed). */
  wanted(job: JobName): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once nothing is queued or running (tests, benchmarks). */
  whenIdle(): Promise<void>;
}

export function createJobSystem(opts: JobSystemOptions): JobSystem {
  const log = opts.log.child({ component: 'jobs' });
  const db = sqlDb(opts.database.db as unknown as DrizzleLike);
  const queue = new PgJobQueue(db);
  const workers = opts.workers ?? Math.max(1, os.availableParallelism() - 1);
  const workerEnv = opts.workerEnv ?? process.env;
  const derivatives = new DerivativeStore(opts.derivativesRoot ?? path.join(opts.storageRoot, 'derivatives'), opts.dataDir);
  const mlSettings = new PgMlSettings(db);
  const models = modelAvailability(path.resolve(opts.modelsDir ?? path.join(opts.dataDir, 'models')), opts.modelsManifest, opts.modelsMirror);
  const ml = new MlClient({ modelsDir: models.dir, env: workerEnv, log: log.child({ component: 'ml' }) });
  const clustering = new PgFaceClusterer(db, mlSettings, log.child({ component: 'people' }));

  // Worker processes start on first use, and never again once the system has stopped (a handler
  // still running then must not start new ones).
  let closed = false;
  let poolInstance: WorkerPool | null = null;
  const pool: MediaWorkers = {
    call: <T>(body: Parameters<WorkerPool['call']>[0], o?: { timeoutMs?: number }) => {
      if (closed) return Promise.reject(new PoolClosedError());
      poolInstance ??= new WorkerPool({
        entry: MEDIA_WORKER_ENTRY, size: workers, init: { exiftoolProcs: 1 }, perWorker: 4, env: workerEnv,
        log: log.child({ component: 'workers' }),
      });
      return poolInstance.call<T>(body, o);
    },
  };

  const handlers: JobHandlers = {
    metadata: createMetadataHandler(db, pool),
    ...createDerivativeHandlers({ db, pool, store: derivatives }),
    ...createMlHandlers({
      db,
      ml: {
        faces: (...args) => (closed ? Promise.reject(new PoolClosedError()) : ml.faces(...args)),
        clipImage: (...args) => (closed ? Promise.reject(new PoolClosedError()) : ml.clipImage(...args)),
      },
      settings: mlSettings, models, store: derivatives,
      cluster: async (ownerId) => {
        await clustering.runIncremental(ownerId);
      },
    }),
  };

  /** Faces and CLIP jobs are queued only while they can run; the backfill queues them when they can. */
  const wanted = async (job: JobName): Promise<boolean> => {
    if (job !== 'faces' && job !== 'clip') return true;
    const s = await mlSettings.get();
    if (job === 'faces') return s.enabled && s.faces && models.ready(FACE_MODELS);
    return s.enabled && s.smartSearch && models.ready([CLIP_VISION]);
  };

  const runner = new PgJobRunner({
    queue,
    handlers,
    concurrency: {
      ...DEFAULT_LANE_CONCURRENCY,
      // Keep every exiftool busy while results are written: two requests per worker.
      io: workers * 2,
      // One image in decode and one in encode per worker.
      media: workers * 2,
      // The ML worker runs one request at a time; a second one waiting keeps it busy.
      ml: 2,
      // No job of the catalog runs in the sync lane yet.
      sync: 0,
      ...opts.concurrency,
    },
    liveness: new RunnerLiveness(livenessSource(opts.database), log),
    log,
    wanted,
    ...(opts.holdWhile ? { holdWhile: opts.holdWhile } : {}),
    ...opts.timing,
  });

  const backfillMl = async (): Promise<number> => {
    models.forget();
    mlSettings.forget();
    const tasks: BackfillTask[] = [];
    if (await wanted('faces')) tasks.push({ task: 'faces', model: facesModelTag(models.tag) });
    if (await wanted('clip')) tasks.push({ task: 'clip', model: models.tag(CLIP_VISION) });
    if (tasks.length === 0) return 0;
    const queued = await queueMissingMlJobs(db, queue, tasks);
    if (queued > 0) log.info({ queued }, 'queued ML work the library was missing');
    return queued;
  };

  const mlControl = new PgMlControl({
    db, settings: mlSettings, models, client: ml, log: log.child({ component: 'ml' }), onChange: backfillMl,
  });

  const mlServices: MlControl & TextEmbedder & FaceClustering = {
    settings: () => mlControl.settings(),
    updateSettings: (patch) => mlControl.updateSettings(patch),
    status: (ownerId) => mlControl.status(ownerId),
    download: (id) => mlControl.download(id),
    embedText: async (text) => {
      const missing = CLIP_MODELS.filter((id) => models.state(id) !== 'present');
      if (missing.length > 0) {
        throw new AppError('MODEL_MISSING', `smart search needs the CLIP models: an administrator can download ${missing.join(', ')}`);
      }
      return (await ml.clipText(text)).embedding;
    },
    tokenize: (text) => ml.tokenize(text),
    reclusterAll: (ownerId) => clustering.reclusterAll(ownerId),
  };

  let started = false;
  return {
    queue,
    runner,
    control: queue,
    clustering,
    mlControl,
    mlServices,
    mlSettings,
    models,
    ml,
    derivatives,
    wanted,
    backfillMl,
    extractMetadata: (file) => pool.call<MetadataResult>({ type: 'metadata', path: file, sidecars: [], probe: false }),
    onUploaded: async (ownerId, assetId) => {
      await queue.enqueue([{ name: 'metadata', payload: { assetId }, ownerId }]);
    },
    start: async () => {
      if (started || closed) return;
      started = true;
      const missing = await queueMissingMetadata(db, queue);
      if (missing > 0) log.info({ queued: missing }, 'queued metadata of uploads that had none');
      await runner.start();
      await backfillMl().catch((error: unknown) => log.error({ err: error }, 'could not queue ML work'));
    },
    stop: async () => {
      if (!started) return;
      started = false;
      await mlControl.close();
      await runner.stop({ timeoutMs: opts.stopTimeoutMs ?? 10_000 });
      closed = true;
      await poolInstance?.close();
      poolInstance = null;
      await ml.close();
    },
    whenIdle: () => runner.whenIdle(),
  };
}
