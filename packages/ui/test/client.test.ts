// The typed client builds URLs from the route table and parses answers with the route's schema.
import { describe, expect, it } from 'vitest';
import { routes } from '@shoebox/core/contract';
import { ApiError, createClient, fetchTransport, parseRetryAfter, routeUrl } from '../src/api/client.ts';

const ID = '5f0c8a43-4a57-4a8e-9a43-2f1d6c1d2b11';

describe('routeUrl', () => {
  it('fills path parameters and the query string', () => {
    expect(routeUrl(routes.getAsset, { params: { id: ID } }, 'http://h')).toBe(`http://h/api/assets/${ID}`);
    expect(routeUrl(routes.getTimeBucket, { query: { timeBucket: '2024-05-01', favorite: 'true' } })).toBe(
      '/api/timeline/bucket?timeBucket=2024-05-01&favorite=true',
    );
  });
  it('refuses a missing path parameter', () => {
    expect(() => routeUrl(routes.getAsset, {})).toThrow(/missing path parameter id/);
  });
});

describe('createClient over fetch', () => {
  it('parses a success with the route schema and maps errors to ApiError', async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (url, init) => {
      calls.push(`${init?.method} ${String(url)}`);
      if (String(url).endsWith('/api/library/roots')) return new Response('[]', { status: 200 });
      return new Response(JSON.stringify({ error: { code: 'ASSET_NOT_FOUND', message: 'no asset' } }), { status: 404 });
    };
    const client = createClient(fetchTransport('http://x', fake), 'http://x');
    expect(await client.call('listRoots')).toEqual([]);
    await expect(client.call('getAsset', { params: { id: ID } })).rejects.toMatchObject({ status: 404, code: 'ASSET_NOT_FOUND' });
    await expect(client.call('getAsset', { params: { id: ID } })).rejects.toBeInstanceOf(ApiError);
    expect(calls[0]).toBe('GET http://x/api/library/roots');
    expect(client.fileUrl('getAssetThumbnail', { params: { id: ID } })).toBe(`http://x/api/assets/${ID}/thumbnail`);
  });
  it('rejects an answer that does not match the contract', async () => {
    const fake: typeof fetch = async () => new Response(JSON.stringify([{ id: 'not-a-uuid' }]), { status: 200 });
    const client = createClient(fetchTransport('', fake));
    await expect(client.call('listRoots')).rejects.toThrow();
  });
});

describe('the sync server’s routes', () => {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

  it('are callable with the same typing, and a 429 carries its Retry-After', async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (url, init) => {
      calls.push(`${init?.method} ${String(url)} ${String(init?.body ?? '')}`);
      if (String(url).endsWith('/api/auth/status')) return json(200, { onboarded: true, user: null });
      return json(429, { error: { code: 'TOO_MANY_REQUESTS', message: 'too many attempts' } }, { 'retry-after': '120' });
    };
    const client = createClient(fetchTransport('', fake));
    expect(await client.call('getAuthStatus')).toEqual({ onboarded: true, user: null });
    await expect(client.call('login', { body: { email: 'a@b.c', password: 'x' } })).rejects.toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', retryAfter: 120 });
    expect(calls[1]).toBe('POST /api/auth/login {"email":"a@b.c","password":"x"}');
    expect(client.url('uploadAsset')).toBe('/api/assets/upload');
  });

  it('tells its listeners about a lost session, not about a wrong password', async () => {
    const fake: typeof fetch = async (url) =>
      String(url).endsWith('/api/auth/login')
        ? json(401, { error: { code: 'INVALID_CREDENTIALS', message: 'wrong e-mail or password' } })
        : json(401, { error: { code: 'UNAUTHORIZED', message: 'sign in first' } });
    const client = createClient(fetchTransport('', fake));
    const heard: string[] = [];
    const stop = client.onUnauthorized((e) => heard.push(e.message));
    await expect(client.call('login', { body: { email: 'a@b.c', password: 'x' } })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(heard).toEqual([]);
    await expect(client.call('listRoots')).rejects.toMatchObject({ status: 401 });
    expect(heard).toEqual(['sign in first']);
    stop();
    await expect(client.call('listRoots')).rejects.toMatchObject({ status: 401 });
    expect(heard).toHaveLength(1);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('90')).toBe(90);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:26:00 GMT'))).toBe(120);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
