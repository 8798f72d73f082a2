// The sync server's Express app: security headers, health, the API (auth gate, upload router,
// JSON contract routes, one error shape, 404 for unknown /api paths) and the web app with its SPA
// fallback. Built from its dependencies only: no environment, no database driver, no listening.
import express, { type Request, type Response, type Router } from 'express';
import { AppError, serverRoutes, type RouteHandlers } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { AuthService } from './auth/auth.service.ts';
import type { UserAdminService } from './auth/user-admin.service.ts';
import type { UploadRepository } from './ports/server.ports.ts';
import { createAuthGate, sameOriginGuard } from './http/auth.middleware.ts';
import { contractRouter } from './http/contract.router.ts';
import { errorMiddleware, notFound, sendError } from './http/errors.ts';
import { StorageRoots } from './http/file-response.ts';
import { healthRouter, type Readiness } from './http/health.router.ts';
import { accessOf, withServerOverrides } from './http/route-policy.ts';
import { securityHeaders } from './http/security-headers.ts';
import { createServerHandlers } from './http/server.handlers.ts';
import { uiRouter } from './http/ui-static.ts';

export interface AppDeps {
  log: Logger;
  auth: AuthService;
  userAdmin: UserAdminService;
  /** The shared route handlers (core's createApiHandlers); the server's overrides are applied here. */
  handlers: RouteHandlers;
  /** For the bulk checksum check. */
  uploads: Pick<UploadRepository, 'byChecksums'>;
  /** Streams POST /api/assets/upload; reads the caller from `res.locals.ctx`. Absent: the route answers 503. */
  uploadRouter?: Router | undefined;
  /** Folders files may be served from (storage, derivatives); anything else is refused. */
  storageRoots: readonly string[];
  /** The web app's build; null serves no web app. */
  uiDir: string | null;
  readiness: Readiness;
  /** Express `trust proxy` (off unless a reverse proxy is named). */
  trustProxy?: false | number | string | undefined;
  /** Largest JSON body (default 1 MB). */
  jsonLimit?: string | undefined;
}

export function createApp(deps: AppDeps): express.Express {
  const { log } = deps;
  const app = express();
  app.disable('x-powered-by');
  // No ETag on JSON answers: the web app never revalidates them, and hashing large ones costs
  // more than it saves. The setting stays "on" (a function that makes none) because res.sendFile
  // takes it as its switch: served files keep their cheap size-and-mtime ETags.
  app.set('etag', () => undefined);
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? false);

  app.use(securityHeaders());
  app.use((_req, res, next) => {
    // While draining, every answer closes its connection so the server can finish.
    if (deps.readiness.shuttingDown()) res.setHeader('Connection', 'close');
    next();
  });
  app.use(healthRouter(deps.readiness, log));

  const gate = createAuthGate(deps.auth, log);
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use('/api', sameOriginGuard(log));

  // The multipart upload, before any body parsing: its bytes are streamed to disk, never buffered.
  const uploadPath = serverRoutes.uploadAsset.path;
  app.post(uploadPath, gate.require(accessOf('uploadAsset')));
  if (deps.uploadRouter) app.use(deps.uploadRouter);
  else app.post(uploadPath, (_req: Request, res: Response) => sendError(res, new AppError('SERVICE_UNAVAILABLE', 'uploads are not available on this server yet'), log));

  app.use('/api', express.json({ limit: deps.jsonLimit ?? '1mb' }));
  app.use(
    contractRouter({
      shared: withServerOverrides(deps.handlers),
      server: createServerHandlers({ auth: deps.auth, userAdmin: deps.userAdmin, uploads: deps.uploads }),
      gate,
      auth: deps.auth,
      roots: new StorageRoots(deps.storageRoots),
      log,
    }),
  );
  app.use('/api', notFound(log));
  if (deps.uiDir) app.use(uiRouter(deps.uiDir));
  app.use(notFound(log));
  app.use(errorMiddleware(log));
  return app;
}
