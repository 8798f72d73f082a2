// Mounts the contract's route table on Express: every input is parsed with the route's schemas,
// handlers are the typed map from core, file answers are streamed with Range support, and every
// error leaves in the contract's one error shape.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import {
  AppError, isFileRoute, routes, toErrorBody, validationError,
  type FileResult, type RequestContext, type RouteHandlers, type RouteSpec,
} from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { z } from 'zod';

function expressPath(p: string): string {
  return p.replace(/\{(\w+)\}/g, ':$1');
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return where === 'body' ? undefined : {};
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationError(where, result.error.issues);
  return result.data;
}

export function sendError(res: Response, error: unknown, log: Logger): void {
  const { status, body } = toErrorBody(error);
  if (status >= 500) log.error({ err: error }, 'request failed');
  if (!res.headersSent) res.status(status).json(body);
  else res.end();
}

function sendFile(req: Request, res: Response, file: FileResult, log: Logger): void {
  res.setHeader('Content-Type', file.contentType);
  if (file.download) res.attachment(file.fileName ?? 'download');
  else if (file.fileName) res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  res.sendFile(
    file.filePath,
    { maxAge: (file.cacheSeconds ?? 0) * 1000, dotfiles: 'allow', acceptRanges: true, lastModified: true },
    (error?: Error & { status?: number; statusCode?: number; code?: string }) => {
      if (!error) return;
      const status = error.status ?? error.statusCode;
      if (status === 416) return sendError(res, new AppError('RANGE_NOT_SATISFIABLE', 'the requested range is outside the file'), log);
      if (error.code === 'ENOENT' || status === 404) return sendError(res, new AppError('FILE_OFFLINE', 'the file is no longer on disk'), log);
      if (error.code === 'ECONNABORTED' || (req.socket.destroyed ?? false)) return;
      sendError(res, error, log);
    },
  );
}

export function contractRouter(handlers: RouteHandlers, ctxOf: (req: Request) => RequestContext, log: Logger): Router {
  const router = express.Router();
  for (const [key, route] of Object.entries(routes) as [keyof RouteHandlers, RouteSpec][]) {
    const handler = handlers[key] as (input: unknown, ctx: RequestContext) => Promise<unknown>;
    router[route.method](expressPath(route.path), async (req: Request, res: Response) => {
      try {
        const input = {
          params: parse(route.params, req.params, 'params'),
          query: parse(route.query, req.query, 'query'),
          body: parse(route.body, req.body, 'body'),
        };
        const output = await handler(input, ctxOf(req));
        if (isFileRoute(route)) return sendFile(req, res, output as FileResult, log);
        res.status(route.status ?? 200).json(output);
      } catch (error) {
        sendError(res, error, log);
      }
    });
  }
  return router;
}

/** Turns body-parser failures (bad JSON, too large) into the contract's error shape. */
export function errorMiddleware(log: Logger) {
  return (error: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction): void => {
    if (error.type === 'entity.parse.failed') return sendError(res, new AppError('BAD_REQUEST', `malformed JSON body: ${error.message}`), log);
    if (error.type === 'entity.too.large') return sendError(res, new AppError('PAYLOAD_TOO_LARGE', 'request body too large'), log);
    if (error.status && error.status >= 400 && error.status < 500) return sendError(res, new AppError('BAD_REQUEST', error.message), log);
    sendError(res, error, log);
  };
}
