// API keys over Postgres. Only a hash of the key is stored; finding the key of a request and
// refreshing its last use is one statement.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { apiKeys } from '../db/schema.ts';
import type { ApiKeyRecord, ApiKeyRepository, UserRecord } from '../ports/server.ports.ts';
import { iso, isoOrNull, isUuid, rows } from './pg.query.ts';
import { USER_COLUMNS, userOf, type UserColumns } from './user.pg.repository.ts';

type ApiKeyRow = typeof apiKeys.$inferSelect;

function toApiKey(r: ApiKeyRow): ApiKeyRecord {
  return { id: r.id, userId: r.userId, name: r.name, prefix: r.prefix, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null };
}

export class ApiKeyPgRepository implements ApiKeyRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async create(input: { userId: string; name: string; prefix: string; keyHash: string }): Promise<ApiKeyRecord> {
    const [row] = await this.db.insert(apiKeys)
      .values({ userId: input.userId, name: input.name, prefix: input.prefix, keyHash: input.keyHash, createdAt: new Date() })
      .returning();
    return toApiKey(row!);
  }

  async authenticate(keyHash: string, now: Date): Promise<{ key: ApiKeyRecord; user: UserRecord } | null> {
    const at = now.toISOString();
    const [r] = await rows<UserColumns & { id: string; user_id: string; name: string; prefix: string; created_at: string; last_used_at: string | null }>(
      this.db, sql`UPDATE api_keys k SET last_used_at = GREATEST(k.last_used_at, ${at}::timestamptz) FROM users u
        WHERE k.key_hash = ${keyHash} AND u.id = k.user_id
        RETURNING k.id, k.user_id, k.name, k.prefix, k.created_at, k.last_used_at, ${sql.raw(USER_COLUMNS)}`);
    if (!r) return null;
    const key: ApiKeyRecord = { id: r.id, userId: r.user_id, name: r.name, prefix: r.prefix, createdAt: iso(r.created_at), lastUsedAt: isoOrNull(r.last_used_at) };
    return { key, user: userOf(r) };
  }

  async list(userId: string): Promise<ApiKeyRecord[]> {
    if (!isUuid(userId)) return [];
    const found = await this.db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
    return found.map(toApiKey);
  }

  async delete(userId: string, id: string): Promise<boolean> {
    if (!isUuid(userId) || !isUuid(id)) return false;
    const gone = await this.db.delete(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId))).returning({ id: apiKeys.id });
    return gone.length > 0;
  }

  async deleteAllForUser(userId: string): Promise<number> {
    if (!isUuid(userId)) return 0;
    const gone = await this.db.delete(apiKeys).where(eq(apiKeys.userId, userId)).returning({ id: apiKeys.id });
    return gone.length;
  }
}
