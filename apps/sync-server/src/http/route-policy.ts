// What the sync server does differently from the desktop with the shared route table, in one place:
// which shared routes only an admin may call (they act on the whole server), which desktop-only
// routes answer "not supported" (library folders belong to the desktop app; the server stores
// uploads instead), and what only an admin is shown (the server's models folder).
import { AppError, apiRoutes, type ApiRouteKey, type RouteHandlers, type RouteKey, type RouteSpec } from '@shoebox/core/contract';

/** Shared routes that change or reveal the whole server (the job queue, the ML models). */
export const ADMIN_ONLY_SHARED_ROUTES: ReadonlySet<RouteKey> = new Set<RouteKey>([
  'getJobsStatus', 'setLanePaused', 'retryFailedJobs', 'updateMlSettings', 'downloadModel',
]);

export type Access = 'public' | 'user' | 'admin';

/** Who may call a route on this server: the table's `auth` (default: a signed-in user), raised to admin by the list above. */
export function accessOf(key: ApiRouteKey): Access {
  if (ADMIN_ONLY_SHARED_ROUTES.has(key as RouteKey)) return 'admin';
  return (apiRoutes[key] as RouteSpec).auth ?? 'user';
}

const LIBRARY_FOLDERS_ON_DESKTOP =
  'library folders belong to the Shoebox desktop app; the sync server keeps the photos uploaded to it';

function notSupported(): Promise<never> {
  return Promise.reject(new AppError('NOT_SUPPORTED', LIBRARY_FOLDERS_ON_DESKTOP));
}

/** The shared handlers as the server answers them: no library folders, no folder scans, no server paths for non-admins. */
export function withServerOverrides(handlers: RouteHandlers): RouteHandlers {
  return {
    ...handlers,
    getMlStatus: async (input, ctx) => {
      const status = await handlers.getMlStatus(input, ctx);
      return ctx.isAdmin ? status : { ...status, modelsDir: '' };
    },
    listRoots: async () => [],
    addRoot: notSupported,
    removeRoot: notSupported,
    scanLibrary: notSupported,
  };
}
