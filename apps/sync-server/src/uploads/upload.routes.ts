// The upload route (`uploadAsset`, POST /api/assets/upload) on Express: mounted before any body
// parser, it streams the multipart body itself. The caller comes from `res.locals.ctx` (set by
// the auth middleware); every error leaves in the contract's one error shape.
import express, { type Request, type Response, type Router } from 'express';
import { AppError, serverRoutes, toErrorBody, type RequestContext } from '@shoebox/core/contract';
import { pino, type Logger } from 'pino';
import { fromDatabaseError } from '../http/errors.ts';
import { tooLarge } from './multipart-receiver.ts';
import type { UploadService } from './upload.service.ts';

export interface UploadRouterDeps {
  uploads: UploadService;
  logger?: Logger | undefined;
  /**
   * After an early error answer (413, 400, 503, ...) the rest of the body is read and discarded
   * for this long so the client gets the answer instead of a reset; then the connection is closed.
   * Default 10 s.
   */
  lingerMs?: number | undefined;
}

/** Room for the multipart framing and text fields when comparing Content-Length with the limit. */
const FORM_OVERHEAD = 256 * 1024;

/** The client went away: nothing to answer. */
class ClientGone extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ClientGone';
  }
}

export function createUploadRouter(deps: UploadRouterDeps): Router {
  const { uploads } = deps;
  const log = (deps.logger ?? pino({ level: 'silent' })).child({ route: 'uploadAsset' });
  const lingerMs = deps.lingerMs ?? 10_000;
  const router = express.Router();

  const fail = (req: Request, res: Response, error: unknown): void => {
    if (error instanceof ClientGone) return;
    const { status, body } = toErrorBody(fromDatabaseError(error));
    if (status >= 500 && status !== 503) log.error({ err: error }, 'upload failed');
    else log.debug({ code: body.error.code }, 'upload refused');
    if (res.headersSent || res.destroyed) return;
    if (status === 503) res.setHeader('Retry-After', '10');
    const lingering = !req.complete && !req.destroyed;
    let closeAfter = false;
    if (lingering) {
      // Node would close a `Connection: close` exchange as soon as the answer is written, while the
      // client is still sending: the unread bytes make the kernel reset the connection and the
      // client may never read the answer. We close it ourselves once the body is read (or later).
      closeAfter = /\bclose\b/i.test(String(res.getHeader('Connection') ?? '')) || /\bclose\b/i.test(req.headers.connection ?? '');
      res.removeHeader('Connection');
      res.shouldKeepAlive = true;
    }
    res.status(status).json(body);
    if (lingering) discardRest(req, lingerMs, closeAfter);
  };

  router.post(serverRoutes.uploadAsset.path, async (req: Request, res: Response) => {
    const ctx = res.locals['ctx'] as RequestContext | undefined;
    if (!ctx || typeof ctx.ownerId !== 'string' || ctx.ownerId === '') {
      return fail(req, res, new AppError('UNAUTHORIZED', 'sign in to upload'));
    }
    if (uploads.closing) return fail(req, res, new AppError('SERVICE_UNAVAILABLE', 'the server is shutting down'));
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > uploads.maxBytes + FORM_OVERHEAD) {
      return fail(req, res, tooLarge(uploads.maxBytes));
    }

    const gone = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) gone.abort(new ClientGone());
    };
    res.on('close', onClose);
    try {
      const outcome = await uploads.upload(ctx.ownerId, req, gone.signal);
      if (res.destroyed) return;
      res.status(outcome.created ? 201 : 200).json(outcome.result);
    } catch (error) {
      fail(req, res, error);
    } finally {
      res.off('close', onClose);
    }
  });
  return router;
}

/**
 * Reads and drops what is left of the request body (so the client sees the answer rather than
 * a connection reset); the connection is cut if that takes longer than `lingerMs`, and closed
 * gracefully at the end of the body when `closeAfter`.
 */
function discardRest(req: Request, lingerMs: number, closeAfter: boolean): void {
  const socket = req.socket;
  req.unpipe();
  req.on('error', () => undefined);
  req.resume();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  req.once('end', () => {
    clearTimeout(timer);
    if (closeAfter) socket.end();
  });
  socket.once('close', () => clearTimeout(timer));
}
