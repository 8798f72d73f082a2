// In-memory fakes of the server's user, session and API key ports, for unit tests of the auth
// services without a database. They follow the ports' documented behaviour (owner scoping, expiry,
// EMAIL_TAKEN, the atomic first admin).
import { randomUUID } from 'node:crypto';
import { AppError } from '@shoebox/core/contract';
import type {
  ApiKeyRecord, ApiKeyRepository, NewUser, SessionRecord, SessionRepository, UserRecord, UserRepository,
} from '../../src/ports/server.ports.ts';

export interface MemoryAuthRepositories {
  users: UserRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
}

export function memoryAuthRepositories(): MemoryAuthRepositories {
  const users = new Map<string, UserRecord>();
  const sessions = new Map<string, SessionRecord & { tokenHash: string }>();
  const keys = new Map<string, ApiKeyRecord & { keyHash: string }>();

  const userRepo: UserRepository = {
    count: async () => users.size,
    async create(input: NewUser) {
      if ([...users.values()].some((u) => u.email === input.email.toLowerCase())) throw new AppError('EMAIL_TAKEN', 'taken');
      const user: UserRecord = { id: randomUUID(), ...input, email: input.email.toLowerCase(), createdAt: new Date().toISOString() };
      users.set(user.id, user);
      return user;
    },
    async createFirstAdmin(input) {
      if (users.size > 0) return null;
      return await userRepo.create({ ...input, isAdmin: true });
    },
    byEmail: async (email) => [...users.values()].find((u) => u.email === email.toLowerCase()) ?? null,
    byId: async (id) => users.get(id) ?? null,
    list: async () => [...users.values()],
    async update(id, patch) {
      const user = users.get(id);
      if (!user) return null;
      const next = {
        ...user,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.isAdmin !== undefined ? { isAdmin: patch.isAdmin } : {}),
        ...(patch.passwordHash !== undefined ? { passwordHash: patch.passwordHash } : {}),
      };
      users.set(id, next);
      return next;
    },
    async delete(id) {
      for (const [k, s] of sessions) if (s.userId === id) sessions.delete(k);
      for (const [k, s] of keys) if (s.userId === id) keys.delete(k);
      return users.delete(id);
    },
  };

  const plain = ({ tokenHash: _t, ...s }: SessionRecord & { tokenHash: string }): SessionRecord => s;
  const sessionRepo: SessionRepository = {
    async create(input) {
      const now = new Date().toISOString();
      const s = { id: randomUUID(), userId: input.userId, tokenHash: input.tokenHash, createdAt: now, lastUsedAt: now, expiresAt: input.expiresAt.toISOString(), userAgent: input.userAgent };
      sessions.set(s.id, s);
      return plain(s);
    },
    async authenticate(tokenHash, now) {
      const s = [...sessions.values()].find((x) => x.tokenHash === tokenHash && Date.parse(x.expiresAt) > now.getTime());
      const user = s ? users.get(s.userId) : undefined;
      if (!s || !user) return null;
      s.lastUsedAt = now.toISOString();
      return { session: plain(s), user };
    },
    list: async (userId, now) =>
      [...sessions.values()].filter((s) => s.userId === userId && Date.parse(s.expiresAt) > now.getTime()).reverse().map(plain),
    async delete(userId, id) {
      const s = sessions.get(id);
      if (!s || s.userId !== userId) return false;
      return sessions.delete(id);
    },
    async deleteAllForUser(userId, exceptId) {
      let n = 0;
      for (const [k, s] of sessions) if (s.userId === userId && k !== exceptId && sessions.delete(k)) n++;
      return n;
    },
    async deleteExpired(now) {
      let n = 0;
      for (const [k, s] of sessions) if (Date.parse(s.expiresAt) <= now.getTime() && sessions.delete(k)) n++;
      return n;
    },
  };

  const plainKey = ({ keyHash: _k, ...k }: ApiKeyRecord & { keyHash: string }): ApiKeyRecord => k;
  const keyRepo: ApiKeyRepository = {
    async create(input) {
      const k = { id: randomUUID(), userId: input.userId, name: input.name, prefix: input.prefix, keyHash: input.keyHash, createdAt: new Date().toISOString(), lastUsedAt: null };
      keys.set(k.id, k);
      return plainKey(k);
    },
    async authenticate(keyHash, now) {
      const k = [...keys.values()].find((x) => x.keyHash === keyHash);
      const user = k ? users.get(k.userId) : undefined;
      if (!k || !user) return null;
      (k as { lastUsedAt: string | null }).lastUsedAt = now.toISOString();
      return { key: plainKey(k), user };
    },
    list: async (userId) => [...keys.values()].filter((k) => k.userId === userId).map(plainKey),
    async delete(userId, id) {
      const k = keys.get(id);
      if (!k || k.userId !== userId) return false;
      return keys.delete(id);
    },
    async deleteAllForUser(userId) {
      const mine = [...keys.values()].filter((k) => k.userId === userId);
      for (const k of mine) keys.delete(k.id);
      return mine.length;
    },
  };

  return { users: userRepo, sessions: sessionRepo, apiKeys: keyRepo };
}
