// A GET for model downloads over node:http(s), following redirects. (fetch's undici parser trips
// an internal assertion when a server closes the connection while the body is paused for the
// disk: HTTP/1.0 servers such as a LAN `python -m http.server` mirror do.)
import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  body: AsyncIterable<Buffer> & { cancel(): Promise<void> };
}

const MAX_REDIRECTS = 5;

export function httpGet(url: string, headers: Record<string, string>, signal: AbortSignal, redirects = 0): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
    if (!client) return reject(new Error(`unsupported URL: ${url}`));
    const req = client.get(target, { headers, signal }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new Error(`too many redirects from ${url}`));
        httpGet(new URL(location, target).toString(), headers, signal, redirects + 1).then(resolve, reject);
        return;
      }
      const body = Object.assign(res as AsyncIterable<Buffer>, {
        cancel: async (): Promise<void> => {
          res.destroy();
        },
      });
      resolve({
        status,
        statusText: res.statusMessage ?? '',
        headers: {
          get: (name: string) => {
            const v = res.headers[name.toLowerCase()];
            return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
          },
        },
        body,
      });
    });
    req.on('error', reject);
  });
}
