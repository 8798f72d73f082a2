// Shared by the watcher and scanner tests: engines on temporary folders (closed and deleted after
// each test), small JPEGs with distinct content, the catalog's rows, and polling with a deadline
// instead of fixed sleeps (the machine may be slow).
import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { afterEach } from 'vitest';
import { Engine, type EngineOptions } from '../../src/engine/engine.ts';
import { CORPUS, tempDir as makeTempDir } from './cli.ts';

const BASE_JPEG = fs.readFileSync(path.join(CORPUS, 'jpeg/cameras-small/Fujifilm_FinePix_E500.jpg'));

/** A small JPEG with distinct content: the corpus file with a unique trailer after its end. */
export function jpeg(tag: string): Buffer {
  return Buffer.concat([BASE_JPEG, Buffer.from(`shoebox-watch-test ${tag}`)]);
}

export interface Row {
  id: string;
  path: string;
  checksum: string;
  status: string;
  offline: number;
  duplicateOf: string | null;
}

const opened: Engine[] = [];
const made: string[] = [];

/** Registers the clean-up: call once at the top of a test file. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((e) => e.close()));
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

export function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  made.push(dir);
  return dir;
}

export const silent: Logger = pino({ level: 'silent' });

export function openEngine(opts: Partial<EngineOptions> = {}): Engine {
  const engine = new Engine({ dataDir: tempDir('watch-data'), mode: 'headless', log: silent, workers: 1, ...opts });
  opened.push(engine);
  return engine;
}

export function rows(engine: Engine): Row[] {
  return engine.catalog.sqlite
    .prepare(`SELECT id, path, checksum, status, offline, duplicate_of AS duplicateOf FROM assets ORDER BY path`)
    .all() as Row[];
}

export function at(engine: Engine, p: string): Row | undefined {
  return rows(engine).find((r) => r.path === p);
}

/** Polls until `check` answers something truthy; fails naming what it waited for. */
export async function until<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
