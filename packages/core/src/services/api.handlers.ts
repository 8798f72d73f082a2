// Binds the route table to the services: the handler map every transport mounts.
import type { RouteHandlers } from '../contract/handlers.ts';
import { API_VERSION } from '../contract/routes.ts';
import type { JobStatusReader, Scanner } from '../ports/library.ports.ts';
import type { AssetService } from './asset.service.ts';
import type { LibraryService } from './library.service.ts';

export interface ApiServices {
  library: LibraryService;
  assets: AssetService;
  jobs: JobStatusReader;
  scanner: Scanner;
  info: { version: string; mode: 'desktop' | 'headless' | 'server'; startedAt: string };
  /** Counts for server info. */
  counts(ownerId: string): { image: number; video: number; failed: number; offline: number };
}

export function createApiHandlers(s: ApiServices): RouteHandlers {
  return {
    getServerInfo: async (_input, ctx) => ({
      name: 'shoebox',
      version: s.info.version,
      mode: s.info.mode,
      apiVersion: API_VERSION,
      assets: s.counts(ctx.ownerId),
      roots: s.library.list(ctx.ownerId).length,
      startedAt: s.info.startedAt,
    }),
    listRoots: async (_input, ctx) => s.library.list(ctx.ownerId),
    addRoot: async ({ body }, ctx) => s.library.add(ctx.ownerId, body.path),
    removeRoot: async ({ params }, ctx) => ({ removedAssets: s.library.remove(ctx.ownerId, params.id) }),
    scanLibrary: async ({ body }) => s.scanner.scan({ retryFailed: body.retryFailed }),
    listAssets: async ({ query }, ctx) => s.assets.list(ctx.ownerId, query),
    getAsset: async ({ params }, ctx) => s.assets.get(ctx.ownerId, params.id),
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
    getJobsStatus: async ({ query }) => s.jobs.status(query.failures),
  };
}
