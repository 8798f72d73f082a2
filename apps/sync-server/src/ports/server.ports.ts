// The sync server's own ports (users, sessions, API keys, uploads, the job queue), beside core's
// library ports. Implemented over Postgres (PGlite or a real server) in ../repositories.

export interface UserRecord {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  isAdmin: boolean;
  passwordHash: string;
  createdAt: string;
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  isAdmin: boolean;
}

export interface UserRepository {
  count(): Promise<number>;
  /** Throws AppError EMAIL_TAKEN when the e-mail is in use. */
  create(input: NewUser): Promise<UserRecord>;
  /** Creates the first admin atomically; null when any user exists already (even under a race). */
  createFirstAdmin(input: Omit<NewUser, 'isAdmin'>): Promise<UserRecord | null>;
  byEmail(email: string): Promise<UserRecord | null>;
  byId(id: string): Promise<UserRecord | null>;
  list(): Promise<UserRecord[]>;
  update(id: string, patch: { name?: string | undefined; isAdmin?: boolean | undefined; passwordHash?: string | undefined }): Promise<UserRecord | null>;
  /** Deletes the user with their sessions, keys and catalog rows (not their files). */
  delete(id: string): Promise<boolean>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
}

export interface SessionRepository {
  create(input: { userId: string; tokenHash: string; expiresAt: Date; userAgent: string | null }): Promise<SessionRecord>;
  /** The unexpired session holding this token hash, with its user; refreshes lastUsedAt. */
  authenticate(tokenHash: string, now: Date): Promise<{ session: SessionRecord; user: UserRecord } | null>;
  /** The user's unexpired sessions, newest first. */
  list(userId: string, now: Date): Promise<SessionRecord[]>;
  delete(userId: string, id: string): Promise<boolean>;
  /** Ends every session of the user but `exceptId`; returns how many. */
  deleteAllForUser(userId: string, exceptId?: string): Promise<number>;
  deleteExpired(now: Date): Promise<number>;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ApiKeyRepository {
  create(input: { userId: string; name: string; prefix: string; keyHash: string }): Promise<ApiKeyRecord>;
  /** The key with this hash and its user; refreshes lastUsedAt. */
  authenticate(keyHash: string, now: Date): Promise<{ key: ApiKeyRecord; user: UserRecord } | null>;
  list(userId: string): Promise<ApiKeyRecord[]>;
  delete(userId: string, id: string): Promise<boolean>;
  /** Revokes every key of the user; returns how many. */
  deleteAllForUser(userId: string): Promise<number>;
}

/** A file that finished uploading and has been moved into the owner's storage. */
export interface NewUploadedAsset {
  ownerId: string;
  /** SHA-1, 40 lower-case hex digits. */
  checksum: string;
  /** Absolute path inside the storage root. */
  path: string;
  /** The client's file name, made safe (no folders). */
  fileName: string;
  mimeType: string;
  format: string;
  type: 'image' | 'video';
  size: number;
  /** The date the storage layout used (capture date, else the client's, else the upload time). */
  takenAt: string;
  fileCreatedAt: string | null;
  fileModifiedAt: string | null;
  deviceId: string | null;
  deviceAssetId: string | null;
}

export interface UploadRepository {
  /**
   * Inserts the asset unless this owner already holds the checksum; answers the asset that holds
   * it. Concurrent inserts of one checksum yield one row (a unique index decides).
   */
  insert(asset: NewUploadedAsset): Promise<{ id: string; created: boolean }>;
  /** checksum → asset id, for the listed checksums this owner already holds. */
  byChecksums(ownerId: string, checksums: readonly string[]): Promise<Map<string, string>>;
  /** Every original path under storage, to find files a crash left without an asset. */
  knownPaths(): Promise<Set<string>>;
}
