// The handler map each transport mounts: one function per route key, typed from the table so the
// compiler rejects a missing or mistyped handler.
import type { RouteInput, RouteOutput } from './route.ts';
import type { Routes } from './routes.ts';

export interface RequestContext {
  /** Owner of the request (the sync server scopes every query by it; the desktop has one user). */
  ownerId: string;
}

export type RouteHandler<K extends keyof Routes> = (
  input: RouteInput<Routes[K]>,
  ctx: RequestContext,
) => Promise<RouteOutput<Routes[K]>>;

export type RouteHandlers = { [K in keyof Routes]: RouteHandler<K> };
