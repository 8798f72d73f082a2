// The UI's typed API client, built from core's route table (the shared routes plus the sync
// server's own). Every call names a route key; the transport (fetch over HTTP, or IPC in Electron)
// carries it. No URL is written by hand.
import {
  apiRoutes, isFileRoute, ErrorBody,
  type ApiRouteKey, type ApiRoutes, type RouteClientInput, type RouteOutput, type RouteSpec,
} from '@shoebox/core/contract';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds the server asked to wait before trying again (a 429's Retry-After), when it said. */
  readonly retryAfter: number | undefined;
  /** Which input was refused and why (VALIDATION_FAILED): `body.email`, `not an e-mail address`. */
  readonly details: readonly { path: string; message: string }[];
  constructor(status: number, code: string, message: string, extra: { retryAfter?: number | undefined; details?: readonly { path: string; message: string }[] } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = extra.retryAfter;
    this.details = extra.details ?? [];
  }
}

/** The caller has no (or no longer a) valid session: the sync server's login is needed. */
export function isUnauthorized(error: unknown): error is ApiError {
  // INVALID_CREDENTIALS is also a 401, but it answers a wrong password, not a missing session.
  return error instanceof ApiError && error.status === 401 && error.code === 'UNAUTHORIZED';
}

export type ApiInput<K extends ApiRouteKey> = Partial<RouteClientInput<ApiRoutes[K]>>;
export type ApiOutput<K extends ApiRouteKey> = RouteOutput<ApiRoutes[K]>;

export interface Transport {
  call(key: ApiRouteKey, route: RouteSpec, input: ApiInput<ApiRouteKey>): Promise<unknown>;
}

/** Fills a route's path template and query string. */
export function routeUrl(route: RouteSpec, input: { params?: unknown; query?: unknown }, base = ''): string {
  const params = (input.params ?? {}) as Record<string, string | number>;
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${route.path}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries((input.query ?? {}) as Record<string, unknown>)) {
    if (v !== undefined && v !== null) search.set(k, String(v));
  }
  const qs = search.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now) / 1000));
}

/** The contract's error body (or a bare status) as an ApiError. */
export function errorFromResponse(status: number, json: unknown, retryAfter?: number): ApiError {
  const parsed = ErrorBody.safeParse(json);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(status, code, message, { retryAfter, ...(details && { details }) });
  }
  const code = status === 401 ? 'UNAUTHORIZED' : status === 429 ? 'TOO_MANY_REQUESTS' : 'INTERNAL';
  return new ApiError(status, code, `request failed with status ${status}`, { retryAfter });
}

export function fetchTransport(base: string, fetchImpl: typeof fetch = fetch): Transport {
  return {
    async call(_key, route, input) {
      const init: RequestInit = { method: route.method.toUpperCase(), credentials: 'same-origin', headers: {} };
      if (route.body) {
        init.body = JSON.stringify(input.body ?? {});
        init.headers = { 'content-type': 'application/json' };
      }
      const res = await fetchImpl(routeUrl(route, input, base), init);
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        // A proxy's or a crashed server's HTML page: the status says enough.
        if (res.ok) throw new ApiError(res.status, 'INTERNAL', 'the server answered something that is not JSON');
      }
      if (!res.ok) throw errorFromResponse(res.status, json, parseRetryAfter(res.headers.get('retry-after')));
      return json;
    },
  };
}

export interface ApiClient {
  call<K extends ApiRouteKey>(key: K, input?: ApiInput<K>): Promise<ApiOutput<K>>;
  /** URL of a file route (thumbnail, preview, original) for <img>, <video> and downloads. */
  fileUrl<K extends ApiRouteKey>(key: K, input: ApiInput<K>): string;
  /** URL of any route (the upload, which goes by XMLHttpRequest for its progress events). */
  url<K extends ApiRouteKey>(key: K, input?: ApiInput<K>): string;
  /**
   * Listens for answers that say the session is gone (401 UNAUTHORIZED), from calls made through
   * this client or reported by code that talks to the server on its own (uploads).
   */
  onUnauthorized(listener: (error: ApiError) => void): () => void;
  reportUnauthorized(error: ApiError): void;
}

export function createClient(transport: Transport, base = ''): ApiClient {
  const listeners = new Set<(error: ApiError) => void>();
  const client: ApiClient = {
    async call(key, input = {}) {
      const route = apiRoutes[key] as RouteSpec;
      if (isFileRoute(route)) throw new Error(`${String(key)} answers a file: use fileUrl`);
      let output: unknown;
      try {
        output = await transport.call(key, route, input as ApiInput<ApiRouteKey>);
      } catch (error) {
        if (isUnauthorized(error)) client.reportUnauthorized(error);
        throw error;
      }
      return (route.response as { parse(v: unknown): unknown }).parse(output) as never;
    },
    fileUrl(key, input) {
      const route = apiRoutes[key] as RouteSpec;
      if (!isFileRoute(route)) throw new Error(`${String(key)} is not a file route`);
      return routeUrl(route, input as { params?: unknown; query?: unknown }, base);
    },
    url(key, input = {}) {
      return routeUrl(apiRoutes[key] as RouteSpec, input as { params?: unknown; query?: unknown }, base);
    },
    onUnauthorized(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportUnauthorized(error) {
      for (const listener of [...listeners]) listener(error);
    },
  };
  return client;
}
