// The server's own repositories (users, sessions, API keys, uploads) and its library roots, on
// PGlite and on the machine's Postgres: uniqueness decided by the database under concurrency, and
// every read and edit scoped to its user or owner.
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@shoebox/core/contract';
import { createRepositories, type Repositories } from '../src/repositories/index.ts';
import type { NewUploadedAsset, UserRecord } from '../src/ports/server.ports.ts';
import { rows } from '../src/repositories/pg.query.ts';
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from './helpers/fresh-postgres.ts';

// Opening PGlite (a WebAssembly Postgres) takes seconds, more while other test files run beside it.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const UNKNOWN = '00000000-0000-4000-8000-00000000dead';

describe.each(DATABASE_KINDS)('server repositories on %s', (kind) => {
  let t: TestDatabase;
  let r: Repositories;
  let alice: UserRecord;
  let bob: UserRecord;

  beforeAll(async () => {
    t = await openTestDatabase(kind, 'shoebox_repo_server');
    r = createRepositories(t.database);
  });
  afterAll(async () => {
    await t?.cleanup();
  });
  beforeEach(async () => {
    await t.database.db.execute(sql`TRUNCATE users, library_roots, assets, jobs RESTART IDENTITY CASCADE`);
    alice = await r.users.create({ email: 'Alice@Example.test', name: 'Alice', passwordHash: 'h-a', isAdmin: true });
    bob = await r.users.create({ email: 'bob@example.test', name: 'Bob', passwordHash: 'h-b', isAdmin: false });
  });

  const upload = (ownerId: string, name: string, fields: Partial<NewUploadedAsset> = {}): NewUploadedAsset => ({
    ownerId, checksum: sha1(name), path: `/storage/${ownerId}/2024/05/${name}`, fileName: name, mimeType: 'image/jpeg', format: 'JPEG',
    type: 'image', size: 1234, takenAt: '2024-05-01T10:00:00.000Z', fileCreatedAt: null, fileModifiedAt: null, deviceId: null, deviceAssetId: null,
    ...fields,
  });

  describe('users', () => {
    it('stores e-mails lower-cased and refuses one in use, whatever its case', async () => {
      expect(alice).toMatchObject({ email: 'alice@example.test', name: 'Alice', isAdmin: true, passwordHash: 'h-a' });
      expect(Number.isNaN(Date.parse(alice.createdAt))).toBe(false);
      const err = await r.users.create({ email: 'ALICE@example.test', name: 'A2', passwordHash: 'x', isAdmin: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('EMAIL_TAKEN');
      expect(await r.users.count()).toBe(2);
      expect((await r.users.byEmail('ALICE@EXAMPLE.TEST'))?.id).toBe(alice.id);
      expect(await r.users.byEmail('nobody@example.test')).toBeNull();
      expect((await r.users.byId(bob.id))?.email).toBe('bob@example.test');
      expect(await r.users.byId(UNKNOWN)).toBeNull();
      expect(await r.users.byId('not-a-uuid')).toBeNull();
      expect((await r.users.list()).map((u) => u.id)).toEqual([alice.id, bob.id]);
    });

    it('creates the first admin once, even when onboardings race', async () => {
      await t.database.db.execute(sql`TRUNCATE users CASCADE`);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
        r.users.createFirstAdmin({ email: `admin${i}@example.test`, name: `Admin ${i}`, passwordHash: 'h' })));
      const made = results.filter((u) => u !== null);
      expect(made).toHaveLength(1);
      expect(made[0]!.isAdmin).toBe(true);
      expect(await r.users.count()).toBe(1);
      expect(await r.users.createFirstAdmin({ email: 'late@example.test', name: 'Late', passwordHash: 'h' })).toBeNull();
    });

    it('updates and deletes; deleting takes sessions, keys and catalog rows along', async () => {
      const updated = await r.users.update(bob.id, { name: 'Robert', isAdmin: true, passwordHash: 'h2' });
      expect(updated).toMatchObject({ id: bob.id, name: 'Robert', isAdmin: true, passwordHash: 'h2', email: 'bob@example.test' });
      expect(await r.users.update(bob.id, { name: 'Bobby' })).toMatchObject({ name: 'Bobby', isAdmin: true });
      expect(await r.users.update(UNKNOWN, { name: 'X' })).toBeNull();
      await r.sessions.create({ userId: bob.id, tokenHash: 'tb', expiresAt: new Date(Date.now() + 60_000), userAgent: null });
      await r.apiKeys.create({ userId: bob.id, name: 'k', prefix: 'sb_1', keyHash: 'kb' });
      const { id: assetId } = await r.uploads.insert(upload(bob.id, 'b.jpg'));
      await r.albums.create(bob.id, { name: 'B', description: null, assetIds: [assetId] });
      expect(await r.users.delete(bob.id)).toBe(true);
      expect(await r.users.delete(bob.id)).toBe(false);
      expect(await r.sessions.authenticate('tb', new Date())).toBeNull();
      expect(await r.apiKeys.authenticate('kb', new Date())).toBeNull();
      const left = await rows<{ n: number }>(t.database.db, sql`SELECT
        (SELECT count(*) FROM assets)::int + (SELECT count(*) FROM albums)::int + (SELECT count(*) FROM album_assets)::int AS n`);
      expect(left[0]!.n).toBe(0);
      expect(await r.users.count()).toBe(1);
    });
  });

  describe('sessions', () => {
    it('authenticates an unexpired token hash with its user, refreshing its last use', async () => {
      const t0 = new Date();
      const s = await r.sessions.create({ userId: alice.id, tokenHash: 'h1', expiresAt: new Date(t0.getTime() + 3_600_000), userAgent: 'phone' });
      expect(s).toMatchObject({ userId: alice.id, userAgent: 'phone', expiresAt: new Date(t0.getTime() + 3_600_000).toISOString() });
      const later = new Date(t0.getTime() + 60_000);
      const auth = await r.sessions.authenticate('h1', later);
      expect(auth?.session).toMatchObject({ id: s.id, lastUsedAt: later.toISOString(), createdAt: s.createdAt });
      expect(auth?.user).toEqual(alice);
      expect(await r.sessions.authenticate('h1', new Date(t0.getTime() + 3_600_000))).toBeNull();
      expect(await r.sessions.authenticate('nope', later)).toBeNull();
    });

    it("lists, ends and sweeps a user's sessions, never another user's", async () => {
      const soon = new Date(Date.now() + 1_000);
      const late = new Date(Date.now() + 3_600_000);
      const a1 = await r.sessions.create({ userId: alice.id, tokenHash: 'a1', expiresAt: late, userAgent: null });
      await new Promise((res) => setTimeout(res, 5));
      const a2 = await r.sessions.create({ userId: alice.id, tokenHash: 'a2', expiresAt: late, userAgent: null });
      await new Promise((res) => setTimeout(res, 5));
      const a3 = await r.sessions.create({ userId: alice.id, tokenHash: 'a3', expiresAt: soon, userAgent: null });
      const b1 = await r.sessions.create({ userId: bob.id, tokenHash: 'b1', expiresAt: late, userAgent: null });
      expect((await r.sessions.list(alice.id, new Date())).map((s) => s.id)).toEqual([a3.id, a2.id, a1.id]);
      expect((await r.sessions.list(alice.id, new Date(Date.now() + 2_000))).map((s) => s.id)).toEqual([a2.id, a1.id]);
      expect(await r.sessions.delete(alice.id, b1.id)).toBe(false);
      expect(await r.sessions.delete(alice.id, 'junk')).toBe(false);
      expect(await r.sessions.delete(bob.id, b1.id)).toBe(true);
      expect(await r.sessions.deleteExpired(new Date(Date.now() + 2_000))).toBe(1);
      expect(await r.sessions.deleteAllForUser(alice.id, a1.id)).toBe(1);
      expect((await r.sessions.list(alice.id, new Date())).map((s) => s.id)).toEqual([a1.id]);
      expect(await r.sessions.deleteAllForUser(alice.id)).toBe(1);
      expect(await r.sessions.list(alice.id, new Date())).toEqual([]);
    });
  });

  describe('API keys', () => {
    it('authenticates by hash with the user, lists and revokes per user', async () => {
      const k = await r.apiKeys.create({ userId: alice.id, name: 'laptop', prefix: 'sb_abcd', keyHash: 'kh' });
      expect(k).toMatchObject({ userId: alice.id, name: 'laptop', prefix: 'sb_abcd', lastUsedAt: null });
      const at = new Date(Date.now() + 1_000);
      const auth = await r.apiKeys.authenticate('kh', at);
      expect(auth?.key).toMatchObject({ id: k.id, lastUsedAt: at.toISOString() });
      expect(auth?.user.id).toBe(alice.id);
      expect(await r.apiKeys.authenticate('other', at)).toBeNull();
      expect((await r.apiKeys.list(alice.id)).map((x) => x.id)).toEqual([k.id]);
      expect(await r.apiKeys.list(bob.id)).toEqual([]);
      expect(await r.apiKeys.delete(bob.id, k.id)).toBe(false);
      expect(await r.apiKeys.delete(alice.id, k.id)).toBe(true);
      expect(await r.apiKeys.authenticate('kh', at)).toBeNull();
    });

    it("revokes all of a user's keys, never another user's", async () => {
      await r.apiKeys.create({ userId: alice.id, name: 'a1', prefix: 'sb_a1', keyHash: 'ka1' });
      await r.apiKeys.create({ userId: alice.id, name: 'a2', prefix: 'sb_a2', keyHash: 'ka2' });
      await r.apiKeys.create({ userId: bob.id, name: 'b1', prefix: 'sb_b1', keyHash: 'kb1' });
      expect(await r.apiKeys.deleteAllForUser(alice.id)).toBe(2);
      expect(await r.apiKeys.list(alice.id)).toEqual([]);
      expect((await r.apiKeys.list(bob.id)).map((x) => x.name)).toEqual(['b1']);
      expect(await r.apiKeys.deleteAllForUser('not-a-uuid')).toBe(0);
    });
  });

  describe('uploads', () => {
    it('files an upload once per owner and content; the same content again is a duplicate', async () => {
      const first = await r.uploads.insert(upload(alice.id, 'a.jpg', { fileModifiedAt: '2024-04-30T08:00:00.000Z', deviceId: 'phone', deviceAssetId: '42' }));
      expect(first.created).toBe(true);
      const again = await r.uploads.insert(upload(alice.id, 'a.jpg', { path: `/storage/${alice.id}/2024/05/a (1).jpg` }));
      expect(again).toEqual({ id: first.id, created: false });
      const theirs = await r.uploads.insert(upload(bob.id, 'a.jpg'));
      expect(theirs.created).toBe(true);
      expect(theirs.id).not.toBe(first.id);
      // Not shown until metadata is read; found by id, its time standing in for the capture time.
      const detail = await r.assets.get(alice.id, first.id);
      expect(detail).toMatchObject({
        rootId: alice.id, path: `/storage/${alice.id}/2024/05/a.jpg`, fileName: 'a.jpg', checksum: sha1('a.jpg'), status: 'pending',
        takenAt: '2024-04-30T08:00:00.000Z', takenAtSource: 'mtime', mtime: '2024-04-30T08:00:00.000Z', offline: false, duplicateOf: null,
      });
      expect(detail?.exif.mimeType).toBe('image/jpeg');
      expect(await r.assets.original(alice.id, first.id)).toEqual({ path: `/storage/${alice.id}/2024/05/a.jpg`, fileName: 'a.jpg', mimeType: 'image/jpeg', offline: false });
      expect(await r.assets.get(bob.id, first.id)).toBeNull();
    });

    it('yields one asset for 20 concurrent uploads of one file', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        r.uploads.insert(upload(alice.id, 'same.jpg', { path: `/storage/${alice.id}/2024/05/same-${i}.jpg` }))));
      expect(new Set(results.map((x) => x.id)).size).toBe(1);
      expect(results.filter((x) => x.created)).toHaveLength(1);
      const n = await rows<{ n: number }>(t.database.db, sql`SELECT count(*)::int AS n FROM assets WHERE checksum = ${sha1('same.jpg')}`);
      expect(n[0]!.n).toBe(1);
    });

    it('answers the bulk check per owner, case-insensitively', async () => {
      const a = await r.uploads.insert(upload(alice.id, 'one.jpg'));
      await r.uploads.insert(upload(bob.id, 'two.jpg'));
      const found = await r.uploads.byChecksums(alice.id, [sha1('one.jpg').toUpperCase(), sha1('two.jpg'), sha1('three.jpg')]);
      expect(found).toEqual(new Map([[sha1('one.jpg'), a.id]]));
      expect(await r.uploads.byChecksums(alice.id, [])).toEqual(new Map());
      expect(await r.uploads.byChecksums('not-a-uuid', [sha1('one.jpg')])).toEqual(new Map());
    });

    it('keeps a removed file known, and takes its content again as a new asset', async () => {
      const a = await r.uploads.insert(upload(alice.id, 'gone.jpg'));
      await t.database.db.execute(sql`UPDATE assets SET sidecars = ARRAY['/storage/x/gone.jpg.xmp'], month = '2024-05-01',
        taken_local = '2024-05-01T10:00:00', taken_source = 'utc', tz_offset_min = 0, taken_at = mtime, status = 'ok' WHERE id = ${a.id}`);
      expect(await r.assets.update(alice.id, a.id, { trashed: true })).toBe(true);
      expect(await r.trash.purge(alice.id, [a.id], true)).toBe(1);
      expect(await r.uploads.byChecksums(alice.id, [sha1('gone.jpg')])).toEqual(new Map());
      const known = await r.uploads.knownPaths();
      expect(known.has(`/storage/${alice.id}/2024/05/gone.jpg`)).toBe(true);
      expect(known.has('/storage/x/gone.jpg.xmp')).toBe(true);
      const back = await r.uploads.insert(upload(alice.id, 'gone.jpg', { path: `/storage/${alice.id}/2024/05/gone (1).jpg` }));
      expect(back.created).toBe(true);
      expect(back.id).not.toBe(a.id);
      expect(await r.uploads.byChecksums(alice.id, [sha1('gone.jpg')])).toEqual(new Map([[sha1('gone.jpg'), back.id]]));
      expect(await r.assets.get(alice.id, a.id)).toBeNull();
    });

    it('refuses a second live asset on one storage path', async () => {
      await r.uploads.insert(upload(alice.id, 'p.jpg'));
      await expect(r.uploads.insert(upload(alice.id, 'q.jpg', { path: `/storage/${alice.id}/2024/05/p.jpg` }))).rejects.toThrow();
    });
  });

  describe('library roots', () => {
    it('lists, gets and removes synced roots per owner; adding one is not supported', async () => {
      const rootId = randomUUID();
      await t.database.db.execute(sql`INSERT INTO library_roots (id, owner_id, path) VALUES (${rootId}, ${alice.id}, '/Users/alice/Pictures')`);
      const a = await r.uploads.insert(upload(alice.id, 'r.jpg'));
      await t.database.db.execute(sql`UPDATE assets SET root_id = ${rootId} WHERE id = ${a.id}`);
      expect(await r.roots.list(alice.id)).toEqual([
        { id: rootId, path: '/Users/alice/Pictures', createdAt: expect.any(String), lastScanAt: null, assetCount: 1, online: false },
      ]);
      expect(await r.roots.list(bob.id)).toEqual([]);
      expect(await r.roots.get(bob.id, rootId)).toBeNull();
      expect(await r.roots.remove(bob.id, rootId)).toBe(0);
      expect(await r.roots.get(alice.id, rootId)).toMatchObject({ assetCount: 1 });
      const err = await Promise.resolve().then(() => r.roots.add(alice.id, '/somewhere')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('NOT_SUPPORTED');
      expect(await r.roots.remove(alice.id, rootId)).toBe(1);
      expect(await r.assets.get(alice.id, a.id)).toBeNull();
      expect(await r.roots.list(alice.id)).toEqual([]);
    });
  });

  describe('owner scoping', () => {
    it("answers another owner's ids exactly as missing ones", async () => {
      const { id } = await r.uploads.insert(upload(alice.id, 'mine.jpg'));
      const album = await r.albums.create(alice.id, { name: 'Mine', description: null, assetIds: [id] });
      for (const probe of [UNKNOWN, id]) {
        expect(await r.assets.get(bob.id, probe)).toBeNull();
        expect(await r.assets.update(bob.id, probe, { isFavorite: true })).toBe(false);
        expect(await r.trash.isTrashed(bob.id, probe)).toBe(false);
        expect(await r.smartSearch.assetExists(bob.id, probe)).toBe(false);
        expect(await r.people.assetFaces(bob.id, probe)).toBeNull();
      }
      expect(await r.albums.get(bob.id, album.id)).toBeNull();
      expect(await r.albums.addAssets(bob.id, album.id, [id])).toBe(0);
      expect(await r.albums.contains(bob.id, album.id, id)).toBe(false);
      expect(await r.albums.delete(bob.id, album.id)).toBe(false);
      // Bob's album cannot take Alice's asset: the (asset, owner) reference refuses it.
      const bobs = await r.albums.create(bob.id, { name: 'Bob', description: null, assetIds: [id] });
      expect(bobs.assetCount).toBe(0);
      await expect(t.database.db.execute(sql`INSERT INTO album_assets (album_id, asset_id, owner_id) VALUES (${bobs.id}, ${id}, ${bob.id})`)).rejects.toThrow();
      expect(await r.assets.get(alice.id, id)).toMatchObject({ isFavorite: false });
      expect(await r.albums.get(alice.id, album.id)).toMatchObject({ assetCount: 0, name: 'Mine' });
    });

    it('answers malformed ids as missing instead of failing', async () => {
      expect(await r.assets.get('local', 'nope')).toBeNull();
      expect(await r.assets.list('local', { page: 1, size: 10, order: 'desc' })).toMatchObject({ items: [], total: 0 });
      expect(await r.assets.timelineBuckets(alice.id, { albumId: 'nope' })).toEqual([]);
      expect(await r.assets.updateMany(alice.id, { ids: ['nope'], isFavorite: true })).toBe(0);
      expect(await r.people.existingFaces(alice.id, ['nope'])).toEqual(new Set());
      expect(await r.smartSearch.count('nope')).toBe(0);
    });
  });
});
