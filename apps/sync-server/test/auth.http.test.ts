// Auth flows over real HTTP, on PGlite and on Postgres: onboarding (once, and once under a race),
// sign-in and its one error, the session cookie, the rate limit (per address, under parallel
// attempts, and a higher one per e-mail), sessions (list, revoke, expiry), API keys, password
// changes, the admin's user management, and cross-site requests.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ADMIN, DATABASES, createUser, onboardAdmin, startTestServer, type TestServer } from './helpers/test-server.ts';
import { expectError, type ApiClient } from './helpers/api-client.ts';

// Whole servers start here (PGlite migrations, Postgres databases): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** A sign-in sent from another loopback address (127.0.0.0/8): the server sees it as the client's IP. */
function loginFrom(localAddress: string, base: string, body: { email: string; password: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/auth/login`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe.each(DATABASES)('auth over HTTP (%s)', (kind) => {
  let t: TestServer;
  let admin: { api: ApiClient; token: string; userId: string };

  beforeAll(async () => {
    t = await startTestServer(kind);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('reports a fresh server as not onboarded, and onboards exactly one admin under a race', async () => {
    expect(await t.api.call('getAuthStatus')).toEqual({ onboarded: false, user: null });
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.api.send('onboard', { body: { ...ADMIN, email: `racer${i}@example.org` } })),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = attempts.find((r) => r.status === 201)!;
    const cookie = winner.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^shoebox_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=2592000/);
    expect(cookie).not.toMatch(/Secure/);
    for (const r of attempts.filter((a) => a.status === 409)) await expectError(r, 409, 'ALREADY_ONBOARDED');
    // Replace the racing admin by the one the rest of the suite uses: only one user exists.
    const won = (await winner.json()) as { token: string; user: { email: string } };
    const asWinner = t.api.as({ token: won.token });
    expect((await asWinner.call('listUsers')).map((u) => u.email)).toEqual([won.user.email]);
    await t.api.fails('onboard', { body: ADMIN }, 409, 'ALREADY_ONBOARDED');
    const status = await t.api.as({ cookie: cookie.split(';')[0]! }).call('getAuthStatus');
    expect(status.onboarded).toBe(true);
    expect(status.user?.isAdmin).toBe(true);
    await asWinner.call('createUser', { body: { ...ADMIN, isAdmin: true } });
    const login = await t.api.call('login', { body: { email: ADMIN.email, password: ADMIN.password } });
    admin = { api: t.api.as({ token: login.token }), token: login.token, userId: login.user.id };
  });

  it('signs in with any case of the e-mail, and answers a wrong password and an unknown e-mail alike', async () => {
    const ok = await t.api.call('login', { body: { email: ' ADMIN@Example.org ', password: ADMIN.password } });
    expect(ok.user.email).toBe(ADMIN.email);
    expect(Date.parse(ok.expiresAt) - t.clock.now().getTime()).toBeGreaterThan(29 * 86_400_000);
    const wrong = await t.api.fails('login', { body: { email: ADMIN.email, password: 'wrong password' } }, 401, 'INVALID_CREDENTIALS');
    const unknown = await t.api.fails('login', { body: { email: 'nobody@example.org', password: 'wrong password' } }, 401, 'INVALID_CREDENTIALS');
    expect(unknown.message).toBe(wrong.message);
    await t.api.fails('login', { body: { email: 'not an e-mail', password: 'x' } }, 400, 'VALIDATION_FAILED');
  });

  it('accepts the session cookie and refuses a cookie request from another origin', async () => {
    const res = await t.api.send('login', { body: { email: ADMIN.email, password: ADMIN.password } });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const viaCookie = t.api.as({ cookie });
    expect((await viaCookie.call('getMe')).email).toBe(ADMIN.email);
    const created = await viaCookie.send('createAlbum', { body: { name: 'from the page' } }, { headers: { origin: t.base } });
    expect(created.status).toBe(201);
    const forged = await viaCookie.send('createAlbum', { body: { name: 'forged' } }, { headers: { origin: 'http://evil.example' } });
    await expectError(forged, 403, 'FORBIDDEN');
    const sameSite = await viaCookie.send('logout', {}, { headers: { 'sec-fetch-site': 'same-site' } });
    await expectError(sameSite, 403, 'FORBIDDEN');
    // A bearer client is not a browser with ambient credentials: its Origin does not matter.
    const bearer = await admin.api.send('createAlbum', { body: { name: 'app' } }, { headers: { origin: 'http://elsewhere.example' } });
    expect(bearer.status).toBe(201);
  });

  it('logs out: the token stops working and the cookie is cleared', async () => {
    const login = await t.api.call('login', { body: { email: ADMIN.email, password: ADMIN.password } });
    const api = t.api.as({ token: login.token });
    const res = await api.send('logout');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/shoebox_session=;.*Expires=Thu, 01 Jan 1970/);
    await api.fails('getMe', {}, 401, 'UNAUTHORIZED');
  });

  it('lists sessions with the current one, and a revoked session answers 401', async () => {
    const phone = await t.api.send('login', { body: { email: ADMIN.email, password: ADMIN.password } }, { headers: { 'user-agent': 'test-phone' } });
    const phoneToken = ((await phone.json()) as { token: string }).token;
    const sessions = await admin.api.call('listSessions');
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    const phoneSession = sessions.find((s) => s.userAgent === 'test-phone')!;
    expect(phoneSession.current).toBe(false);
    await admin.api.call('revokeSession', { params: { id: phoneSession.id } });
    await t.api.as({ token: phoneToken }).fails('getMe', {}, 401, 'UNAUTHORIZED');
    await admin.api.fails('revokeSession', { params: { id: phoneSession.id } }, 404, 'SESSION_NOT_FOUND');
    await admin.api.fails('revokeSession', { params: { id: 'not-a-uuid' } }, 400, 'VALIDATION_FAILED');
  });

  it('creates API keys shown once, accepts them as x-api-key and bearer, and revokes them', async () => {
    const created = await admin.api.call('createApiKey', { body: { name: 'phone backup' } });
    expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
    const viaHeader = t.api.as({ apiKey: created.secret });
    const viaBearer = t.api.as({ token: created.secret });
    expect((await viaHeader.call('getMe')).id).toBe(admin.userId);
    expect((await viaBearer.call('getMe')).id).toBe(admin.userId);
    const keys = await admin.api.call('listApiKeys');
    expect(keys.map((k) => k.id)).toContain(created.apiKey.id);
    expect(JSON.stringify(keys)).not.toContain(created.secret);
    // An API key has no session to list as current, and logging out with it ends nothing.
    expect((await viaHeader.call('listSessions')).every((s) => !s.current)).toBe(true);
    await admin.api.call('revokeApiKey', { params: { id: created.apiKey.id } });
    await viaHeader.fails('getMe', {}, 401, 'UNAUTHORIZED');
    await viaBearer.fails('getMe', {}, 401, 'UNAUTHORIZED');
    await t.api.as({ apiKey: 'sbk_made-up' }).fails('getMe', {}, 401, 'UNAUTHORIZED');
  });

  it('lets admins manage users, and refuses non-admins with 403 on admin routes', async () => {
    const bob = await createUser(t, admin.api, 'bob@example.org');
    await admin.api.fails('createUser', { body: { email: 'BOB@example.org', name: 'Bob', password: 'another password' } }, 409, 'EMAIL_TAKEN');
    await bob.api.fails('listUsers', {}, 403, 'FORBIDDEN');
    await bob.api.fails('createUser', { body: { email: 'eve@example.org', name: 'Eve', password: 'eve password' } }, 403, 'FORBIDDEN');
    await bob.api.fails('deleteUser', { params: { id: admin.userId } }, 403, 'FORBIDDEN');
    await bob.api.fails('getJobsStatus', {}, 403, 'FORBIDDEN');
    await bob.api.fails('setLanePaused', { params: { lane: 'io' }, body: { paused: true } }, 403, 'FORBIDDEN');
    await bob.api.fails('retryFailedJobs', { body: {} }, 403, 'FORBIDDEN');
    await bob.api.fails('updateMlSettings', { body: { enabled: true } }, 403, 'FORBIDDEN');
    await bob.api.fails('downloadModel', { params: { id: 'clip-vit-b32-text' } }, 403, 'FORBIDDEN');
    expect((await admin.api.call('getJobsStatus')).lanes.length).toBeGreaterThan(0);

    const renamed = await admin.api.call('updateUser', { params: { id: bob.userId }, body: { name: 'Robert' } });
    expect(renamed.name).toBe('Robert');
    const bobKey = t.api.as({ apiKey: (await bob.api.call('createApiKey', { body: { name: 'phone backup' } })).secret });
    expect((await bobKey.call('getMe')).id).toBe(bob.userId);
    // A reset is for an account that may be compromised: its sessions end and its API keys are revoked.
    await admin.api.call('updateUser', { params: { id: bob.userId }, body: { password: 'bob new password' } });
    await bob.api.fails('getMe', {}, 401, 'UNAUTHORIZED');
    await bobKey.fails('getMe', {}, 401, 'UNAUTHORIZED');
    expect(await t.api.as({ token: (await t.api.call('login', { body: { email: 'bob@example.org', password: 'bob new password' } })).token }).call('listApiKeys')).toEqual([]);
    await admin.api.fails('updateUser', { params: { id: bob.userId }, body: {} }, 400, 'VALIDATION_FAILED');
    await admin.api.fails('updateUser', { params: { id: admin.userId }, body: { isAdmin: false } }, 403, 'FORBIDDEN');
    await admin.api.fails('deleteUser', { params: { id: admin.userId } }, 403, 'FORBIDDEN');
    await admin.api.fails('updateUser', { params: { id: randomUUID() }, body: { name: 'x' } }, 404, 'USER_NOT_FOUND');
    await admin.api.call('deleteUser', { params: { id: bob.userId } });
    await admin.api.fails('deleteUser', { params: { id: bob.userId } }, 404, 'USER_NOT_FOUND');
    await t.api.fails('login', { body: { email: 'bob@example.org', password: 'bob new password' } }, 401, 'INVALID_CREDENTIALS');
  });

  it('changes the password: the other sessions end, this one and the API keys stay', async () => {
    const carol = await createUser(t, admin.api, 'carol@example.org');
    const carolKey = t.api.as({ apiKey: (await carol.api.call('createApiKey', { body: { name: 'phone backup' } })).secret });
    const other = await t.api.call('login', { body: { email: 'carol@example.org', password: 'carol@example.org password' } });
    await carol.api.fails('changePassword', { body: { currentPassword: 'wrong', newPassword: 'carol new password' } }, 401, 'INVALID_CREDENTIALS');
    await carol.api.fails('changePassword', { body: { currentPassword: 'carol@example.org password', newPassword: 'short' } }, 400, 'VALIDATION_FAILED');
    await carol.api.call('changePassword', { body: { currentPassword: 'carol@example.org password', newPassword: 'carol new password' } });
    expect((await carol.api.call('getMe')).email).toBe('carol@example.org');
    await t.api.as({ token: other.token }).fails('getMe', {}, 401, 'UNAUTHORIZED');
    await t.api.fails('login', { body: { email: 'carol@example.org', password: 'carol@example.org password' } }, 401, 'INVALID_CREDENTIALS');
    await t.api.call('login', { body: { email: 'carol@example.org', password: 'carol new password' } });
    expect((await carolKey.call('getMe')).email).toBe('carol@example.org');
  });

  it('refuses an expired session', async () => {
    const login = await t.api.call('login', { body: { email: ADMIN.email, password: ADMIN.password } });
    const api = t.api.as({ token: login.token });
    t.clock.advance(29 * 86_400_000);
    await api.call('getMe');
    t.clock.advance(2 * 86_400_000);
    await api.fails('getMe', {}, 401, 'UNAUTHORIZED');
    expect((await api.call('getAuthStatus')).user).toBeNull();
  });
});

describe.each(DATABASES)('sign-in rate limit (%s)', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
    await onboardAdmin(t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers 429 with Retry-After after 10 failures, even for the right password, until the window passes', async () => {
    for (let i = 0; i < 10; i++) await t.api.fails('login', { body: { email: ADMIN.email, password: `wrong ${i}` } }, 401, 'INVALID_CREDENTIALS');
    const refused = await t.api.fails('login', { body: { email: ADMIN.email, password: ADMIN.password } }, 429, 'TOO_MANY_REQUESTS');
    const retryAfter = Number(refused.res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // The address is blocked for other e-mails too.
    await t.api.fails('login', { body: { email: 'someone@example.org', password: 'x' } }, 429, 'TOO_MANY_REQUESTS');
    // Failures from one address do not lock the owner out: the right password works from another.
    expect(await loginFrom('127.0.0.2', t.base, { email: ADMIN.email, password: ADMIN.password })).toBe(200);
    expect(await loginFrom('127.0.0.2', t.base, { email: ADMIN.email, password: 'wrong' })).toBe(401);
    t.clock.advance(15 * 60_000 + 1000);
    await t.api.call('login', { body: { email: ADMIN.email, password: ADMIN.password } });
  });

  it('counts parallel attempts before checking them: 50 at once get 10 answers 401 and 40 answers 429', async () => {
    t.clock.advance(15 * 60_000 + 1000);
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => loginFrom('127.0.0.3', t.base, { email: ADMIN.email, password: `wrong ${i}` })),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect(await loginFrom('127.0.0.3', t.base, { email: ADMIN.email, password: ADMIN.password })).toBe(429);
  });

  it('stops a guesser spread over many addresses at 100 failures per e-mail', async () => {
    t.clock.advance(15 * 60_000 + 1000);
    for (let a = 10; a < 20; a++) {
      for (let i = 0; i < 10; i++) expect(await loginFrom(`127.0.0.${a}`, t.base, { email: ADMIN.email, password: `wrong ${i}` })).toBe(401);
    }
    expect(await loginFrom('127.0.0.30', t.base, { email: ADMIN.email, password: ADMIN.password })).toBe(429);
    // Other accounts are not affected.
    expect(await loginFrom('127.0.0.30', t.base, { email: 'someone@example.org', password: 'x' })).toBe(401);
    t.clock.advance(15 * 60_000 + 1000);
    expect(await loginFrom('127.0.0.30', t.base, { email: ADMIN.email, password: ADMIN.password })).toBe(200);
  });
});
