// Runs `shoebox serve` as a child process and talks to it over real HTTP: JSON answers parsed with
// their route's schema, errors checked against the contract's one error shape.
import { expect } from 'vitest';
import { ErrorBody } from '@shoebox/core/contract';
import { startShoeboxServe } from '../../../../scripts/shoebox-serve.ts';

export interface Served {
  base: string;
  token: string;
  /** A request with the token as a bearer header (unless `withToken` is false). */
  request(path: string, init?: RequestInit, withToken?: boolean): Promise<Response>;
  /** A JSON request whose answer must be a success and parse with `schema`. */
  call<T>(method: string, path: string, schema: { parse(v: unknown): T }, body?: unknown): Promise<T>;
  /** A JSON request that must fail with this status and error code. */
  fails(method: string, path: string, status: number, code: string, body?: unknown): Promise<void>;
  stop(): Promise<void>;
}

export async function expectError(res: Response, status: number, code: string): Promise<void> {
  const body = ErrorBody.parse(await res.json());
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
  expect(body.error.message.length).toBeGreaterThan(3);
}

export async function startServe(data: string, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const server = await startShoeboxServe(data, { env });
  const base = server.origin;
  const token = server.token;
  const request = (p: string, init: RequestInit = {}, withToken = true): Promise<Response> =>
    withToken ? server.fetch(p, init) : fetch(`${base}${p}`, init);
  const send = (method: string, p: string, body: unknown): Promise<Response> =>
    request(p, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return {
    base,
    token,
    request,
    async call<T>(method: string, p: string, schema: { parse(v: unknown): T }, body?: unknown): Promise<T> {
      const res = await send(method, p, body);
      const json: unknown = await res.json();
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return schema.parse(json);
    },
    async fails(method: string, p: string, status: number, code: string, body?: unknown): Promise<void> {
      await expectError(await send(method, p, body), status, code);
    },
    stop: () => server.close(),
  };
}
