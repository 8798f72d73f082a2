// Wires core's services to the server's repositories, with the server's stand-ins for what it does
// not run (yet): no library folders or scanner (uploads replace them), machine learning and the job
// queue until their runners are plugged in (the placeholders below answer honestly meanwhile).
import fs from 'node:fs';
import path from 'node:path';
import {
  AlbumService, AssetService, LibraryService, PeopleService, SmartSearchService, TrashService,
  type AlbumRepository, type ApiServices, type AssetRepository, type FileRemover, type JobControl, type LibraryRootRepository,
  type MlControl, type PeopleRepository, type SmartSearchIndex, type TextEmbedder, type TrashRepository, type FaceClustering,
} from '@shoebox/core';
import { AppError, type JobLane, type JobsStatus, type MlSettings, type MlStatus } from '@shoebox/core/contract';

/** What the services need from the database layer (createRepositories answers a superset). */
export interface LibraryRepositories {
  assets: AssetRepository;
  albums: AlbumRepository;
  trash: TrashRepository;
  people: PeopleRepository;
  smartSearch: SmartSearchIndex;
  roots: LibraryRootRepository;
}

const LANES: JobLane[] = ['io', 'media', 'ml', 'sync'];

/** The job queue before the Postgres runner is plugged in: empty lanes, nothing to pause or retry. */
export function idleJobControl(): JobControl {
  const status = (): JobsStatus => ({
    lanes: LANES.map((lane) => ({ lane, queued: 0, running: 0, done: 0, failed: 0, paused: false, perMinute: 0 })),
    recentFailures: [],
  });
  return {
    status: () => status(),
    setPaused: () => {
      throw new AppError('NOT_SUPPORTED', 'the job runner is not running on this server');
    },
    retryFailed: () => 0,
  };
}

const ML_OFF: MlSettings = {
  enabled: false, faces: false, smartSearch: false, minFaceScore: 0.7, minFaceSize: 24, personMatch: 0.3, minFacesForPerson: 3,
};

/** Machine learning before the server runs models: switched off, no models, nothing to download. */
export function unavailableMl(): MlControl & TextEmbedder & FaceClustering {
  const unavailable = (): never => {
    throw new AppError('NOT_SUPPORTED', 'machine learning does not run on this server yet');
  };
  return {
    settings: () => ML_OFF,
    updateSettings: unavailable,
    status: (): MlStatus => ({ settings: ML_OFF, modelsDir: '', models: [], faces: { ready: false }, smartSearch: { ready: false, indexed: 0 } }),
    download: () => {
      throw new AppError('MODEL_NOT_FOUND', 'models are not installed on this server yet');
    },
    embedText: () => Promise.reject(new AppError('MODEL_MISSING', 'the smart search models are not installed on this server')),
    tokenize: () => Promise.reject(new AppError('MODEL_MISSING', 'the CLIP tokenizer is not installed on this server')),
    reclusterAll: unavailable,
  };
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Deletes files of an emptied trash, and only inside the server's storage (never a path it was handed elsewhere). */
export function storageFileRemover(roots: readonly string[]): FileRemover {
  return {
    async remove(file) {
      try {
        const real = await fs.promises.realpath(file);
        const realRoots = await Promise.all(roots.map((r) => fs.promises.realpath(r).catch(() => null)));
        if (!realRoots.some((r) => r !== null && isInside(r, real))) return 'not inside the server storage: left alone';
        await fs.promises.unlink(real);
        return null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        return (error as Error).message;
      }
    },
  };
}

export interface ApiServiceOptions {
  version: string;
  startedAt: string;
  storageRoots: readonly string[];
  jobs?: JobControl | undefined;
  ml?: (MlControl & TextEmbedder & FaceClustering) | undefined;
}

export function buildApiServices(repos: LibraryRepositories, o: ApiServiceOptions): ApiServices {
  const ml = o.ml ?? unavailableMl();
  const noFolders = { resolveFolder: () => null, exists: () => false };
  return {
    library: new LibraryService(repos.roots, noFolders),
    assets: new AssetService(repos.assets),
    albums: new AlbumService(repos.albums),
    trash: new TrashService(repos.trash, storageFileRemover(o.storageRoots)),
    jobs: o.jobs ?? idleJobControl(),
    scanner: { scan: () => Promise.reject(new AppError('NOT_SUPPORTED', 'the sync server does not scan folders')) },
    people: new PeopleService(repos.people, ml),
    smartSearch: new SmartSearchService(repos.smartSearch, ml, ml),
    ml,
    info: { version: o.version, mode: 'server', startedAt: o.startedAt },
    counts: (ownerId) => repos.assets.counts(ownerId),
  };
}
