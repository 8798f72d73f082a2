// Starts the whole sync server (startSyncServer: database, repositories, services, app, listener)
// on an ephemeral loopback port for a test file, on PGlite or on a fresh database of the machine's
// Postgres (127.0.0.1:5432), with a clock the test can move and a fast password hash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { argon2Hasher } from '../../src/auth/password.ts';
import { parseServerEnv } from '../../src/env.ts';
import { startSyncServer, type ServerSettings, type StartOptions, type SyncServer } from '../../src/server.ts';
import { ApiClient } from './api-client.ts';
import { DATABASE_KINDS, freshPostgres, type DatabaseKind } from './fresh-postgres.ts';

export type DbKind = DatabaseKind;
/** Every e2e suite runs on both. */
export const DATABASES: readonly DbKind[] = DATABASE_KINDS;

/** Argon2id with test-sized costs: the real parameters are checked in the unit tests. */
export const FAST_HASHER = argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

export interface TestServer {
  kind: DbKind;
  server: SyncServer;
  base: string;
  dataDir: string;
  /** An anonymous client. */
  api: ApiClient;
  clock: TestClock;
  /** Shuts the server down (if the test has not) and removes its database and data folder. */
  stop(): Promise<void>;
}

export interface TestServerOptions {
  settings?: Partial<ServerSettings>;
  start?: Partial<StartOptions>;
}

export async function startTestServer(kind: DbKind, o: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `shoebox-server-${kind}-`));
  const database = kind === 'postgres' ? await freshPostgres('shoebox_http') : null;
  let now = Date.now();
  const clock: TestClock = { now: () => new Date(now), advance: (ms) => void (now += ms) };
  const settings: ServerSettings = {
    ...parseServerEnv({}),
    HOST: '127.0.0.1',
    PORT: 0,
    SHOEBOX_SERVER_DATA: dataDir,
    DATABASE_URL: database?.url,
    SHOEBOX_MDNS: false,
    SHOEBOX_SHUTDOWN_SECONDS: 10,
    ...o.settings,
  };
  const log = pino({ level: process.env.SHOEBOX_TEST_LOG ?? 'silent' });
  let server: SyncServer;
  try {
    server = await startSyncServer(settings, { log, now: clock.now, hasher: FAST_HASHER, noUi: true, ...o.start });
  } catch (error) {
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const base = `http://127.0.0.1:${server.port}`;
  return {
    kind,
    server,
    base,
    dataDir,
    api: new ApiClient(base),
    clock,
    async stop() {
      await server.shutdown();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ADMIN = { email: 'admin@example.org', name: 'Admin', password: 'admin password 1' } as const;

/** Onboards the admin; answers a client signed in as them. */
export async function onboardAdmin(t: TestServer): Promise<{ api: ApiClient; token: string; userId: string }> {
  const result = await t.api.call('onboard', { body: ADMIN });
  return { api: t.api.as({ token: result.token }), token: result.token, userId: result.user.id };
}

/** Creates a user through the admin and signs them in. */
export async function createUser(t: TestServer, adminApi: ApiClient, email: string, isAdmin = false): Promise<{ api: ApiClient; token: string; userId: string }> {
  const password = `${email} password`;
  const user = await adminApi.call('createUser', { body: { email, name: email.split('@')[0]!, password, isAdmin } });
  const login = await t.api.call('login', { body: { email, password } });
  return { api: t.api.as({ token: login.token }), token: login.token, userId: user.id };
}
