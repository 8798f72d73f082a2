// `shoebox serve --port 0 --no-scan` as a child process for the benchmarks: waits for the URL it
// prints (with its per-launch token), and fetches with the token as a bearer header.
import { spawn } from 'node:child_process';
import { CLI } from './bench-utils.ts';

export interface ServeProcess {
  origin: string;
  /** The printed URL, `?token=…` included: opening it sets the session cookie. */
  url: string;
  fetch(pathname: string): Promise<Response>;
  close(): Promise<void>;
}

export function startServe(data: string, timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, '--data', data, 'serve', '--port', '0', '--no-scan'], {
    env: { ...process.env, SHOEBOX_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(kill);
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      void close();
      reject(new Error(`shoebox serve ${why}: ${stderr.trim().slice(-1000)}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    const early = (code: number | null): void => fail(`exited ${code}`);
    child.once('exit', early);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').slice(0, -1).find((l) => l.startsWith('http://127.0.0.1:')); // whole lines only
      if (!line) return;
      clearTimeout(timer);
      child.off('exit', early);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      const url = new URL(line.trim());
      const token = url.searchParams.get('token') ?? '';
      resolve({
        origin: url.origin,
        url: url.href,
        fetch: (pathname) => fetch(new URL(pathname, url.origin), { headers: { authorization: `Bearer ${token}` } }),
        close,
      });
    });
  });
}
