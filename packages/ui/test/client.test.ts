// The typed client builds URLs from the route table and parses answers with the route's schema.
import { describe, expect, it } from 'vitest';
import { routes } from '@shoebox/core/contract';
import { ApiError, createClient, fetchTransport, routeUrl } from '../src/api/client.ts';

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
