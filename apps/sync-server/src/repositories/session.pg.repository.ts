// Login sessions over Postgres. Only a hash of the token is stored; finding the session of a
// request and refreshing its last use is one statement.
import { and, desc, eq, gt, lte, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { sessions } from '../db/schema.ts';
import type { SessionRecord, SessionRepository, UserRecord } from '../ports/server.ports.ts';
import { iso, isUuid, rows } from './pg.query.ts';
import { USER_COLUMNS, userOf, type UserColumns } from './user.pg.repository.ts';

type SessionRow = typeof sessions.$inferSelect;

function toSession(r: SessionRow): SessionRecord {
  return {
    id: r.id, userId: r.userId, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(), userAgent: r.userAgent,
  };
}

export class SessionPgRepository implements SessionRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async create(input: { userId: string; tokenHash: string; expiresAt: Date; userAgent: string | null }): Promise<SessionRecord> {
    const at = new Date();
    const [row] = await this.db.insert(sessions)
      .values({ userId: input.userId, tokenHash: input.tokenHash, expiresAt: input.expiresAt, userAgent: input.userAgent, createdAt: at, lastUsedAt: at })
      .returning();
    return toSession(row!);
  }

  async authenticate(tokenHash: string, now: Date): Promise<{ session: SessionRecord; user: UserRecord } | null> {
    const at = now.toISOString();
    const [r] = await rows<UserColumns & { id: string; user_id: string; created_at: string; last_used_at: string; expires_at: string; user_agent: string | null }>(
      this.db, sql`UPDATE sessions s SET last_used_at = GREATEST(s.last_used_at, ${at}::timestamptz) FROM users u
        WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${at}::timestamptz AND u.id = s.user_id
        RETURNING s.id, s.user_id, s.created_at, s.last_used_at, s.expires_at, s.user_agent, ${sql.raw(USER_COLUMNS)}`);
    if (!r) return null;
    const session: SessionRecord = {
      id: r.id, userId: r.user_id, createdAt: iso(r.created_at), lastUsedAt: iso(r.last_used_at), expiresAt: iso(r.expires_at), userAgent: r.user_agent,
    };
    return { session, user: userOf(r) };
  }

  async list(userId: string, now: Date): Promise<SessionRecord[]> {
    if (!isUuid(userId)) return [];
    const found = await this.db.select().from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
      .orderBy(desc(sessions.createdAt), desc(sessions.id));
    return found.map(toSession);
  }

  async delete(userId: string, id: string): Promise<boolean> {
    if (!isUuid(userId) || !isUuid(id)) return false;
    const gone = await this.db.delete(sessions).where(and(eq(sessions.id, id), eq(sessions.userId, userId))).returning({ id: sessions.id });
    return gone.length > 0;
  }

  async deleteAllForUser(userId: string, exceptId?: string): Promise<number> {
    if (!isUuid(userId)) return 0;
    const keep = exceptId !== undefined && isUuid(exceptId) ? ne(sessions.id, exceptId) : undefined;
    const gone = await this.db.delete(sessions).where(and(eq(sessions.userId, userId), keep)).returning({ id: sessions.id });
    return gone.length;
  }

  async deleteExpired(now: Date): Promise<number> {
    const gone = await this.db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id });
    return gone.length;
  }
}
