// The handler map each transport mounts: one function per route key, typed from the table so the
// compiler rejects a missing or mistyped handler.
import type { RouteInput, RouteOutput } from './route.ts';
import type { Routes } from './routes.ts';
import type { ServerRoutes } from './server-routes.ts';

export interface RequestContext {
  /** Owner of the request (the sync server scopes every query by it; the desktop has one user). */
  ownerId: string;
  /** The session the request came with (sync server; absent with an API key or on the desktop). */
  sessionId?: string | undefined;
  isAdmin?: boolean | undefined;
}

export type RouteHandler<K extends keyof Routes> = (
  input: RouteInput<Routes[K]>,
  ctx: RequestContext,
) => Promise<RouteOutput<Routes[K]>>;

export type RouteHandlers = { [K in keyof Routes]: RouteHandler<K> };

type NonUploadKey = { [K in keyof ServerRoutes]: ServerRoutes[K] extends { upload: object } ? never : K }[keyof ServerRoutes];

export type ServerRouteHandler<K extends keyof ServerRoutes> = (
  input: RouteInput<ServerRoutes[K]>,
  ctx: RequestContext,
) => Promise<RouteOutput<ServerRoutes[K]>>;

/** The sync server's own handlers; multipart uploads are streamed by the transport itself. */
export type ServerRouteHandlers = { [K in NonUploadKey]: ServerRouteHandler<K> };
