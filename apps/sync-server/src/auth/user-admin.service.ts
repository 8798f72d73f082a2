// The admin's user management: list, create, rename, make or unmake an admin, reset a password
// (which signs that user out everywhere and revokes their API keys), delete. An admin cannot un-admin or delete themselves, so
// the server always keeps at least one admin.
import { AppError, type CreateUserBody, type RequestContext, type UpdateUserBody, type User } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { ApiKeyRepository, SessionRepository, UserRepository } from '../ports/server.ports.ts';
import type { PasswordHasher } from './password.ts';
import { toUser } from './auth.service.ts';

export class UserAdminService {
  private readonly users: UserRepository;
  private readonly sessions: SessionRepository;
  private readonly apiKeys: ApiKeyRepository;
  private readonly hasher: PasswordHasher;
  private readonly log: Logger | undefined;

  constructor(o: { users: UserRepository; sessions: SessionRepository; apiKeys: ApiKeyRepository; hasher: PasswordHasher; log?: Logger }) {
    this.users = o.users;
    this.sessions = o.sessions;
    this.apiKeys = o.apiKeys;
    this.hasher = o.hasher;
    this.log = o.log;
  }

  async list(): Promise<User[]> {
    return (await this.users.list()).map(toUser);
  }

  async create(ctx: RequestContext, body: CreateUserBody): Promise<User> {
    const passwordHash = await this.hasher.hash(body.password);
    const user = await this.users.create({ email: body.email, name: body.name, passwordHash, isAdmin: body.isAdmin });
    this.log?.info({ by: ctx.ownerId, userId: user.id, isAdmin: user.isAdmin }, 'user created');
    return toUser(user);
  }

  async update(ctx: RequestContext, id: string, body: UpdateUserBody): Promise<User> {
    if (id === ctx.ownerId && body.isAdmin === false) {
      throw new AppError('FORBIDDEN', 'you cannot take away your own admin rights; ask another admin');
    }
    if (!(await this.users.byId(id))) throw new AppError('USER_NOT_FOUND', `no user with id ${id}`);
    const passwordHash = body.password === undefined ? undefined : await this.hasher.hash(body.password);
    const updated = await this.users.update(id, { name: body.name, isAdmin: body.isAdmin, passwordHash });
    if (!updated) throw new AppError('USER_NOT_FOUND', `no user with id ${id}`);
    if (passwordHash !== undefined) {
      // A reset is for an account that may be compromised: the user is signed out everywhere (the
      // admin's own current session excepted) and their API keys are revoked. (A user's own
      // password change keeps their keys: the current password proved who they are.)
      await this.sessions.deleteAllForUser(id, id === ctx.ownerId ? ctx.sessionId : undefined);
      const revokedKeys = await this.apiKeys.deleteAllForUser(id);
      this.log?.info({ by: ctx.ownerId, userId: id, revokedKeys }, 'password reset: sessions ended, API keys revoked');
    }
    this.log?.info({ by: ctx.ownerId, userId: id, changed: Object.keys(body) }, 'user updated');
    return toUser(updated);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    if (id === ctx.ownerId) throw new AppError('FORBIDDEN', 'you cannot delete your own account; ask another admin');
    if (!(await this.users.delete(id))) throw new AppError('USER_NOT_FOUND', `no user with id ${id}`);
    this.log?.info({ by: ctx.ownerId, userId: id }, 'user deleted');
  }
}
