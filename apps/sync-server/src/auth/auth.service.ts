// Who the caller is: first-start onboarding, password sign-in (rate-limited per address, with a
// much higher ceiling per e-mail, and the same cost and answer for an unknown e-mail as for a wrong
// password), sessions (random tokens stored as SHA-256, fixed expiry), API keys, and password changes.
import { AppError, type RequestContext } from '@shoebox/core/contract';
import type {
  ApiKeyInfo, ChangePasswordBody, CreatedApiKey, LoginBody, LoginResult, OnboardingBody, SessionInfo, User,
} from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { ApiKeyRepository, SessionRepository, UserRecord, UserRepository } from '../ports/server.ports.ts';
import type { PasswordHasher } from './password.ts';
import { FailureRateLimiter } from './rate-limiter.ts';
import { RateLimitedError, invalidCredentials, unauthorized } from './auth.errors.ts';
import { MAX_CREDENTIAL_LENGTH, hashSecret, isApiKey, newApiKey, newSessionToken } from './tokens.ts';

/** Where a request came from, for rate limits and the session list. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

/** A caller whose credential checked out. */
export interface Caller {
  user: UserRecord;
  /** Set when the credential is a session token. */
  sessionId: string | undefined;
  via: 'session' | 'api-key';
}

export interface AuthServiceOptions {
  users: UserRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  hasher: PasswordHasher;
  sessionDays: number;
  /** The clock sessions expire by; injectable for tests. */
  now?: () => Date;
  /** Failed sign-ins per IP (default: 10 per 15 minutes): the hard block. */
  limiter?: FailureRateLimiter;
  /**
   * Failed sign-ins per e-mail from every address (default: 100 per 15 minutes): slows a guesser
   * spread over many addresses, while one address's failures cannot lock the owner out elsewhere.
   */
  accountLimiter?: FailureRateLimiter;
  log?: Logger;
}

const DAY_MS = 86_400_000;
const WINDOW_MS = 15 * 60_000;

/** A limiter and the keys an attempt counts against. */
type Budget = readonly [FailureRateLimiter, readonly string[]];

export function toUser(u: UserRecord): User {
  return { id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin, createdAt: u.createdAt };
}

export function contextOf(caller: Caller): RequestContext {
  return { ownerId: caller.user.id, sessionId: caller.sessionId, isAdmin: caller.user.isAdmin };
}

export class AuthService {
  readonly sessionDays: number;
  readonly now: () => Date;
  private readonly users: UserRepository;
  private readonly sessions: SessionRepository;
  private readonly apiKeys: ApiKeyRepository;
  private readonly hasher: PasswordHasher;
  private readonly limiter: FailureRateLimiter;
  private readonly accountLimiter: FailureRateLimiter;
  private readonly log: Logger | undefined;

  constructor(o: AuthServiceOptions) {
    this.users = o.users;
    this.sessions = o.sessions;
    this.apiKeys = o.apiKeys;
    this.hasher = o.hasher;
    this.sessionDays = o.sessionDays;
    this.now = o.now ?? (() => new Date());
    this.limiter = o.limiter ?? new FailureRateLimiter({ maxFailures: 10, windowMs: WINDOW_MS, now: () => this.now().getTime() });
    this.accountLimiter = o.accountLimiter ?? new FailureRateLimiter({ maxFailures: 100, windowMs: WINDOW_MS, now: () => this.now().getTime() });
    this.log = o.log;
  }

  async status(caller: Caller | null): Promise<{ onboarded: boolean; user: User | null }> {
    return { onboarded: (await this.users.count()) > 0, user: caller ? toUser(caller.user) : null };
  }

  /** Creates the first admin and signs them in; refused once any user exists, even under a race. */
  async onboard(body: OnboardingBody, client: ClientInfo): Promise<LoginResult> {
    const forgive = this.attempt([[this.limiter, [`onboard-ip:${client.ip}`]]]);
    if ((await this.users.count()) > 0) throw new AppError('ALREADY_ONBOARDED', 'this server has been set up already: sign in instead');
    const passwordHash = await this.hasher.hash(body.password);
    const user = await this.users.createFirstAdmin({ email: body.email, name: body.name, passwordHash });
    if (!user) throw new AppError('ALREADY_ONBOARDED', 'this server has been set up already: sign in instead');
    forgive();
    this.log?.info({ userId: user.id }, 'onboarding: the first admin was created');
    return await this.startSession(user, client);
  }

  async login(body: LoginBody, client: ClientInfo): Promise<LoginResult> {
    const forgive = this.attempt([[this.limiter, [`ip:${client.ip}`]], [this.accountLimiter, [`email:${body.email}`]]]);
    const user = await this.users.byEmail(body.email);
    const ok = user ? await this.hasher.verify(user.passwordHash, body.password) : await this.hasher.verifyDummy(body.password);
    if (!user || !ok) {
      this.log?.info({ ip: client.ip }, 'sign-in refused');
      throw invalidCredentials();
    }
    forgive();
    return await this.startSession(user, client);
  }

  /** Ends the caller's session (an API key has none to end). */
  async logout(ctx: RequestContext): Promise<void> {
    if (ctx.sessionId) await this.sessions.delete(ctx.ownerId, ctx.sessionId);
  }

  /** The caller behind a session token or an API key; null when it is unknown, expired or revoked. */
  async authenticate(credential: string, kind: 'session' | 'api-key' | 'either'): Promise<Caller | null> {
    if (credential.length === 0 || credential.length > MAX_CREDENTIAL_LENGTH) return null;
    const asKey = kind === 'api-key' || (kind === 'either' && isApiKey(credential));
    const now = this.now();
    if (asKey) {
      const found = await this.apiKeys.authenticate(hashSecret(credential), now);
      return found ? { user: found.user, sessionId: undefined, via: 'api-key' } : null;
    }
    const found = await this.sessions.authenticate(hashSecret(credential), now);
    if (!found || Date.parse(found.session.expiresAt) <= now.getTime()) return null;
    return { user: found.user, sessionId: found.session.id, via: 'session' };
  }

  async listSessions(ctx: RequestContext): Promise<SessionInfo[]> {
    const sessions = await this.sessions.list(ctx.ownerId, this.now());
    return sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastUsedAt: s.lastUsedAt,
      expiresAt: s.expiresAt,
      userAgent: s.userAgent,
      current: s.id === ctx.sessionId,
    }));
  }

  async revokeSession(ctx: RequestContext, id: string): Promise<void> {
    if (!(await this.sessions.delete(ctx.ownerId, id))) throw new AppError('SESSION_NOT_FOUND', `no session with id ${id}`);
  }

  async me(ctx: RequestContext): Promise<User> {
    const user = await this.users.byId(ctx.ownerId);
    if (!user) throw unauthorized('this account no longer exists');
    return toUser(user);
  }

  /** Checks the current password (failures count like sign-in failures) and signs out the other sessions. */
  async changePassword(ctx: RequestContext, body: ChangePasswordBody): Promise<void> {
    const user = await this.users.byId(ctx.ownerId);
    if (!user) throw unauthorized('this account no longer exists');
    const forgive = this.attempt([[this.limiter, [`password:${user.id}`]]]);
    if (!(await this.hasher.verify(user.passwordHash, body.currentPassword))) {
      throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
    }
    forgive();
    await this.users.update(user.id, { passwordHash: await this.hasher.hash(body.newPassword) });
    const ended = await this.sessions.deleteAllForUser(user.id, ctx.sessionId);
    this.log?.info({ userId: user.id, endedSessions: ended }, 'password changed');
  }

  async listApiKeys(ctx: RequestContext): Promise<ApiKeyInfo[]> {
    return (await this.apiKeys.list(ctx.ownerId)).map(({ id, name, prefix, createdAt, lastUsedAt }) => ({ id, name, prefix, createdAt, lastUsedAt }));
  }

  async createApiKey(ctx: RequestContext, name: string): Promise<CreatedApiKey> {
    const { secret, prefix } = newApiKey();
    const key = await this.apiKeys.create({ userId: ctx.ownerId, name, prefix, keyHash: hashSecret(secret) });
    return {
      apiKey: { id: key.id, name: key.name, prefix: key.prefix, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt },
      secret,
    };
  }

  async revokeApiKey(ctx: RequestContext, id: string): Promise<void> {
    if (!(await this.apiKeys.delete(ctx.ownerId, id))) throw new AppError('API_KEY_NOT_FOUND', `no API key with id ${id}`);
  }

  /** Removes expired sessions (run now and then; expired ones are refused anyway). */
  async sweepExpired(): Promise<number> {
    return await this.sessions.deleteExpired(this.now());
  }

  /**
   * Refuses while any budget is spent, else counts the attempt as failed at once, before anything
   * is awaited, so parallel attempts cannot all pass the check; answers how to take it back on success.
   */
  private attempt(budgets: readonly Budget[]): () => void {
    const wait = Math.max(0, ...budgets.map(([limiter, keys]) => limiter.retryAfterMs(keys)));
    if (wait > 0) throw new RateLimitedError(wait);
    const at = budgets.map(([limiter, keys]) => limiter.fail(keys));
    return () => budgets.forEach(([limiter, keys], i) => limiter.forgive(keys, at[i]!));
  }

  private async startSession(user: UserRecord, client: ClientInfo): Promise<LoginResult> {
    const token = newSessionToken();
    const expiresAt = new Date(this.now().getTime() + this.sessionDays * DAY_MS);
    const userAgent = client.userAgent ? client.userAgent.slice(0, 500) : null;
    await this.sessions.create({ userId: user.id, tokenHash: hashSecret(token), expiresAt, userAgent });
    return { token, expiresAt: expiresAt.toISOString(), user: toUser(user) };
  }
}
