// The sync server's side of the fake API: users, sessions, API keys and the auth routes, over
// state a test can read and change. Without a session, every route but the public ones answers
// 401, as the real server does.
import type { ApiKeyInfo, ApiRouteKey, SessionInfo, User } from '@shoebox/core/contract';
import { ApiError } from '../src/api/client.ts';
import { fakeLibrary, type FakeInput, type FakeLibrary } from './fake-api.ts';

const id = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const NOW = new Date().toISOString();
const PUBLIC = new Set<ApiRouteKey>(['getAuthStatus', 'login', 'onboard']);

type Account = User & { password: string };

export interface FakeServer extends FakeLibrary {
  accounts: Account[];
  sessions: (SessionInfo & { userId: string })[];
  apiKeys: (ApiKeyInfo & { userId: string })[];
  /** The signed-in user (the session cookie), or null. */
  me: string | null;
  /** The error the next login answers with, instead of checking the password. */
  loginError: ApiError | null;
}

export const ADMIN: Account = { id: id('30000000', 1), email: 'ada@example.org', name: 'Ada Admin', isAdmin: true, createdAt: NOW, password: 'correct horse' };
export const MEMBER: Account = { id: id('30000000', 2), email: 'ben@example.org', name: 'Ben Member', isAdmin: false, createdAt: NOW, password: 'battery staple' };

const user = ({ password: _p, ...u }: Account): User => u;

export function fakeServer(opts: { onboarded?: boolean; signedInAs?: Account | null } = {}): FakeServer {
  const base = fakeLibrary(2, 6);
  const server = base as FakeServer;
  server.accounts = opts.onboarded === false ? [] : [{ ...ADMIN }, { ...MEMBER }];
  server.sessions = [];
  server.apiKeys = [];
  server.me = null;
  server.loginError = null;
  let n = 100;
  const next = (prefix: string) => id(prefix, ++n);
  const startSession = (u: Account, userAgent: string) => {
    for (const s of server.sessions) s.current = false;
    server.sessions.push({ id: next('40000000'), userId: u.id, createdAt: NOW, lastUsedAt: NOW, expiresAt: '2099-01-01T00:00:00.000Z', userAgent, current: true });
    server.me = u.id;
    return { token: `token-${u.id}`, expiresAt: '2099-01-01T00:00:00.000Z', user: user(u) };
  };
  if (opts.signedInAs) {
    const u = server.accounts.find((a) => a.id === opts.signedInAs!.id)!;
    server.sessions.push({
      id: next('40000000'), userId: u.id, createdAt: '2024-01-01T00:00:00.000Z', lastUsedAt: '2024-02-01T00:00:00.000Z',
      expiresAt: '2099-01-01T00:00:00.000Z', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', current: false,
    });
    startSession(u, 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1');
  }
  const meAccount = (): Account => {
    const u = server.accounts.find((a) => a.id === server.me);
    if (!u) throw new ApiError(401, 'UNAUTHORIZED', 'sign in first');
    return u;
  };
  const body = <T,>(i: FakeInput) => (i.body ?? {}) as T;

  server.before = (key) => {
    if (!PUBLIC.has(key) && !server.accounts.some((a) => a.id === server.me)) throw new ApiError(401, 'UNAUTHORIZED', 'sign in first');
  };
  const routes: Partial<Record<ApiRouteKey, (input: FakeInput) => unknown>> = {
    getServerInfo: () => ({
      name: 'shoebox', version: '1.0.0', mode: 'server', apiVersion: 1, assets: { image: 10, video: 2, failed: 0, offline: 0 }, roots: 0, startedAt: NOW,
    }),
    getAuthStatus: () => ({ onboarded: server.accounts.length > 0, user: server.accounts.find((a) => a.id === server.me) ? user(meAccount()) : null }),
    onboard: (i) => {
      if (server.accounts.length > 0) throw new ApiError(409, 'ALREADY_ONBOARDED', 'the server already has its admin');
      const b = body<{ email: string; name: string; password: string }>(i);
      const admin: Account = { id: next('30000000'), email: b.email, name: b.name, password: b.password, isAdmin: true, createdAt: NOW };
      server.accounts.push(admin);
      return startSession(admin, 'test');
    },
    login: (i) => {
      if (server.loginError) throw server.loginError;
      const b = body<{ email: string; password: string }>(i);
      const u = server.accounts.find((a) => a.email === b.email.toLowerCase() && a.password === b.password);
      if (!u) throw new ApiError(401, 'INVALID_CREDENTIALS', 'wrong e-mail or password');
      return startSession(u, 'test');
    },
    logout: () => {
      server.sessions = server.sessions.filter((s) => !s.current);
      server.me = null;
      return { ok: true };
    },
    getMe: () => user(meAccount()),
    listSessions: () => server.sessions.filter((s) => s.userId === server.me).map(({ userId: _u, ...s }) => s),
    revokeSession: (i) => {
      const found = server.sessions.find((s) => s.id === i.params?.id && s.userId === server.me);
      if (!found) throw new ApiError(404, 'SESSION_NOT_FOUND', 'no such session');
      server.sessions = server.sessions.filter((s) => s !== found);
      return { ok: true };
    },
    changePassword: (i) => {
      const b = body<{ currentPassword: string; newPassword: string }>(i);
      const u = meAccount();
      if (u.password !== b.currentPassword) throw new ApiError(401, 'INVALID_CREDENTIALS', 'the current password is wrong');
      u.password = b.newPassword;
      return { ok: true };
    },
    listApiKeys: () => server.apiKeys.filter((k) => k.userId === server.me).map(({ userId: _u, ...k }) => k),
    createApiKey: (i) => {
      const key = { id: next('50000000'), name: body<{ name: string }>(i).name, prefix: 'sbk_a1b2', createdAt: NOW, lastUsedAt: null, userId: server.me! };
      server.apiKeys.push(key);
      const { userId: _u, ...apiKey } = key;
      return { apiKey, secret: 'sbk_a1b2c3d4e5f6g7h8i9j0' };
    },
    revokeApiKey: (i) => {
      server.apiKeys = server.apiKeys.filter((k) => k.id !== i.params?.id);
      return { ok: true };
    },
    listUsers: () => server.accounts.map(user),
    createUser: (i) => {
      const b = body<{ email: string; name: string; password: string; isAdmin?: boolean }>(i);
      if (server.accounts.some((a) => a.email === b.email)) throw new ApiError(409, 'EMAIL_TAKEN', 'that e-mail address already has an account');
      const u: Account = { id: next('30000000'), email: b.email, name: b.name, password: b.password, isAdmin: b.isAdmin ?? false, createdAt: NOW };
      server.accounts.push(u);
      return user(u);
    },
    updateUser: (i) => {
      const u = server.accounts.find((a) => a.id === i.params?.id);
      if (!u) throw new ApiError(404, 'USER_NOT_FOUND', 'no such user');
      Object.assign(u, body<Partial<Account>>(i));
      return user(u);
    },
    deleteUser: (i) => {
      server.accounts = server.accounts.filter((a) => a.id !== i.params?.id);
      return { ok: true };
    },
    bulkCheckAssets: (i) => ({ results: (body<{ checksums: string[] }>(i).checksums).map((checksum) => ({ checksum, assetId: null })) }),
  };
  Object.assign(server.routes, routes);
  return server;
}
