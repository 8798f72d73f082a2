// Runs the real `shoebox` CLI as a child process, the way users and CI run it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const APP_DIR = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(APP_DIR, 'src', 'cli', 'shoebox.ts');
// Real path: the engine stores canonical paths, so a symlinked checkout must compare the same way.
export const CORPUS = fs.realpathSync(path.resolve(APP_DIR, '..', '..', '..', 'shared', 'corpus'));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `shoebox-${prefix}-`));
}

export function shoebox(data: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, '--data', data, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SHOEBOX_LOG_LEVEL: 'error', ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI and fails loudly (with its stderr) when it does not exit 0. */
export function shoeboxOk(data: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = shoebox(data, args, env);
  if (r.status !== 0) throw new Error(`shoebox ${args.join(' ')} exited ${r.status}\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

export function spawnShoebox(data: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [CLI, '--data', data, ...args], {
    env: { ...process.env, SHOEBOX_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface AssetJson {
  id: string;
  path: string;
  type: 'image' | 'video';
  checksum: string;
  takenAt: string;
  takenAtSource: string;
  width: number | null;
  height: number | null;
  orientation: number | null;
  latitude: number | null;
  longitude: number | null;
  make: string | null;
  model: string | null;
  lens: string | null;
  duration: number | null;
  livePhotoVideo: string | null;
  motionPhoto: boolean;
  duplicateOf: string | null;
  status: 'ok' | 'failed' | 'pending';
  error: string | null;
  offline: boolean;
  sidecars: string[];
  rating: number | null;
  description: string | null;
  keywords: string[];
  thumbnailPath: string | null;
  previewPath: string | null;
  videoPath: string | null;
  videoState: 'original' | 'transcoded' | 'failed' | null;
  thumbhash: string | null;
  thumbnailSize: [number, number] | null;
  previewSize: [number, number] | null;
  derivativeErrors: { thumbnail: string | null; preview: string | null; video: string | null };
}

export function assets(data: string, extra: string[] = []): AssetJson[] {
  return JSON.parse(shoeboxOk(data, ['assets', '--json', ...extra])) as AssetJson[];
}
