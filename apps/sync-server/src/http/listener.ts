// The HTTP listener and its drain: counts requests in flight, and on close stops accepting, lets
// the requests in flight finish (idle keep-alive connections are closed as they go quiet), and after
// a bounded wait cuts whatever is left.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { RequestListener } from 'node:http';

export interface Listener {
  server: http.Server;
  port: number;
  /** Requests being answered right now. */
  inFlight(): number;
  /** Stops accepting and waits up to `timeoutMs` for requests in flight; `forced` when some were cut. */
  close(timeoutMs: number): Promise<{ forced: boolean }>;
}

export function listen(app: RequestListener, host: string, port: number): Promise<Listener> {
  const server = http.createServer(app);
  // Slow or stalled clients must not hold a socket for ever; uploads of large files are long but
  // not idle (the upload service has its own idle timeout).
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  let active = 0;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    active++;
    res.once('close', () => {
      active--;
    });
  });
  let closing: Promise<{ forced: boolean }> | undefined;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        server,
        port: address.port,
        inFlight: () => active,
        close: (timeoutMs) =>
          (closing ??= new Promise((done) => {
            let forced = false;
            const sweep = setInterval(() => server.closeIdleConnections(), 100);
            const deadline = setTimeout(() => {
              forced = true;
              server.closeAllConnections();
            }, timeoutMs);
            server.close(() => {
              clearInterval(sweep);
              clearTimeout(deadline);
              done({ forced });
            });
            server.closeIdleConnections();
          })),
      });
    });
  });
}

/** Every address the server can be reached at: each non-internal IPv4 and loopback for a wildcard host. */
export function reachableUrls(host: string, port: number): string[] {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  if (!wildcard) return [`http://${host.includes(':') ? `[${host}]` : host}:${port}`];
  const addresses: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) if (info.family === 'IPv4' && !info.internal) addresses.push(info.address);
  }
  addresses.push('127.0.0.1');
  return [...new Set(addresses)].map((a) => `http://${a}:${port}`);
}
