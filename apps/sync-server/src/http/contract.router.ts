// Mounts the whole API table (the shared routes and the server's own) on Express: each route behind
// its access gate, every input parsed by the route's schemas (400 VALIDATION_FAILED with details),
// JSON answers with the route's status, file answers streamed from inside the storage roots, and
// the session cookie set or cleared by the routes that start or end a session.
import express, { type Request, type Response, type Router } from 'express';
import {
  apiRoutes, isFileRoute, routes, validationError,
  type ApiRouteKey, type FileResult, type LoginResult, type RequestContext, type RouteHandlers, type RouteSpec, type ServerRouteHandlers,
} from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AuthService } from '../auth/auth.service.ts';
import { clearSessionCookie, clientOf, setSessionCookie, type AuthGate, type AuthLocals } from './auth.middleware.ts';
import { sendError } from './errors.ts';
import { sendFileResult, type StorageRoots } from './file-response.ts';
import { accessOf } from './route-policy.ts';
import type { HttpExtras } from './server.handlers.ts';

type AnyHandler = (input: unknown, ctx: RequestContext, http: HttpExtras) => Promise<unknown>;

export function expressPath(p: string): string {
  return p.replace(/\{(\w+)\}/g, ':$1');
}

function parse(schema: z.ZodType | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) return where === 'body' ? undefined : {};
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationError(where, result.error.issues);
  return result.data;
}

/** Public routes called anonymously get a context that owns nothing. */
const ANONYMOUS: RequestContext = Object.freeze({ ownerId: '' });

export interface ContractRouterOptions {
  shared: RouteHandlers;
  server: ServerRouteHandlers;
  gate: AuthGate;
  auth: AuthService;
  roots: StorageRoots;
  log: Logger;
}

/** What a route does to the session cookie after it succeeded. */
function cookieEffect(key: ApiRouteKey, req: Request, res: Response, input: { params: unknown }, output: unknown, ctx: RequestContext, auth: AuthService): void {
  if (key === 'login' || key === 'onboard') {
    const result = output as LoginResult;
    setSessionCookie(req, res, result.token, result.expiresAt, auth.now());
  } else if (key === 'logout') {
    clearSessionCookie(req, res);
  } else if (key === 'revokeSession' && ctx.sessionId && (input.params as { id: string }).id === ctx.sessionId) {
    clearSessionCookie(req, res);
  }
}

export function contractRouter(o: ContractRouterOptions): Router {
  const router = express.Router();
  for (const [key, route] of Object.entries(apiRoutes) as [ApiRouteKey, RouteSpec][]) {
    if (route.upload) continue; // multipart: streamed by the upload router
    const handler = (key in routes ? o.shared[key as keyof RouteHandlers] : o.server[key as keyof ServerRouteHandlers]) as unknown as AnyHandler;
    router[route.method](expressPath(route.path), o.gate.require(accessOf(key)), async (req: Request, res: Response) => {
      try {
        const input = {
          params: parse(route.params, req.params, 'params'),
          query: parse(route.query, req.query, 'query'),
          body: parse(route.body, req.body, 'body'),
        };
        const locals = res.locals as AuthLocals;
        const ctx = locals.ctx ?? ANONYMOUS;
        const output = await handler(input, ctx, { client: clientOf(req), caller: locals.caller ?? null });
        if (isFileRoute(route)) return await sendFileResult(req, res, output as FileResult, o.roots, o.log);
        cookieEffect(key, req, res, input, output, ctx, o.auth);
        res.status(route.status ?? 200).json(output);
      } catch (error) {
        sendError(res, error, o.log);
      }
    });
  }
  return router;
}
