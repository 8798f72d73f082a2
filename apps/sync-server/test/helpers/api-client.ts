// A typed client for the server's API in tests: requests built from the route table (path
// parameters, query string, JSON body), and every JSON answer checked against its route's status
// and parsed with its response schema; failures checked against the one error shape.
import { expect } from 'vitest';
import { apiRoutes, ErrorBody, isFileRoute, type ApiRouteKey, type ApiRoutes, type RouteSpec } from '@shoebox/core/contract';
import type { z } from 'zod';

type Route<K extends ApiRouteKey> = ApiRoutes[K];
type InputOf<T> = T extends z.ZodType ? z.input<T> : never;

/** What a call sends: the schemas' input types, each part optional when the route has none. */
export type CallInput<K extends ApiRouteKey> = {
  params?: InputOf<Route<K>['params' & keyof Route<K>]>;
  query?: InputOf<Route<K>['query' & keyof Route<K>]>;
  body?: InputOf<Route<K>['body' & keyof Route<K>]>;
};

/** Untyped input, for sending what the schemas would refuse. */
export interface RawInput {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export type JsonOutput<K extends ApiRouteKey> = Route<K>['response'] extends z.ZodType ? z.infer<Route<K>['response']> : never;

export interface Credentials {
  /** Bearer token (session token or API key). */
  token?: string;
  apiKey?: string;
  /** A raw Cookie header. */
  cookie?: string;
}

export function routePath(route: RouteSpec, params: Record<string, unknown> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.path}: missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) search.append(k, String(item));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export class ApiClient {
  readonly base: string;
  readonly credentials: Credentials;

  constructor(base: string, credentials: Credentials = {}) {
    this.base = base;
    this.credentials = credentials;
  }

  /** The same server with other credentials. */
  as(credentials: Credentials): ApiClient {
    return new ApiClient(this.base, credentials);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.credentials.token) h.authorization = `Bearer ${this.credentials.token}`;
    if (this.credentials.apiKey) h['x-api-key'] = this.credentials.apiKey;
    if (this.credentials.cookie) h.cookie = this.credentials.cookie;
    return h;
  }

  /** A request to a route with any input; the answer is not checked. */
  async send(key: ApiRouteKey, input: RawInput = {}, init: RequestInit = {}): Promise<Response> {
    const route = apiRoutes[key] as RouteSpec;
    const url = `${this.base}${routePath(route, input.params)}${queryString(input.query)}`;
    const hasBody = input.body !== undefined;
    return await fetch(url, {
      method: route.method.toUpperCase(),
      ...init,
      headers: this.headers({ ...(hasBody ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) }),
      ...(hasBody ? { body: JSON.stringify(input.body) } : {}),
    });
  }

  /** Calls a JSON route; it must succeed with the route's status, and its answer parse with the route's schema. */
  async call<K extends ApiRouteKey>(key: K, input: CallInput<K> = {} as CallInput<K>): Promise<JsonOutput<K>> {
    const route = apiRoutes[key] as RouteSpec;
    if (isFileRoute(route)) throw new Error(`${key} answers a file: use send()`);
    const res = await this.send(key, input as RawInput);
    const text = await res.text();
    const expected = route.status ?? 200;
    if (res.status !== expected) throw new Error(`${key}: expected ${expected}, got ${res.status} ${text}`);
    const parsed = (route.response as z.ZodType).safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${key}: the answer does not match its schema: ${parsed.error.message}\n${text}`);
    return parsed.data as JsonOutput<K>;
  }

  /** Calls a route that must fail with this status and code; answers the parsed error. */
  async fails(key: ApiRouteKey, input: RawInput, status: number, code: string): Promise<ErrorBody['error'] & { res: Response }> {
    const res = await this.send(key, input);
    return { ...(await expectError(res, status, code)), res };
  }
}

/** The answer must be the contract's error shape with this status and code. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody['error']> {
  const text = await res.text();
  let body: ErrorBody;
  try {
    body = ErrorBody.parse(JSON.parse(text));
  } catch {
    throw new Error(`expected the error shape with ${status} ${code}, got ${res.status}: ${text.slice(0, 300)}`);
  }
  expect({ status: res.status, code: body.error.code }, body.error.message).toEqual({ status, code });
  expect(body.error.message.length).toBeGreaterThan(3);
  return body.error;
}
