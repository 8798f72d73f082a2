// Users over Postgres. E-mails are stored lower-cased (a unique index decides between concurrent
// sign-ups); the first admin is created under a transaction-scoped advisory lock, so two
// onboardings racing each other make one admin and one null.
import { asc, count, eq, sql } from 'drizzle-orm';
import { AppError } from '@shoebox/core/contract';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import type { NewUser, UserRecord, UserRepository } from '../ports/server.ports.ts';
import { first, iso, isUuid } from './pg.query.ts';

type UserRow = typeof users.$inferSelect;

/** Any number both servers agree on; held only inside the onboarding transaction. */
const FIRST_ADMIN_LOCK = 0x5b0e_0002;

export function toUserRecord(row: Pick<UserRow, 'id' | 'email' | 'name' | 'isAdmin' | 'passwordHash' | 'createdAt'>): UserRecord {
  return { id: row.id, email: row.email, name: row.name, isAdmin: row.isAdmin, passwordHash: row.passwordHash, createdAt: row.createdAt.toISOString() };
}

/** The user columns an authenticating statement returns beside its own (as u_*). */
export const USER_COLUMNS = `u.id AS u_id, u.email AS u_email, u.name AS u_name, u.is_admin AS u_is_admin, u.password_hash AS u_password_hash,
  u.created_at AS u_created_at`;

export interface UserColumns {
  u_id: string;
  u_email: string;
  u_name: string;
  u_is_admin: boolean;
  u_password_hash: string;
  u_created_at: string;
}

export function userOf(r: UserColumns): UserRecord {
  return { id: r.u_id, email: r.u_email, name: r.u_name, isAdmin: r.u_is_admin, passwordHash: r.u_password_hash, createdAt: iso(r.u_created_at) };
}

const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export class UserPgRepository implements UserRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(users);
    return Number(row?.n ?? 0);
  }

  async create(input: NewUser): Promise<UserRecord> {
    const at = new Date();
    const [row] = await this.db.insert(users)
      .values({ email: normalizeEmail(input.email), name: input.name, passwordHash: input.passwordHash, isAdmin: input.isAdmin, createdAt: at, updatedAt: at })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!row) throw new AppError('EMAIL_TAKEN', 'a user with this e-mail address exists already');
    return toUserRecord(row);
  }

  async createFirstAdmin(input: Omit<NewUser, 'isAdmin'>): Promise<UserRecord | null> {
    return await this.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`);
      // A statement after the lock: it sees a user that a racing onboarding committed meanwhile.
      if (await first(tx, sql`SELECT 1 AS ok FROM users LIMIT 1`)) return null;
      const at = new Date();
      const [row] = await tx.insert(users)
        .values({ email: normalizeEmail(input.email), name: input.name, passwordHash: input.passwordHash, isAdmin: true, createdAt: at, updatedAt: at })
        .returning();
      return row ? toUserRecord(row) : null;
    });
  }

  async byEmail(email: string): Promise<UserRecord | null> {
    const [row] = await this.db.select().from(users).where(eq(users.email, normalizeEmail(email)));
    return row ? toUserRecord(row) : null;
  }

  async byId(id: string): Promise<UserRecord | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row ? toUserRecord(row) : null;
  }

  async list(): Promise<UserRecord[]> {
    return (await this.db.select().from(users).orderBy(asc(users.createdAt), asc(users.id))).map(toUserRecord);
  }

  async update(id: string, patch: { name?: string | undefined; isAdmin?: boolean | undefined; passwordHash?: string | undefined }): Promise<UserRecord | null> {
    if (!isUuid(id)) return null;
    const set: Partial<UserRow> = { updatedAt: new Date() };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.isAdmin !== undefined) set.isAdmin = patch.isAdmin;
    if (patch.passwordHash !== undefined) set.passwordHash = patch.passwordHash;
    const [row] = await this.db.update(users).set(set).where(eq(users.id, id)).returning();
    return row ? toUserRecord(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    // Sessions, keys, catalog rows and jobs go with the user (ON DELETE CASCADE); files stay.
    const gone = await this.db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
    return gone.length > 0;
  }
}
