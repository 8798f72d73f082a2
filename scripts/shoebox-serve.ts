// `shoebox serve --port 0 --no-scan` as a child process, run by path: waits for the URL it prints
// (with its per-launch token) and fetches with the token as a bearer header. One copy shared by the
// desktop tests, the benchmarks and the UI's end-to-end tests, which may not import each other.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '..');
export const CLI = path.join(REPO, 'apps', 'desktop', 'src', 'cli', 'shoebox.ts');

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

export interface ServeOptions {
  /** Extra environment; logs default to errors only. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function startShoeboxServe(data: string, opts: ServeOptions = {}): Promise<ShoeboxServer> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [CLI, '--data', data, 'serve', '--port', '0', '--no-scan'], {
    env: { ...process.env, SHOEBOX_LOG_LEVEL: 'error', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
      // Whole lines only: a chunk may end in the middle of the URL.
      const line = stdout.split('\n').slice(0, -1).find((l) => l.startsWith('http://127.0.0.1:'));
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
