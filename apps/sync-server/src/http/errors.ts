// The one error shape on the wire: every failure (a thrown AppError, a body-parser refusal, an
// unknown path, a database refusal of a value, an unexpected crash) leaves as the contract's
// ErrorBody with its code's status.
import type { NextFunction, Request, Response } from 'express';
import { AppError, toErrorBody } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { RateLimitedError } from '../auth/auth.errors.ts';

/**
 * A database refusal that is the request's fault as the contract's error (a safety net behind the
 * schemas): Postgres 22008, a date outside what it stores, is a 400. The drivers' errors may come
 * wrapped (drizzle's query error keeps them as `cause`). Anything else is passed on as it is.
 */
export function fromDatabaseError(error: unknown): unknown {
  let e = error;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++, e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '22008') {
      return new AppError('VALIDATION_FAILED', 'a date is outside what the server can store (the years 0001 to 9999)');
    }
  }
  return error;
}

export function sendError(res: Response, error: unknown, log: Logger): void {
  const { status, body } = toErrorBody(fromDatabaseError(error));
  if (status >= 500) log.error({ err: error }, 'request failed');
  if (res.headersSent) {
    // A stream broke half-way: nothing can be said any more, the client sees a cut answer.
    res.destroy();
    return;
  }
  if (error instanceof RateLimitedError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  res.status(status).json(body);
}

export function notFound(log: Logger) {
  return (req: Request, res: Response): void =>
    sendError(res, new AppError('NOT_FOUND', `no route for ${req.method} ${req.originalUrl.split('?')[0]}`), log);
}

/** Express's own errors (body parsing, bad URLs) in the contract's shape; last in the chain. */
export function errorMiddleware(log: Logger) {
  return (error: Error & { type?: string; status?: number; statusCode?: number }, _req: Request, res: Response, _next: NextFunction): void => {
    const status = error.status ?? error.statusCode;
    if (error instanceof AppError) return sendError(res, error, log);
    if (error.type === 'entity.parse.failed') return sendError(res, new AppError('BAD_REQUEST', 'malformed JSON body'), log);
    if (error.type === 'entity.too.large') return sendError(res, new AppError('PAYLOAD_TOO_LARGE', 'request body too large'), log);
    if (error.type === 'charset.unsupported' || error.type === 'encoding.unsupported') {
      return sendError(res, new AppError('UNSUPPORTED_MEDIA_TYPE', error.message), log);
    }
    if (status === 413) return sendError(res, new AppError('PAYLOAD_TOO_LARGE', 'request body too large'), log);
    if (status !== undefined && status >= 400 && status < 500) return sendError(res, new AppError('BAD_REQUEST', error.message), log);
    sendError(res, error, log);
  };
}
