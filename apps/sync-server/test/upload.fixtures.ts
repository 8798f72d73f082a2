// Shared pieces of the upload tests: an in-memory UploadRepository with the real one's semantics,
// a tiny Express app (fake auth from a header) on an ephemeral port, a multipart body builder that
// streams (files are never read whole), a raw HTTP client, and the shared corpus.
import { createHash, randomBytes, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, readFileSync, type Stats } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import express from 'express';
import { afterEach } from 'vitest';
import { pino } from 'pino';
import { rows } from '../src/repositories/pg.query.ts';
import { createRepositories } from '../src/repositories/index.ts';
import { DATABASE_KINDS, openTestDatabase, type DatabaseKind } from './helpers/fresh-postgres.ts';
import type { NewUploadedAsset, UploadRepository } from '../src/ports/server.ports.ts';
import { createUploadRouter, createUploadService, type CaptureDate, type UploadDeps, type UploadService } from '../src/uploads/index.ts';

export const CORPUS = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus');

export interface CorpusRow {
  path: string;
  bytes: number;
  fileType: string;
  takenAt: string;
}

export function corpusRows(): CorpusRow[] {
  const [header, ...lines] = readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = header!.split('\t');
  const at = (name: string): number => cols.indexOf(name);
  return lines.map((line) => {
    const f = line.split('\t');
    return { path: f[at('path')]!, bytes: Number(f[at('bytes')]), fileType: f[at('file_type')] ?? '', takenAt: f[at('taken_at')] ?? '' };
  });
}

export const corpusFile = (rel: string): string => path.join(CORPUS, rel);

export async function sha1File(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A stand-in for the media worker's capture date: the manifest's independent value for the file's bytes. */
export function manifestCaptureDate(): (file: string) => Promise<CaptureDate | null> {
  const bySha1 = new Map<string, string>();
  const ready = (async () => {
    for (const row of corpusRows()) if (row.takenAt) bySha1.set(await sha1File(corpusFile(row.path)), row.takenAt);
  })();
  return async (file) => {
    await ready;
    const takenAt = bySha1.get(await sha1File(file));
    if (!takenAt) return null;
    const zone = /([+-])(\d{2}):(\d{2})$/.exec(takenAt);
    if (zone) {
      const offset = (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3]));
      return { takenAt: new Date(takenAt), offsetMinutes: offset };
    }
    // A wall-clock time without zone: that wall clock in UTC with offset 0 (as documented).
    return { takenAt: new Date(takenAt.endsWith('Z') ? takenAt : `${takenAt}Z`), offsetMinutes: 0 };
  };
}

export interface StoredRow extends NewUploadedAsset {
  id: string;
}

/** UploadRepository in memory, with the unique (owner, checksum) rule the database enforces. */
export class MemoryUploadRepository implements UploadRepository {
  readonly rows = new Map<string, StoredRow>();
  /** Optional hook to run before insert decides (e.g. to simulate a concurrent winner). */
  beforeInsert: ((asset: NewUploadedAsset) => Promise<void> | void) | null = null;

  async insert(asset: NewUploadedAsset): Promise<{ id: string; created: boolean }> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.beforeInsert?.(asset);
    const key = `${asset.ownerId}:${asset.checksum}`;
    const existing = this.rows.get(key);
    if (existing) return { id: existing.id, created: false };
    const id = randomUUID();
    this.rows.set(key, { ...asset, id });
    return { id, created: true };
  }

  async byChecksums(ownerId: string, checksums: readonly string[]): Promise<Map<string, string>> {
    await new Promise((resolve) => setImmediate(resolve));
    const out = new Map<string, string>();
    for (const c of checksums) {
      const row = this.rows.get(`${ownerId}:${c}`);
      if (row) out.set(c, row.id);
    }
    return out;
  }

  async knownPaths(): Promise<Set<string>> {
    return new Set([...this.rows.values()].map((r) => r.path));
  }

  assets(ownerId?: string): StoredRow[] {
    return [...this.rows.values()].filter((r) => ownerId === undefined || r.ownerId === ownerId);
  }
}

/** What the tests read back of a stored asset (all backends). */
export interface StoredAsset {
  id: string;
  ownerId: string;
  checksum: string;
  path: string;
  size: number;
  fileName: string;
  mimeType: string | null;
  format: string | null;
  type: string;
}

export type BackendKind = 'memory' | DatabaseKind;
export const BACKEND_KINDS: readonly BackendKind[] = ['memory', ...DATABASE_KINDS];

/** The UploadRepository the server runs on: the in-memory fake, or the real one on PGlite or Postgres. */
export interface Backend {
  kind: BackendKind;
  repository: UploadRepository;
  /** The fake, for tests that reach into it (memory only). */
  memory: MemoryUploadRepository | null;
  /** A user to own uploads (a real row on the databases). */
  newOwner(): Promise<string>;
  allAssets(): Promise<StoredAsset[]>;
  close(): Promise<void>;
}

export async function openBackend(kind: BackendKind): Promise<Backend> {
  if (kind === 'memory') {
    const memory = new MemoryUploadRepository();
    return {
      kind, repository: memory, memory,
      newOwner: async () => randomUUID(),
      allAssets: async () => memory.assets(),
      close: async () => undefined,
    };
  }
  const test = await openTestDatabase(kind, 'shoebox_uploads');
  const repositories = createRepositories(test.database);
  return {
    kind, repository: repositories.uploads, memory: null,
    newOwner: async () => (await repositories.users.create({ email: `${randomUUID()}@uploads.test`, name: 'Uploader', passwordHash: 'x', isAdmin: false })).id,
    allAssets: async () => {
      const found = await rows<{ id: string; owner_id: string; checksum: string; path: string; size: string | number; file_name: string; mime_type: string | null; format: string | null; type: string }>(
        test.database.db, sql`SELECT id, owner_id, checksum, path, size, file_name, mime_type, format, type FROM assets`);
      return found.map((r) => ({
        id: r.id, ownerId: r.owner_id, checksum: r.checksum, path: r.path, size: Number(r.size), fileName: r.file_name,
        mimeType: r.mime_type, format: r.format, type: r.type,
      }));
    },
    close: () => test.cleanup(),
  };
}

export interface TestServer {
  url: URL;
  port: number;
  uploads: UploadService;
  backend: Backend;
  /** The in-memory repository (memory backend only). */
  memory: MemoryUploadRepository | null;
  root: string;
  uploaded: Array<{ ownerId: string; assetId: string }>;
  newOwner(): Promise<string>;
  /** Assets stored through this server (its storage root), optionally of one owner. */
  assets(ownerId?: string): Promise<StoredAsset[]>;
  close(): Promise<void>;
}

/** The upload router on a tiny Express app; `x-test-owner` plays the auth middleware. */
export async function startServer(
  options: Partial<Omit<UploadDeps, 'repository'>> & { lingerMs?: number; backend?: Backend } = {},
): Promise<TestServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'shoebox-uploads-'));
  const backend = options.backend ?? (await openBackend('memory'));
  const ownBackend = options.backend === undefined;
  const uploaded: Array<{ ownerId: string; assetId: string }> = [];
  const logger = pino({ level: process.env['UPLOAD_TEST_LOG'] ?? 'silent' });
  const uploads = await createUploadService({
    storageRoot: root,
    maxBytes: 50 * 1024 * 1024,
    onUploaded: (ownerId, assetId) => {
      uploaded.push({ ownerId, assetId });
    },
    logger,
    ...options,
    repository: backend.repository,
  });
  await uploads.sweepTemp();
  const realRoot = uploads.storage.root;
  const app = express();
  app.use((req, res, next) => {
    const owner = req.headers['x-test-owner'];
    if (typeof owner === 'string') res.locals['ctx'] = { ownerId: owner };
    next();
  });
  app.use(createUploadRouter({ uploads, logger, lingerMs: options.lingerMs }));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: new URL(`http://127.0.0.1:${port}/api/assets/upload`),
    port, uploads, backend, memory: backend.memory, root: realRoot, uploaded,
    newOwner: () => backend.newOwner(),
    assets: async (ownerId) =>
      (await backend.allAssets()).filter((a) => a.path.startsWith(realRoot + path.sep) && (ownerId === undefined || a.ownerId === ownerId)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
      if (ownBackend) await backend.close();
    },
  };
}

export type FilePart = { field?: string; name: string; contentType?: string; source: Buffer | string | (() => AsyncIterable<Buffer>) ; size?: number };

export interface Form {
  fields?: Record<string, string>;
  /** Fields sent after the file part. */
  trailingFields?: Record<string, string>;
  files?: FilePart[];
}

const quote = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** A streaming multipart body and its length (when every part's size is known). */
export function multipart(form: Form, boundary = `----shoebox${randomUUID()}`): { body: Readable; contentType: string; length: number | null } {
  const fieldPart = (name: string, value: string): Buffer =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`);
  const head = Buffer.concat(Object.entries(form.fields ?? {}).map(([k, v]) => fieldPart(k, v)));
  const tail = Buffer.concat([
    ...Object.entries(form.trailingFields ?? {}).map(([k, v]) => fieldPart(k, v)),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  let length: number | null = head.length + tail.length;
  const fileHeads = (form.files ?? []).map((f) => {
    const h = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(f.field ?? 'file')}"; filename="${quote(f.name)}"\r\n` +
      `Content-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
    );
    const size = Buffer.isBuffer(f.source) ? f.source.length : typeof f.source === 'string' ? null : f.size ?? null;
    length = length === null || size === null ? null : length + h.length + size + 2;
    return h;
  });
  const files = form.files ?? [];
  async function* generate(): AsyncGenerator<Buffer> {
    yield head;
    for (const [i, f] of files.entries()) {
      yield fileHeads[i]!;
      if (Buffer.isBuffer(f.source)) yield f.source;
      else if (typeof f.source === 'string') for await (const c of createReadStream(f.source)) yield c as Buffer;
      else yield* f.source();
      yield Buffer.from('\r\n');
    }
    yield tail;
  }
  return { body: Readable.from(generate(), { objectMode: false }), contentType: `multipart/form-data; boundary=${boundary}`, length };
}

/** The size of a corpus or temp file, for Content-Length. */
export async function sizeOf(file: string): Promise<number> {
  const s: Stats = await stat(file);
  return s.size;
}

export interface Answer {
  status: number;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

/** POSTs a body over a fresh connection; `length: null` sends it chunked. */
export function post(
  url: URL,
  options: { owner?: string | undefined; body: Readable | Buffer; contentType: string; length?: number | null; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': options.contentType, ...options.headers };
    if (options.owner) headers['x-test-owner'] = options.owner;
    const length = options.length ?? (Buffer.isBuffer(options.body) ? options.body.length : null);
    if (length !== null) headers['content-length'] = String(length);
    const req = http.request(url, { method: 'POST', headers, agent: false });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (Buffer.isBuffer(options.body)) req.end(options.body);
    else {
      options.body.on('error', (e) => req.destroy(e));
      options.body.pipe(req);
    }
  });
}

/** Uploads a corpus file (or any file on disk) as the `file` part. */
export async function uploadFile(
  server: TestServer,
  owner: string,
  file: string,
  extra: { name?: string; fields?: Record<string, string> } = {},
): Promise<Answer> {
  const form = multipart({ fields: extra.fields ?? {}, files: [{ name: extra.name ?? path.basename(file), source: file, size: await sizeOf(file) }] });
  return post(server.url, { owner, body: form.body, contentType: form.contentType, length: form.length });
}

/** Every file below `dir` (relative paths), or [] when it does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  await walk(dir);
  return out.sort();
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `total` bytes that sniff as JPEG (its markers, then random data), hashed as they are made. */
export async function* randomJpeg(total: number, hash: Hash): AsyncGenerator<Buffer> {
  const header = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  hash.update(header);
  yield header;
  let sent = header.length;
  while (sent < total) {
    const chunk = randomBytes(Math.min(1024 * 1024, total - sent));
    hash.update(chunk);
    sent += chunk.length;
    yield chunk;
  }
}

/** startServer for a test file: every server it started is closed after each test. */
export function trackedServers(): (options?: Parameters<typeof startServer>[0]) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const s = await startServer(options);
    servers.push(s);
    return s;
  };
}
