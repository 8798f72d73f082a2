// The headless `shoebox` CLI as child processes, for the end-to-end tests: index a folder, and serve
// a data folder on a free port. Run by path: the ui may not import the desktop app's code.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
export const CLI = path.join(REPO, 'apps', 'desktop', 'src', 'cli', 'shoebox.ts');

const QUIET = { SHOEBOX_LOG_LEVEL: 'error' };

function launch(data: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, '--data', data, ...args], {
    env: { ...process.env, ...QUIET },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs one CLI command to the end; resolves with its stdout, rejects with its stderr. */
export function runShoebox(data: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = launch(data, args);
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

export interface ShoeboxServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The URL `serve` prints, with `?token=…`: opening it sets the session cookie. */
  readonly url: string;
  readonly token: string;
  readonly dataDir: string;
  /** A request to the API (or any path) with the token as a bearer header. */
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  close(): Promise<void>;
}

/** `serve --port 0 --no-scan` on a data folder that is already indexed. */
export function startServer(data: string, timeoutMs = 30_000): Promise<ShoeboxServer> {
  const child = launch(data, ['serve', '--port', '0', '--no-scan']);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<ShoeboxServer>((resolve, reject) => {
    let stdout = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      void close();
      reject(new Error(`shoebox serve ${why}\n${stderr.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null): void => fail(`exited ${code ?? signal} before printing its URL`);
    child.once('exit', onEarlyExit);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').slice(0, -1).find((l) => l.startsWith('http://127.0.0.1:')); // whole lines only
      if (!line) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume(); // keep draining, or a chatty server would block on a full pipe
      const url = new URL(line.trim());
      const token = url.searchParams.get('token');
      if (!token) return fail(`printed a URL without a token: ${line}`);
      resolve({
        origin: url.origin,
        url: url.href,
        token,
        dataDir: data,
        fetch: (pathname, init = {}) => {
          const headers = new Headers(init.headers);
          headers.set('authorization', `Bearer ${token}`);
          return fetch(new URL(pathname, url.origin), { ...init, headers });
        },
        close,
      });
    });
  });
}
