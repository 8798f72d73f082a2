// A local HTTP server for model download tests: serves a folder with Range support, redirects
// `/r/<path>` to `/<path>`, records every request, and injects faults on demand.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface Fault {
  /** Send the headers and this many body bytes, then stall until dropStalled(). */
  cutAfter?: number;
  /** Serve these bytes instead of the file (same headers). */
  body?: Buffer;
  /** Answer 200 with the whole file even when a range was asked for. */
  ignoreRange?: boolean;
}

export interface SeenRequest {
  path: string;
  range: string | undefined;
  status: number;
}

export interface ModelServer {
  url: string;
  requests: SeenRequest[];
  /** The next GET of this path (e.g. `/clip-vit-b32-text/text_model_quantized.onnx`) misbehaves once. */
  failNext(urlPath: string, fault: Fault): void;
  /** Drops the connections stalled by `cutAfter` (the client sees the body end too early). */
  dropStalled(): void;
  close(): Promise<void>;
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header);
  if (!m) return 'invalid';
  const start = Number(m[1]);
  const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  return start < size && start <= end ? { start, end } : 'invalid';
}

export async function startModelServer(root: string): Promise<ModelServer> {
  const requests: SeenRequest[] = [];
  const faults = new Map<string, Fault>();
  const stalled = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const seen: SeenRequest = { path: urlPath, range: req.headers.range, status: 0 };
    requests.push(seen);
    const send = (status: number, headers: http.OutgoingHttpHeaders = {}): void => {
      seen.status = status;
      res.writeHead(status, headers);
    };
    if (urlPath.startsWith('/r/')) {
      send(302, { location: urlPath.slice(2) });
      res.end();
      return;
    }
    const file = path.join(root, urlPath);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      send(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const fault = faults.get(urlPath) ?? {};
    faults.delete(urlPath);
    const data = fault.body ?? fs.readFileSync(file);
    const range = fault.ignoreRange ? null : parseRange(req.headers.range, data.length);
    if (range === 'invalid') {
      send(416, { 'content-range': `bytes */${data.length}` });
      res.end();
      return;
    }
    const body = range ? data.subarray(range.start, range.end + 1) : data;
    const headers: http.OutgoingHttpHeaders = { 'content-length': body.length, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${data.length}`;
    send(range ? 206 : 200, headers);
    if (fault.cutAfter === undefined) {
      res.end(body);
      return;
    }
    // The test drops the connection once the client has stored what was sent.
    res.write(body.subarray(0, fault.cutAfter));
    stalled.add(res);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (urlPath, fault) => faults.set(urlPath, fault),
    dropStalled: () => {
      for (const res of stalled) res.destroy();
      stalled.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
