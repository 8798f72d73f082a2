// The engine's HTTP server: the contract under /api and the UI build, bound to loopback, all of it
// guarded by the token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { AppError } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.ts';
import { LOCAL_OWNER } from '../engine/engine.ts';
import { buildOpenApiDocument } from './openapi.document.ts';
import { contractRouter, errorMiddleware, sendError } from './contract.router.ts';
import { tokenAuth } from './token-auth.ts';
import { defaultUiDir, uiRouter } from './ui-static.ts';
import { env } from '../env.ts';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function createApp(engine: Engine, token: string, log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on API answers: hashing a month of the timeline (650 kB) on every request costs more
  // than it saves, and the UI never revalidates them. Static files keep theirs (serve-static).
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  // DNS rebinding: a page on another origin that resolves its name to 127.0.0.1 is refused.
  app.use((req, res, next) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return next();
    sendError(res, new AppError('FORBIDDEN', 'requests must be addressed to 127.0.0.1'), log);
  });
  app.use(tokenAuth(token));
  app.use(express.json({ limit: '1mb' }));
  app.get('/api/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument());
  });
  app.use(contractRouter(engine.handlers, () => ({ ownerId: LOCAL_OWNER }), log));
  const notFound = (req: express.Request, res: express.Response): void =>
    sendError(res, new AppError('NOT_FOUND', `no route for ${req.method} ${req.originalUrl.split('?')[0]}`), log);
  app.use('/api', notFound);
  app.use(uiRouter(env().SHOEBOX_UI_DIR ?? defaultUiDir()));
  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}

export function startServer(engine: Engine, opts: { port: number; token: string; log: Logger }): Promise<RunningServer> {
  const app = createApp(engine, opts.token, opts.log);
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/?token=${opts.token}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
