// Composition root of the sync server, without the process around it (main.ts adds the environment
// and signals; tests start it directly): database → repositories → services → app → listen → mDNS,
// and the graceful shutdown that undoes it in order.
import fs from 'node:fs';
import path from 'node:path';
import { createApiHandlers, type FaceClustering, type JobControl, type MetadataResult, type MlControl, type TextEmbedder } from '@shoebox/core';
import type { Logger } from 'pino';
import pkg from '../package.json' with { type: 'json' };
import { createApp } from './app.ts';
import { AuthService } from './auth/auth.service.ts';
import { argon2Hasher, type PasswordHasher } from './auth/password.ts';
import { UserAdminService } from './auth/user-admin.service.ts';
import { openDatabase, type Database } from './db/database.ts';
import { advertise, type Advertisement } from './discovery/mdns.ts';
import type { ServerEnv } from './env.ts';
import { listen, reachableUrls, type ListenOptions } from './http/listener.ts';
import { createJobSystem } from './jobs/job-system.ts';
import { importModelsAtStart } from './models-import.ts';
import { defaultUiDir } from './http/ui-static.ts';
import { createRepositories } from './repositories/index.ts';
import { buildApiServices } from './services.ts';
import { captureDateFromMetadata, createUploadRouter, createUploadService } from './uploads/index.ts';

export const VERSION: string = pkg.version;

/** An upload with no data for this long fails with its own answer; the connection's idle timeout is a little longer. */
const UPLOAD_IDLE_MS = 120_000;

/** Where things live under the data folder. The database layer keeps PGlite in `db/`. */
export function dataLayout(dataDir: string): { storage: string; library: string; media: string } {
  const storage = path.join(dataDir, 'storage');
  return { storage, library: path.join(storage, 'library'), media: path.join(dataDir, 'media') };
}

/** The job runner as the composition root drives it (the Postgres runner plugs in here). */
export interface JobRunnerLifecycle {
  control: JobControl;
  start(): void | Promise<void>;
  /** Lets running jobs finish (bounded) and stops claiming new ones. */
  stop(): Promise<void>;
  /** An upload created an asset: queue its pipeline. */
  onUploaded?(ownerId: string, assetId: string): void | Promise<void>;
  /** The derivative files: removed with their assets (an emptied trash). */
  derivatives?: { remove(ownerId: string, assetIds: readonly string[]): Promise<number> };
  /** Reads a file's metadata in a worker: uploads are filed by their capture date with it. */
  extractMetadata?(file: string): Promise<MetadataResult>;
  /** Model status and settings, the text tower and face grouping, when the runner has them. */
  mlServices?: MlControl & TextEmbedder & FaceClustering;
}

/** The Postgres job system over media-node's worker processes: the default job runner. */
function defaultJobRunner(settings: ServerSettings, dataDir: string, uploadsInFlight: () => number): NonNullable<StartOptions['jobRunner']> {
  return (database, _repositories, log) => {
    const layout = dataLayout(dataDir);
    const modelsDir = settings.SHOEBOX_MODELS_DIR;
    return createJobSystem({
      database,
      storageRoot: layout.storage,
      derivativesRoot: layout.media,
      dataDir,
      log,
      ...(modelsDir ? { modelsDir } : {}),
      ...(settings.SHOEBOX_MODELS_MANIFEST ? { modelsManifest: settings.SHOEBOX_MODELS_MANIFEST } : {}),
      ...(settings.SHOEBOX_MODELS_MIRROR ? { modelsMirror: settings.SHOEBOX_MODELS_MIRROR } : {}),
      ...(settings.SHOEBOX_MEDIA_WORKERS ? { workers: settings.SHOEBOX_MEDIA_WORKERS } : {}),
      // Receiving files comes first on a small machine: processing waits while uploads stream in.
      holdWhile: () => uploadsInFlight() > 0,
    });
  };
}

export type ServerSettings = Pick<
  ServerEnv,
  'HOST' | 'PORT' | 'SHOEBOX_SERVER_DATA' | 'DATABASE_URL' | 'SHOEBOX_UPLOAD_MAX_BYTES' | 'SHOEBOX_MDNS' | 'SHOEBOX_SESSION_DAYS' |
  'SHOEBOX_TRUST_PROXY' | 'SHOEBOX_UI_DIR' | 'SHOEBOX_SHUTDOWN_SECONDS'
> &
  Partial<Pick<ServerEnv, 'SHOEBOX_MEDIA_WORKERS' | 'SHOEBOX_MODELS_DIR' | 'SHOEBOX_MODELS_MANIFEST' | 'SHOEBOX_MODELS_MIRROR' | 'SHOEBOX_MODELS_IMPORT'>>;

export interface StartOptions {
  log: Logger;
  /** The clock of sessions and uploads (tests move it). */
  now?: () => Date;
  hasher?: PasswordHasher;
  /** Builds the job runner once the database is open; default: the Postgres job system; null: none. */
  jobRunner?: ((database: Database, repositories: ReturnType<typeof createRepositories>, log: Logger) => JobRunnerLifecycle) | null;
  /** Serve no web app (tests of the API); default: SHOEBOX_UI_DIR or the repository's build. */
  noUi?: boolean;
  /** The listener's connection limits (tests shorten the idle timeout). */
  http?: ListenOptions;
}

export interface SyncServer {
  port: number;
  /** Every URL it can be reached at (the first is the one to show). */
  urls: string[];
  database: Database;
  auth: AuthService;
  isShuttingDown(): boolean;
  /** Graceful: readiness off, no new connections, requests in flight finish (bounded), jobs stop, database closes, mDNS says goodbye. */
  shutdown(): Promise<void>;
}

export async function startSyncServer(settings: ServerSettings, o: StartOptions): Promise<SyncServer> {
  const { log } = o;
  const startedAt = new Date().toISOString();
  const dataDir = path.resolve(settings.SHOEBOX_SERVER_DATA);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const layout = dataLayout(dataDir);
  const database = await openDatabase({ dataDir, databaseUrl: settings.DATABASE_URL });
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const unwind = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err: unknown) => log.error({ err }, 'shutdown step failed'));
  };
  try {
    // Assets leave the catalog (an emptied trash): their thumbnails, previews and transcodes go too.
    const late: { jobs?: JobRunnerLifecycle | undefined } = {};
    const repositories = createRepositories(database, {
      onAssetsRemoved: async (ownerId, assetIds) => {
        await late.jobs?.derivatives?.remove(ownerId, assetIds);
      },
    });
    const hasher = o.hasher ?? argon2Hasher();
    const auth = new AuthService({ ...repositories, hasher, sessionDays: settings.SHOEBOX_SESSION_DAYS, now: o.now, log: log.child({ service: 'auth' }) });
    const userAdmin = new UserAdminService({ users: repositories.users, sessions: repositories.sessions, apiKeys: repositories.apiKeys, hasher, log: log.child({ service: 'users' }) });

    let uploadsInFlight = (): number => 0;
    const makeJobs = o.jobRunner === undefined ? defaultJobRunner(settings, dataDir, () => uploadsInFlight()) : o.jobRunner;
    const jobs = makeJobs?.(database, repositories, log.child({ service: 'jobs' }));
    if (jobs) cleanups.push(() => jobs.stop());
    late.jobs = jobs;

    const uploads = await createUploadService({
      storageRoot: layout.storage,
      maxBytes: settings.SHOEBOX_UPLOAD_MAX_BYTES,
      repository: repositories.uploads,
      idleTimeoutMs: UPLOAD_IDLE_MS,
      onUploaded: jobs?.onUploaded ? (ownerId, assetId) => jobs.onUploaded!(ownerId, assetId) : undefined,
      captureDate: jobs?.extractMetadata ? captureDateFromMetadata((file) => jobs.extractMetadata!(file)) : undefined,
      logger: log,
      now: o.now,
    });
    uploadsInFlight = () => uploads.inFlight();
    await uploads.sweepTemp();

    const storageRoots = [path.join(uploads.storage.root, 'library'), layout.media];
    const services = buildApiServices(repositories, { version: VERSION, startedAt, storageRoots, jobs: jobs?.control, ml: jobs?.mlServices });
    let shuttingDown = false;
    const app = createApp({
      log,
      auth,
      userAdmin,
      handlers: createApiHandlers(services),
      uploads: repositories.uploads,
      uploadRouter: createUploadRouter({ uploads, logger: log }),
      storageRoots,
      uiDir: o.noUi ? null : (settings.SHOEBOX_UI_DIR ?? defaultUiDir()),
      readiness: {
        shuttingDown: () => shuttingDown,
        databaseOk: () => database.ping().then(() => true, () => false),
      },
      trustProxy: settings.SHOEBOX_TRUST_PROXY,
    });

    if (settings.SHOEBOX_MODELS_IMPORT) {
      await importModelsAtStart({
        from: settings.SHOEBOX_MODELS_IMPORT, dataDir, modelsDir: settings.SHOEBOX_MODELS_DIR, manifest: settings.SHOEBOX_MODELS_MANIFEST, log,
      });
    }
    const listener = await listen(app, settings.HOST, settings.PORT, { idleTimeoutMs: UPLOAD_IDLE_MS + 10_000, ...o.http });
    await jobs?.start();
    // Files a crash left without an asset: a walk of the whole library, so not in the way of the
    // start (the scan is safe beside uploads); shutdown waits for it before the database closes.
    const orphanScan = uploads.scanOrphans().then(
      () => undefined,
      (err: unknown) => log.error({ err }, 'the scan for library files without an asset failed'),
    );
    cleanups.push(() => orphanScan);
    let mdns: Advertisement | null = null;
    if (settings.SHOEBOX_MDNS) mdns = advertise({ port: listener.port, version: VERSION, log });
    // Expired sessions are refused anyway; this only keeps the table small.
    const sweep = setInterval(() => void auth.sweepExpired().catch(() => undefined), 3_600_000);
    sweep.unref();

    const urls = reachableUrls(settings.HOST, listener.port);
    log.info(
      { urls, database: database.kind, vector: database.hasVector, dataDir, mdns: settings.SHOEBOX_MDNS, version: VERSION },
      `Shoebox sync server listening on ${urls.join(' ')} (database: ${database.kind}, data: ${dataDir})`,
    );

    let stopping: Promise<void> | undefined;
    const shutdown = (): Promise<void> =>
      (stopping ??= (async () => {
        shuttingDown = true;
        clearInterval(sweep);
        uploads.close();
        const goodbye = mdns?.stop();
        const timeoutMs = settings.SHOEBOX_SHUTDOWN_SECONDS * 1000;
        log.info({ inFlight: listener.inFlight(), uploads: uploads.inFlight(), timeoutMs }, 'shutting down: finishing requests in flight');
        const { forced } = await listener.close(timeoutMs);
        if (forced) {
          log.warn('requests were still running at the shutdown deadline: their connections were closed');
          uploads.abortAll();
          await uploads.drain(5_000);
        }
        await goodbye;
        await unwind();
        log.info('stopped');
      })());
    return { port: listener.port, urls, database, auth, isShuttingDown: () => shuttingDown, shutdown };
  } catch (error) {
    await unwind();
    throw error;
  }
}
