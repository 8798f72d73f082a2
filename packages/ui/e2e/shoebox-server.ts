// The headless `shoebox` CLI as child processes, for the end-to-end tests: index a folder, and serve
// a data folder on a free port. Run by path: the ui may not import the desktop app's code. Both
// find the real face models of ../shared/models (no CLIP encoders there: smart search stays
// without its models, which the tests expect), unless SHOEBOX_MODELS_DIR says otherwise.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CLI, REPO, startShoeboxServe, type ShoeboxServer } from '../../../scripts/shoebox-serve.ts';

export { REPO, type ShoeboxServer };

export const MODELS_DIR = process.env.SHOEBOX_MODELS_DIR ?? path.resolve(REPO, '..', 'shared', 'models');

/** Runs one CLI command to the end; resolves with its stdout, rejects with its stderr. */
export function runShoebox(data: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--data', data, ...args], {
      env: { ...process.env, SHOEBOX_LOG_LEVEL: 'error', SHOEBOX_MODELS_DIR: MODELS_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`shoebox ${args.join(' ')} exited ${code ?? signal}\n${stderr.slice(-4000)}`));
    });
  });
}

/** `add` then `scan --wait`: the catalog plus every thumbnail, preview and transcode. */
export async function indexFolder(data: string, folder: string): Promise<void> {
  await runShoebox(data, ['add', folder]);
  await runShoebox(data, ['scan', '--wait']);
}

/** `serve --port 0 --no-scan` on a data folder that is already indexed. */
export function startServer(data: string, timeoutMs = 30_000): Promise<ShoeboxServer> {
  return startShoeboxServe(data, { timeoutMs, env: { SHOEBOX_MODELS_DIR: MODELS_DIR } });
}
