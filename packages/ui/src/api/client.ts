// The UI's typed API client, built from core's route table. Every call names a route key; the
// transport (fetch over HTTP, or IPC in Electron) carries it. No URL is written by hand.
import {
  isFileRoute, routes, ErrorBody,
  type RouteClientInput, type RouteKey, type RouteOutput, type Routes, type RouteSpec,
} from '@shoebox/core/contract';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

type Input<K extends RouteKey> = Partial<RouteClientInput<Routes[K]>>;

export interface Transport {
  call(key: RouteKey, route: RouteSpec, input: Input<RouteKey>): Promise<unknown>;
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
      const json: unknown = text ? JSON.parse(text) : undefined;
      if (!res.ok) {
        const parsed = ErrorBody.safeParse(json);
        if (parsed.success) throw new ApiError(res.status, parsed.data.error.code, parsed.data.error.message);
        throw new ApiError(res.status, 'INTERNAL', `request failed with status ${res.status}`);
      }
      return json;
    },
  };
}

export interface ApiClient {
  call<K extends RouteKey>(key: K, input?: Input<K>): Promise<RouteOutput<Routes[K]>>;
  /** URL of a file route (thumbnail, preview, original) for <img>, <video> and downloads. */
  fileUrl<K extends RouteKey>(key: K, input: Input<K>): string;
}

export function createClient(transport: Transport, base = ''): ApiClient {
  return {
    async call(key, input = {}) {
      const route = routes[key] as RouteSpec;
      const output = await transport.call(key, route, input as Input<RouteKey>);
      if (isFileRoute(route)) throw new Error(`${String(key)} answers a file: use fileUrl`);
      return (route.response as { parse(v: unknown): unknown }).parse(output) as never;
    },
    fileUrl(key, input) {
      const route = routes[key] as RouteSpec;
      if (!isFileRoute(route)) throw new Error(`${String(key)} is not a file route`);
      return routeUrl(route, input as { params?: unknown; query?: unknown }, base);
    },
  };
}
