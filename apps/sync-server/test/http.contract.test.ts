// The contract on Express over real HTTP, on PGlite and on Postgres: every non-public route refuses
// an anonymous caller, inputs are validated with details, one error shape everywhere (unknown
// paths, bad JSON, large bodies), security headers, the desktop-only routes, files with ranges and
// cache headers, and another user's ids answer exactly as ids that do not exist.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { apiRoutes, toErrorBody, UploadResult, type ApiRouteKey, type RouteSpec } from '@shoebox/core/contract';
import { fromDatabaseError } from '../src/http/errors.ts';
import { accessOf } from '../src/http/route-policy.ts';
import { DATABASES, createUser, onboardAdmin, startTestServer, type TestServer } from './helpers/test-server.ts';
import { expectError, routePath, type ApiClient, type RawInput } from './helpers/api-client.ts';

// Whole servers start here (PGlite migrations, Postgres databases): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const PHOTO = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus', 'jpeg', 'gps', 'DSCN0010.jpg');

async function upload(base: string, token: string, file: string, bytes: Buffer = fs.readFileSync(file)): Promise<UploadResult> {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), path.basename(file));
  const res = await fetch(`${base}/api/assets/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await res.text();
  if (res.status !== 201 && res.status !== 200) throw new Error(`upload: ${res.status} ${text}`);
  return UploadResult.parse(JSON.parse(text));
}

/** A valid input for each route taking an id (so that validation passes and the id is what decides). */
const SAMPLE: Partial<Record<ApiRouteKey, Omit<RawInput, 'params'>>> = {
  updateAsset: { body: { isFavorite: true } },
  updateAlbum: { body: { name: 'taken over' } },
  addAlbumAssets: { body: { ids: [randomUUID()] } },
  removeAlbumAssets: { body: { ids: [randomUUID()] } },
  updatePerson: { body: { name: 'x' } },
  mergePeople: { body: { ids: [randomUUID()] } },
  assignFace: { body: { personId: null } },
};

describe.each(DATABASES)('the contract over HTTP (%s)', (kind) => {
  let t: TestServer;
  let alice: { api: ApiClient; token: string; userId: string };
  let bob: { api: ApiClient; token: string; userId: string };

  beforeAll(async () => {
    t = await startTestServer(kind);
    alice = await onboardAdmin(t);
    bob = await createUser(t, alice.api, 'bob@example.org');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses an anonymous caller (and a bad token) with 401 on every non-public route', async () => {
    const entries = Object.entries(apiRoutes) as [ApiRouteKey, RouteSpec][];
    const guarded = entries.filter(([key]) => accessOf(key) !== 'public');
    expect(guarded.length).toBeGreaterThan(50);
    for (const [key, route] of guarded) {
      const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, randomUUID()]));
      for (const headers of [{}, { authorization: 'Bearer not-a-session' }, { 'x-api-key': 'sbk_nope' }]) {
        const res = await fetch(`${t.base}${routePath(route, params)}`, { method: route.method.toUpperCase(), headers });
        const error = await expectError(res, 401, 'UNAUTHORIZED').catch((e: Error) => {
          throw new Error(`${key}: ${e.message}`);
        });
        expect(error.code).toBe('UNAUTHORIZED');
      }
    }
    const publicRoutes = entries.filter(([key]) => accessOf(key) === 'public').map(([key]) => key).sort();
    expect(publicRoutes).toEqual(['getAuthStatus', 'login', 'onboard']);
  });

  it('validates query values, params and bodies with details', async () => {
    const size = await alice.api.fails('listAssets', { query: { size: 0 } }, 400, 'VALIDATION_FAILED');
    expect(size.details?.map((d) => d.path)).toEqual(['query.size']);
    const page = await alice.api.fails('listAssets', { query: { page: 'abc', type: 'sound' } }, 400, 'VALIDATION_FAILED');
    expect(page.details?.map((d) => d.path).sort()).toEqual(['query.page', 'query.type']);
    await alice.api.fails('getTimeBucket', { query: { timeBucket: '2024-13-01' } }, 400, 'VALIDATION_FAILED');
    await alice.api.fails('getJobsStatus', { query: { failures: -1 } }, 400, 'VALIDATION_FAILED');
    const id = await alice.api.fails('getAsset', { params: { id: 'nope' } }, 400, 'VALIDATION_FAILED');
    expect(id.details?.[0]?.path).toBe('params.id');
    const body = await alice.api.fails('createAlbum', { body: { name: 42 } }, 400, 'VALIDATION_FAILED');
    expect(body.details?.[0]?.path).toBe('body.name');
    await alice.api.fails('createAlbum', {}, 400, 'VALIDATION_FAILED');
  });

  it('refuses dates outside the years 1 to 9999 (as UTC instants) with 400 instead of failing in the database', async () => {
    for (const from of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '0000-06-01T00:00:00', '9999-12-31T23:00:00-05:00']) {
      const refused = await alice.api.fails('listAssets', { query: { from } }, 400, 'VALIDATION_FAILED');
      expect(refused.details?.map((d) => [d.path, d.message])).toEqual([['query.from', expect.stringMatching(/year/)]]);
    }
    await alice.api.fails('listAssets', { query: { to: '0000-12-31T23:59:59Z' } }, 400, 'VALIDATION_FAILED');
    await alice.api.fails('getTimeBuckets', { query: { from: '0000-01-01' } }, 400, 'VALIDATION_FAILED');
    expect((await alice.api.call('listAssets', { query: { from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' } })).items).toEqual([]);
    // An upload's dates are stored as they came: a year 0000 is refused before it reaches the database.
    const form = new FormData();
    form.append('fileModifiedAt', '0000-01-01T00:00:00Z');
    form.append('file', new Blob([Buffer.concat([fs.readFileSync(PHOTO), randomBytes(8)])], { type: 'image/jpeg' }), 'year-zero.jpg');
    const res = await fetch(`${t.base}/api/assets/upload`, { method: 'POST', headers: { authorization: `Bearer ${bob.token}` }, body: form });
    const error = await expectError(res, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(error.details)).toMatch(/fileModifiedAt/);
    // Should a date get past the schemas, the database's refusal is a 400 too.
    const refused = await t.server.database.db.execute(sql`SELECT '0000-01-01T00:00:00Z'::timestamptz`).then(() => null, (e: unknown) => e);
    expect(toErrorBody(fromDatabaseError(refused))).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(toErrorBody(fromDatabaseError(new Error('other'))).status).toBe(500);
  });

  it("answers the ML status per user: only the caller's embeddings are counted, the models folder is for admins", async () => {
    const { id } = await upload(t.base, alice.token, PHOTO, Buffer.concat([fs.readFileSync(PHOTO), randomBytes(8)]));
    await t.server.database.db.execute(sql`
      INSERT INTO smart_embeddings (asset_id, owner_id, model, embedding) VALUES (${id}, ${alice.userId}, 'test', ARRAY[1, 0]::real[])`);
    const mine = await alice.api.call('getMlStatus');
    expect(mine.smartSearch.indexed).toBe(1);
    expect(mine.modelsDir).not.toBe('');
    const theirs = await bob.api.call('getMlStatus');
    expect(theirs.smartSearch.indexed).toBe(0);
    expect(theirs.modelsDir).toBe('');
  });

  it('answers unknown paths, malformed and oversized JSON in the one error shape', async () => {
    const auth = { authorization: `Bearer ${alice.token}` };
    await expectError(await fetch(`${t.base}/api/nothing/here`, { headers: auth }), 404, 'NOT_FOUND');
    await expectError(await fetch(`${t.base}/api/nothing/here`), 404, 'NOT_FOUND');
    await expectError(await fetch(`${t.base}/api/albums`, { method: 'PATCH', headers: auth }), 404, 'NOT_FOUND');
    await expectError(await fetch(`${t.base}/elsewhere`), 404, 'NOT_FOUND');
    const json = { ...auth, 'content-type': 'application/json' };
    await expectError(await fetch(`${t.base}/api/albums`, { method: 'POST', headers: json, body: '{"name": ' }), 400, 'BAD_REQUEST');
    const big = JSON.stringify({ name: 'x', description: 'y'.repeat(2 * 1024 * 1024) });
    await expectError(await fetch(`${t.base}/api/albums`, { method: 'POST', headers: json, body: big }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('sets the security headers on every answer and hides the framework', async () => {
    const answers = [
      await fetch(`${t.base}/api/server/info`, { headers: { authorization: `Bearer ${alice.token}` } }),
      await fetch(`${t.base}/api/server/info`),
      await fetch(`${t.base}/api/unknown`),
      await fetch(`${t.base}/health`),
    ];
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-powered-by')).toBeNull();
      await res.arrayBuffer();
    }
    expect(answers[0]!.headers.get('cache-control')).toBe('no-store');
  });

  it('answers the desktop-only library routes as the server does', async () => {
    const info = await alice.api.call('getServerInfo');
    expect(info).toMatchObject({ name: 'shoebox', mode: 'server', roots: 0 });
    expect(await alice.api.call('listRoots')).toEqual([]);
    const add = await alice.api.fails('addRoot', { body: { path: '/etc' } }, 405, 'NOT_SUPPORTED');
    expect(add.message).toMatch(/desktop/);
    await alice.api.fails('removeRoot', { params: { id: randomUUID() } }, 405, 'NOT_SUPPORTED');
    await alice.api.fails('scanLibrary', { body: {} }, 405, 'NOT_SUPPORTED');
  });

  it('bulk-checks checksums per owner', async () => {
    const uploaded = await upload(t.base, alice.token, PHOTO);
    const other = 'f'.repeat(40);
    const mine = await alice.api.call('bulkCheckAssets', { body: { checksums: [uploaded.checksum.toUpperCase(), other] } });
    expect(mine.results).toEqual([{ checksum: uploaded.checksum, assetId: uploaded.id }, { checksum: other, assetId: null }]);
    const theirs = await bob.api.call('bulkCheckAssets', { body: { checksums: [uploaded.checksum] } });
    expect(theirs.results).toEqual([{ checksum: uploaded.checksum, assetId: null }]);
    await alice.api.fails('bulkCheckAssets', { body: { checksums: ['xyz'] } }, 400, 'VALIDATION_FAILED');
  });

  it('streams originals with ranges, validators and private caching; thumbnails not made yet are 404', async () => {
    const { id } = await upload(t.base, alice.token, PHOTO);
    const size = fs.statSync(PHOTO).size;
    const auth = { authorization: `Bearer ${alice.token}` };
    const full = await fetch(`${t.base}/api/assets/${id}/original`, { headers: auth });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/jpeg');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(full.headers.get('cache-control')).toBe('private, no-cache');
    expect(full.headers.get('content-security-policy')).toContain('sandbox');
    const etag = full.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect(full.headers.get('last-modified')).toBeTruthy();
    expect(Buffer.from(await full.arrayBuffer()).equals(fs.readFileSync(PHOTO))).toBe(true);
    const part = await fetch(`${t.base}/api/assets/${id}/original`, { headers: { ...auth, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    // fetch adds `Cache-Control: no-cache` to a conditional request unless one is given (as a browser revalidating does).
    const again = await fetch(`${t.base}/api/assets/${id}/original`, { headers: { ...auth, 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    expect(again.status).toBe(304);
    await expectError(await fetch(`${t.base}/api/assets/${id}/original`, { headers: { ...auth, range: `bytes=${size + 10}-` } }), 416, 'RANGE_NOT_SATISFIABLE');
    const download = await fetch(`${t.base}/api/assets/${id}/original?download=true`, { headers: auth });
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    await download.arrayBuffer();
    await alice.api.fails('getAssetThumbnail', { params: { id } }, 404, 'DERIVATIVE_NOT_FOUND');
  });

  it('answers another user\'s ids exactly as ids that do not exist, on every route that takes one', async () => {
    const asset = await upload(t.base, alice.token, PHOTO);
    const album = await alice.api.call('createAlbum', { body: { name: 'Alice only', assetIds: [asset.id] } });
    const key = await alice.api.call('createApiKey', { body: { name: 'alice key' } });
    const session = (await alice.api.call('listSessions'))[0]!;
    const owned = (route: RouteSpec): string => {
      if (route.path.startsWith('/api/assets/')) return asset.id;
      if (route.path.startsWith('/api/albums/')) return album.id;
      if (route.path.startsWith('/api/api-keys/')) return key.apiKey.id;
      if (route.path.startsWith('/api/auth/sessions/')) return session.id;
      return randomUUID(); // people and faces: none exist, a fresh id stands for any
    };
    const idRoutes = (Object.entries(apiRoutes) as [ApiRouteKey, RouteSpec][])
      .filter(([key, route]) => route.path.includes('{id}') && accessOf(key) === 'user');
    expect(idRoutes.length).toBeGreaterThan(20);
    for (const [key, route] of idRoutes) {
      const sample = SAMPLE[key] ?? {};
      const foreign = await bob.api.send(key, { ...sample, params: { id: owned(route) } });
      const missing = await bob.api.send(key, { ...sample, params: { id: randomUUID() } });
      const [a, b] = [await foreign.json() as { error?: { code: string } }, await missing.json() as { error?: { code: string } }];
      expect({ key, status: foreign.status, code: a.error?.code }).toEqual({ key, status: missing.status, code: b.error?.code });
      expect([404, 405], key).toContain(foreign.status);
    }
    // Bob's own writes cannot reach Alice's assets either.
    const bobsAlbum = await bob.api.call('createAlbum', { body: { name: 'Bob', assetIds: [asset.id] } });
    expect(bobsAlbum.assetCount).toBe(0);
    expect((await bob.api.call('addAlbumAssets', { params: { id: bobsAlbum.id }, body: { ids: [asset.id] } })).count).toBe(0);
    expect((await bob.api.call('updateAssets', { body: { ids: [asset.id], isFavorite: true } })).count).toBe(0);
    expect((await bob.api.call('listAssets')).total).toBe(0);
    // And Alice's things are as she left them.
    const after = await alice.api.call('getAsset', { params: { id: asset.id } });
    expect(after.isFavorite).toBe(false);
    expect((await alice.api.call('getAlbum', { params: { id: album.id } })).name).toBe('Alice only');
    expect((await alice.api.call('listApiKeys')).map((k) => k.id)).toContain(key.apiKey.id);
    await alice.api.call('getMe');
  });
});
