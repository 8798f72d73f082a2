// Binds the route table to the services: the handler map every transport mounts.
import type { RouteHandlers } from '../contract/handlers.ts';
import { API_VERSION } from '../contract/routes.ts';
import type { Awaitable, JobControl, Scanner } from '../ports/library.ports.ts';
import type { AlbumService } from './album.service.ts';
import type { AssetService } from './asset.service.ts';
import type { LibraryService } from './library.service.ts';
import type { TrashService } from './trash.service.ts';
import type { PeopleService } from './people.service.ts';
import type { SmartSearchService } from './smart-search.service.ts';
import type { MlControl } from '../ports/ml.ports.ts';

export interface ApiServices {
  library: LibraryService;
  assets: AssetService;
  albums: AlbumService;
  trash: TrashService;
  jobs: JobControl;
  scanner: Scanner;
  people: PeopleService;
  smartSearch: SmartSearchService;
  ml: MlControl;
  info: { version: string; mode: 'desktop' | 'headless' | 'server'; startedAt: string };
  /** Counts for server info. */
  counts(ownerId: string): Awaitable<{ image: number; video: number; failed: number; offline: number }>;
}

export function createApiHandlers(s: ApiServices): RouteHandlers {
  return {
    getServerInfo: async (_input, ctx) => ({
      name: 'shoebox',
      version: s.info.version,
      mode: s.info.mode,
      apiVersion: API_VERSION,
      assets: await s.counts(ctx.ownerId),
      roots: (await s.library.list(ctx.ownerId)).length,
      startedAt: s.info.startedAt,
    }),
    listRoots: async (_input, ctx) => s.library.list(ctx.ownerId),
    addRoot: async ({ body }, ctx) => s.library.add(ctx.ownerId, body.path),
    removeRoot: async ({ params }, ctx) => ({ removedAssets: await s.library.remove(ctx.ownerId, params.id) }),
    scanLibrary: async ({ body }) => s.scanner.scan({ retryFailed: body.retryFailed }),
    listAssets: async ({ query }, ctx) => s.assets.list(ctx.ownerId, query),
    getAsset: async ({ params }, ctx) => s.assets.get(ctx.ownerId, params.id),
    updateAsset: async ({ params, body }, ctx) => s.assets.update(ctx.ownerId, params.id, body),
    updateAssets: async ({ body }, ctx) => s.assets.updateMany(ctx.ownerId, body),
    getAssetThumbnail: async ({ params }, ctx) => s.assets.derivative(ctx.ownerId, params.id, 'thumbnail'),
    getAssetPreview: async ({ params }, ctx) => s.assets.derivative(ctx.ownerId, params.id, 'preview'),
    getAssetVideo: async ({ params }, ctx) => s.assets.video(ctx.ownerId, params.id),
    getAssetOriginal: async ({ params, query }, ctx) =>
      s.assets.original(ctx.ownerId, params.id, query.download === 'true' || query.download === '1'),
    getTimeBuckets: async ({ query }, ctx) => s.assets.buckets(ctx.ownerId, query),
    getTimeBucket: async ({ query }, ctx) => {
      const { timeBucket, ...filter } = query;
      return s.assets.bucket(ctx.ownerId, filter, timeBucket);
    },
    getFolders: async (_input, ctx) => s.assets.folders(ctx.ownerId),
    getSearchFacets: async (_input, ctx) => s.assets.facets(ctx.ownerId),
    listAlbums: async ({ query }, ctx) => s.albums.list(ctx.ownerId, query.assetId),
    createAlbum: async ({ body }, ctx) => s.albums.create(ctx.ownerId, body),
    getAlbum: async ({ params }, ctx) => s.albums.get(ctx.ownerId, params.id),
    updateAlbum: async ({ params, body }, ctx) => s.albums.update(ctx.ownerId, params.id, body),
    deleteAlbum: async ({ params }, ctx) => s.albums.delete(ctx.ownerId, params.id),
    addAlbumAssets: async ({ params, body }, ctx) => s.albums.addAssets(ctx.ownerId, params.id, body.ids),
    removeAlbumAssets: async ({ params, body }, ctx) => s.albums.removeAssets(ctx.ownerId, params.id, body.ids),
    restoreTrash: async ({ body }, ctx) => s.trash.restore(ctx.ownerId, body.ids),
    emptyTrash: async ({ body }, ctx) => s.trash.empty(ctx.ownerId, body),
    getJobsStatus: async ({ query }) => s.jobs.status(query.failures),
    setLanePaused: async ({ params, body }) => {
      await s.jobs.setPaused(params.lane, body.paused);
      const lane = (await s.jobs.status(0)).lanes.find((l) => l.lane === params.lane);
      if (!lane) throw new Error(`lane ${params.lane} missing from the job status`);
      return lane;
    },
    retryFailedJobs: async ({ body }) => ({ requeued: await s.jobs.retryFailed(body.lane) }),
    listPeople: async ({ query }, ctx) => s.people.list(ctx.ownerId, query),
    createPerson: async ({ body }, ctx) => s.people.create(ctx.ownerId, body),
    getPerson: async ({ params }, ctx) => s.people.get(ctx.ownerId, params.id),
    updatePerson: async ({ params, body }, ctx) => s.people.update(ctx.ownerId, params.id, body),
    mergePeople: async ({ params, body }, ctx) => s.people.merge(ctx.ownerId, params.id, body.ids),
    listPersonFaces: async ({ params, query }, ctx) => s.people.faces(ctx.ownerId, params.id, query.limit),
    getPersonThumbnail: async ({ params }, ctx) => s.people.personThumbnail(ctx.ownerId, params.id),
    reclusterPeople: async (_input, ctx) => s.people.recluster(ctx.ownerId),
    getAssetFaces: async ({ params }, ctx) => s.people.assetFaces(ctx.ownerId, params.id),
    assignFace: async ({ params, body }, ctx) => s.people.assignFace(ctx.ownerId, params.id, body.personId),
    getFaceThumbnail: async ({ params }, ctx) => s.people.faceThumbnail(ctx.ownerId, params.id),
    smartSearch: async ({ query }, ctx) => s.smartSearch.search(ctx.ownerId, query),
    getSimilarAssets: async ({ params, query }, ctx) => s.smartSearch.similar(ctx.ownerId, params.id, query),
    getMlStatus: async (_input, ctx) => s.ml.status(ctx.ownerId),
    updateMlSettings: async ({ body }) => s.ml.updateSettings(body),
    downloadModel: async ({ params }) => s.ml.download(params.id),
    tokenize: async ({ query }) => ({ tokens: await s.smartSearch.tokenize(query.text) }),
  };
}
