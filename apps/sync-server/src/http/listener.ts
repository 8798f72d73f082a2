// The HTTP listener and its drain: counts requests in flight, closes connections the client leaves
// idle (a body that stopped arriving, an answer it does not read) and caps how many are open, and
// on close stops accepting, lets the requests in flight finish (idle keep-alive connections are
// closed as they go quiet), and after a bounded wait cuts whatever is left.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import type { RequestListener } from 'node:http';

export interface ListenOptions {
  /**
   * A connection with no traffic for this long is closed, unless the server is the one holding it
   * up (working on a request it has whole, or not reading a body it paused itself, as an upload
   * does for the disk). Keep it longer than the uploads' own idle timeout, so a stalled upload gets
   * its answer first. Default 130 s.
   */
  idleTimeoutMs?: number | undefined;
  /** Open connections at most; more are dropped (default 512: a household's phones and browsers). */
  maxConnections?: number | undefined;
}

export interface Listener {
  server: http.Server;
  port: number;
  /** Requests being answered right now. */
  inFlight(): number;
  /** Stops accepting and waits up to `timeoutMs` for requests in flight; `forced` when some were cut. */
  close(timeoutMs: number): Promise<{ forced: boolean }>;
}

export function listen(app: RequestListener, host: string, port: number, options: ListenOptions = {}): Promise<Listener> {
  const server = http.createServer(app);
  const idleTimeoutMs = options.idleTimeoutMs ?? 130_000;
  // Slow or stalled clients must not hold a socket for ever; uploads of large files are long but
  // not idle, so there is no overall request deadline, only the idle timeout below.
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  server.timeout = idleTimeoutMs;
  server.maxConnections = options.maxConnections ?? 512;
  let active = 0;
  const exchanges = new WeakMap<Socket, { req: http.IncomingMessage; res: http.ServerResponse }>();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    active++;
    exchanges.set(req.socket, { req, res });
    res.once('close', () => {
      active--;
      if (exchanges.get(req.socket)?.res === res) exchanges.delete(req.socket);
    });
  });
  // A quiet connection (this also ends idle keep-alive ones): cut when the client holds it up,
  // looked at again later when the server does.
  server.on('timeout', (socket: Socket) => {
    const x = exchanges.get(socket);
    if (x && !x.res.writableNeedDrain && (x.req.complete || x.req.readableFlowing === false)) socket.setTimeout(idleTimeoutMs);
    else socket.destroy();
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
