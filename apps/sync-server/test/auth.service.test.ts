// The auth services against in-memory ports: hashing, onboarding, sign-in and its rate limit,
// sessions and their expiry, API keys, password changes and the admin's guard rails.
import { describe, expect, it } from 'vitest';
import { AppError } from '@shoebox/core/contract';
import { AuthService } from '../src/auth/auth.service.ts';
import { RateLimitedError } from '../src/auth/auth.errors.ts';
import { argon2Hasher } from '../src/auth/password.ts';
import { FailureRateLimiter } from '../src/auth/rate-limiter.ts';
import { hashSecret, isApiKey } from '../src/auth/tokens.ts';
import { UserAdminService } from '../src/auth/user-admin.service.ts';
import { memoryAuthRepositories } from './helpers/memory-auth-repositories.ts';

const fastHasher = argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
const client = { ip: '192.0.2.1', userAgent: 'vitest' };
const admin = { email: 'Admin@Example.org'.toLowerCase(), name: 'Admin', password: 'correct horse battery' };

function setup(start = Date.parse('2025-01-01T00:00:00Z')) {
  let now = start;
  const repos = memoryAuthRepositories();
  const clock = () => new Date(now);
  const auth = new AuthService({ ...repos, hasher: fastHasher, sessionDays: 30, now: clock });
  const userAdmin = new UserAdminService({ ...repos, hasher: fastHasher });
  return { repos, auth, userAdmin, advance: (ms: number) => (now += ms) };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('password hashing', () => {
  it('uses argon2id with the OWASP parameters and never throws on a bad hash', async () => {
    const hasher = argon2Hasher();
    const stored = await hasher.hash('a password');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(stored, 'a password')).toBe(true);
    expect(await hasher.verify(stored, 'another')).toBe(false);
    expect(await hasher.verify('not a hash', 'a password')).toBe(false);
    expect(await hasher.verifyDummy('a password')).toBe(false);
  });
});

describe('failure rate limiter', () => {
  it('blocks a key after the limit until its oldest failure ages out', () => {
    let now = 0;
    const limiter = new FailureRateLimiter({ maxFailures: 3, windowMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs(['a'])).toBe(0);
      limiter.fail(['a']);
      now += 100;
    }
    expect(limiter.retryAfterMs(['a'])).toBe(700);
    expect(limiter.retryAfterMs(['b'])).toBe(0);
    now = 1001;
    expect(limiter.retryAfterMs(['a'])).toBe(0);
    limiter.fail(['a']);
    limiter.reset('a');
    expect(limiter.retryAfterMs(['a'])).toBe(0);
    // An attempt counted up front and forgiven leaves no trace.
    limiter.fail(['a']);
    limiter.fail(['a']);
    limiter.forgive(['a'], limiter.fail(['a']));
    expect(limiter.retryAfterMs(['a'])).toBe(0);
  });

  it('keeps its memory bounded', () => {
    const limiter = new FailureRateLimiter({ maxFailures: 1, windowMs: 60_000, maxKeys: 10 });
    for (let i = 0; i < 100; i++) limiter.fail([`k${i}`]);
    expect(limiter.retryAfterMs(['k99'])).toBeGreaterThan(0);
    expect(limiter.retryAfterMs(['k0'])).toBe(0);
  });
});

describe('auth service', () => {
  it('onboards once, and a race of onboardings yields one admin', async () => {
    const { auth, repos } = setup();
    expect(await auth.status(null)).toEqual({ onboarded: false, user: null });
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => auth.onboard({ ...admin, email: `a${i}@example.org` }, client)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await repos.users.count()).toBe(1);
    expect((await repos.users.list())[0]!.isAdmin).toBe(true);
    expect(await code(auth.onboard(admin, client))).toBe('ALREADY_ONBOARDED');
  });

  it('signs in, and answers a wrong password and an unknown e-mail alike', async () => {
    const { auth } = setup();
    await auth.onboard(admin, client);
    const result = await auth.login({ email: admin.email, password: admin.password }, client);
    expect(result.user.email).toBe(admin.email);
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const caller = await auth.authenticate(result.token, 'either');
    expect(caller?.user.email).toBe(admin.email);
    expect(caller?.via).toBe('session');
    const wrong = auth.login({ email: admin.email, password: 'nope nope' }, client).catch((e: AppError) => e.message);
    const unknown = auth.login({ email: 'who@example.org', password: 'nope nope' }, client).catch((e: AppError) => e.message);
    expect(await wrong).toBe(await unknown);
    expect(await code(auth.login({ email: 'who@example.org', password: 'x' }, client))).toBe('INVALID_CREDENTIALS');
  });

  it('stores only hashes of tokens', async () => {
    const { auth, repos } = setup();
    const { token } = await auth.onboard(admin, client);
    const sessions = await repos.sessions.list((await repos.users.list())[0]!.id, new Date('2025-01-01T00:00:01Z'));
    expect(JSON.stringify(sessions)).not.toContain(token);
    expect(await repos.sessions.authenticate(hashSecret(token), new Date('2025-01-01T00:00:01Z'))).not.toBeNull();
  });

  it('limits failed sign-ins per address, and per e-mail only far higher, with a retry time', async () => {
    const { auth, advance } = setup();
    await auth.onboard(admin, client);
    for (let i = 0; i < 10; i++) expect(await code(auth.login({ email: admin.email, password: 'wrong' }, client))).toBe('INVALID_CREDENTIALS');
    const refused = await auth.login({ email: admin.email, password: admin.password }, client).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(800);
    // Another e-mail from this address is refused too; the right password from another address works.
    expect(await code(auth.login({ email: 'other@example.org', password: 'x' }, client))).toBe('TOO_MANY_REQUESTS');
    expect((await auth.login({ email: admin.email, password: admin.password }, { ...client, ip: '192.0.2.9' })).user.isAdmin).toBe(true);
    // Spread over many addresses, 100 failures refuse the e-mail everywhere.
    for (let i = 0; i < 90; i++) {
      expect(await code(auth.login({ email: admin.email, password: 'wrong' }, { ...client, ip: `198.51.100.${i}` }))).toBe('INVALID_CREDENTIALS');
    }
    expect(await code(auth.login({ email: admin.email, password: admin.password }, { ...client, ip: '192.0.2.10' }))).toBe('TOO_MANY_REQUESTS');
    advance(15 * 60_000 + 1);
    expect((await auth.login({ email: admin.email, password: admin.password }, client)).user.isAdmin).toBe(true);
  });

  it('counts parallel sign-ins before they are checked', async () => {
    const { auth } = setup();
    await auth.onboard(admin, client);
    const codes = await Promise.all(Array.from({ length: 30 }, () => code(auth.login({ email: admin.email, password: 'wrong' }, client))));
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(10);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(20);
  });

  it('expires sessions by its clock, lists them with the current one, and revokes', async () => {
    const { auth, advance } = setup();
    const first = await auth.onboard(admin, client);
    const second = await auth.login({ email: admin.email, password: admin.password }, { ...client, userAgent: 'phone' });
    const caller = (await auth.authenticate(second.token, 'session'))!;
    const ctx = { ownerId: caller.user.id, sessionId: caller.sessionId };
    const list = await auth.listSessions(ctx);
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['phone']);
    const other = list.find((s) => !s.current)!;
    await auth.revokeSession(ctx, other.id);
    expect(await auth.authenticate(first.token, 'session')).toBeNull();
    expect(await code(auth.revokeSession(ctx, other.id))).toBe('SESSION_NOT_FOUND');
    expect(Date.parse(second.expiresAt) - Date.parse('2025-01-01T00:00:00Z')).toBe(30 * 86_400_000);
    advance(30 * 86_400_000);
    expect(await auth.authenticate(second.token, 'session')).toBeNull();
  });

  it('creates, accepts and revokes API keys; a session token is not an API key', async () => {
    const { auth } = setup();
    const { token, user } = await auth.onboard(admin, client);
    const ctx = { ownerId: user.id };
    const created = await auth.createApiKey(ctx, 'phone');
    expect(isApiKey(created.secret)).toBe(true);
    expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
    expect((await auth.authenticate(created.secret, 'either'))?.via).toBe('api-key');
    expect((await auth.authenticate(created.secret, 'api-key'))?.user.id).toBe(user.id);
    expect(await auth.authenticate(token, 'api-key')).toBeNull();
    expect(await auth.listApiKeys(ctx)).toEqual([{ ...created.apiKey, lastUsedAt: '2025-01-01T00:00:00.000Z' }]);
    await auth.revokeApiKey(ctx, created.apiKey.id);
    expect(await auth.authenticate(created.secret, 'either')).toBeNull();
    expect(await code(auth.revokeApiKey(ctx, created.apiKey.id))).toBe('API_KEY_NOT_FOUND');
    expect(await auth.authenticate('x'.repeat(1000), 'either')).toBeNull();
  });

  it('changes the password and signs out the other sessions only', async () => {
    const { auth } = setup();
    const first = await auth.onboard(admin, client);
    const second = await auth.login({ email: admin.email, password: admin.password }, client);
    const caller = (await auth.authenticate(second.token, 'session'))!;
    const ctx = { ownerId: caller.user.id, sessionId: caller.sessionId };
    expect(await code(auth.changePassword(ctx, { currentPassword: 'wrong', newPassword: 'new password 1' }))).toBe('INVALID_CREDENTIALS');
    await auth.changePassword(ctx, { currentPassword: admin.password, newPassword: 'new password 1' });
    expect(await auth.authenticate(first.token, 'session')).toBeNull();
    expect(await auth.authenticate(second.token, 'session')).not.toBeNull();
    expect(await code(auth.login({ email: admin.email, password: admin.password }, client))).toBe('INVALID_CREDENTIALS');
    expect((await auth.login({ email: admin.email, password: 'new password 1' }, client)).user.id).toBe(ctx.ownerId);
  });

  it('lets admins manage users but not demote or delete themselves', async () => {
    const { auth, userAdmin } = setup();
    const { user } = await auth.onboard(admin, client);
    const ctx = { ownerId: user.id, isAdmin: true };
    const bob = await userAdmin.create(ctx, { email: 'bob@example.org', name: 'Bob', password: 'bob password', isAdmin: false });
    expect(await code(userAdmin.create(ctx, { email: 'bob@example.org', name: 'Bob 2', password: 'bob password', isAdmin: false }))).toBe('EMAIL_TAKEN');
    const bobSession = await auth.login({ email: 'bob@example.org', password: 'bob password' }, client);
    expect((await userAdmin.update(ctx, bob.id, { name: 'Robert', isAdmin: true })).name).toBe('Robert');
    const bobKey = await auth.createApiKey({ ownerId: bob.id }, 'phone');
    await userAdmin.update(ctx, bob.id, { password: 'reset password' });
    expect(await auth.authenticate(bobSession.token, 'session')).toBeNull();
    expect(await auth.authenticate(bobKey.secret, 'api-key')).toBeNull();
    expect(await code(userAdmin.update(ctx, user.id, { isAdmin: false }))).toBe('FORBIDDEN');
    expect(await code(userAdmin.delete(ctx, user.id))).toBe('FORBIDDEN');
    await userAdmin.delete(ctx, bob.id);
    expect(await code(userAdmin.delete(ctx, bob.id))).toBe('USER_NOT_FOUND');
    expect(await code(userAdmin.update(ctx, bob.id, { name: 'x' }))).toBe('USER_NOT_FOUND');
    expect((await userAdmin.list()).map((u) => u.email)).toEqual([admin.email]);
  });
});
