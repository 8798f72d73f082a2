// Liveness and readiness for process managers and load balancers. /health answers 200 while the
// process runs; /ready answers 200 only while the database answers and no shutdown has begun.
import express, { type Router } from 'express';
import { AppError } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { sendError } from './errors.ts';

export interface Readiness {
  /** The database answers a trivial query. */
  databaseOk(): Promise<boolean>;
  shuttingDown(): boolean;
}

const PING_TIMEOUT_MS = 2_000;

async function withTimeout(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRouter(readiness: Readiness, log: Logger): Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (readiness.shuttingDown()) return sendError(res, new AppError('SERVICE_UNAVAILABLE', 'shutting down'), log);
    if (!(await withTimeout(readiness.databaseOk(), PING_TIMEOUT_MS))) {
      return sendError(res, new AppError('SERVICE_UNAVAILABLE', 'the database does not answer'), log);
    }
    if (readiness.shuttingDown()) return sendError(res, new AppError('SERVICE_UNAVAILABLE', 'shutting down'), log);
    res.json({ status: 'ready' });
  });
  return router;
}
