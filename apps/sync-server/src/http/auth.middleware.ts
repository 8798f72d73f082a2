// Who is calling, for every /api request: a session token or API key from `Authorization: Bearer`,
// an API key from `x-api-key`, or the web app's HttpOnly `shoebox_session` cookie. The caller lands
// in `res.locals.ctx` (a RequestContext) for the handlers and the upload router; each route's gate
// refuses a missing, expired or revoked credential (401) and a non-admin on admin routes (403).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError, type RequestContext } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { contextOf, type AuthService, type Caller, type ClientInfo } from '../auth/auth.service.ts';
import { unauthorized } from '../auth/auth.errors.ts';
import type { Access } from './route-policy.ts';
import { sendError } from './errors.ts';

export const SESSION_COOKIE = 'shoebox_session';

/** What the gate leaves on `res.locals` for the rest of the request. */
export interface AuthLocals {
  /** The signed-in caller; absent on a public route called anonymously. */
  ctx?: RequestContext;
  caller?: Caller | null;
}

interface Credential {
  secret: string;
  kind: 'session' | 'api-key' | 'either';
  source: 'header' | 'cookie';
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The request's credential: the headers first (an explicit client), then the web app's cookie. */
function credentialOf(req: Request): Credential | null {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    return { secret: m?.[1] ?? '', kind: 'either', source: 'header' };
  }
  const apiKey = req.headers['x-api-key'];
  if (typeof apiKey === 'string') return { secret: apiKey.trim(), kind: 'api-key', source: 'header' };
  const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (cookie !== undefined) return { secret: cookie, kind: 'session', source: 'cookie' };
  return null;
}

export function clientOf(req: Request): ClientInfo {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: typeof ua === 'string' && ua.length > 0 ? ua : null };
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: string, now: Date): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: req.secure,
    maxAge: Math.max(0, Date.parse(expiresAt) - now.getTime()),
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure });
}

export interface AuthGate {
  /** The caller of this request (looked up once per request); null when anonymous or refused. */
  resolve(req: Request, res: Response): Promise<Caller | null>;
  /** Middleware that lets the request through only at this access level, setting `res.locals.ctx`. */
  require(access: Access): RequestHandler;
}

export function createAuthGate(auth: AuthService, log: Logger): AuthGate {
  async function resolve(req: Request, res: Response): Promise<Caller | null> {
    const locals = res.locals as AuthLocals;
    if (locals.caller !== undefined) return locals.caller;
    const credential = credentialOf(req);
    const caller = credential ? await auth.authenticate(credential.secret, credential.kind) : null;
    // A cookie that no longer opens a session (expired, revoked, signed out elsewhere) is dropped.
    if (credential?.source === 'cookie' && !caller) clearSessionCookie(req, res);
    locals.caller = caller;
    if (caller) locals.ctx = contextOf(caller);
    return caller;
  }

  return {
    resolve,
    require(access: Access): RequestHandler {
      return async (req: Request, res: Response, next: NextFunction) => {
        try {
          const caller = await resolve(req, res);
          if (access !== 'public') {
            if (!caller) {
              throw credentialOf(req)
                ? unauthorized('this session or API key is not valid (expired, revoked or unknown): sign in again')
                : unauthorized();
            }
            if (access === 'admin' && !caller.user.isAdmin) throw new AppError('FORBIDDEN', 'only an admin may do this');
          }
          next();
        } catch (error) {
          sendError(res, error, log);
        }
      };
    },
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a page elsewhere (another port on the same machine counts: cookies
 * are per host, not per origin) can make the browser send a request with the session cookie. A
 * state-changing /api request that carries no credential header must come from this origin: a
 * foreign `Origin` (or `Sec-Fetch-Site: cross-site|same-site`) is refused. Header-authenticated
 * clients (apps, scripts) are not browsers sending ambient credentials and pass.
 */
export function sameOriginGuard(log: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (req.headers.authorization !== undefined || req.headers['x-api-key'] !== undefined) return next();
    const origin = req.headers.origin;
    let foreign = false;
    if (origin !== undefined) {
      try {
        foreign = origin === 'null' || new URL(origin).host.toLowerCase() !== (req.host ?? '').toLowerCase();
      } catch {
        foreign = true;
      }
    } else {
      const site = req.headers['sec-fetch-site'];
      foreign = site === 'cross-site' || site === 'same-site';
    }
    if (!foreign) return next();
    sendError(res, new AppError('FORBIDDEN', 'cross-origin request refused: call the API from this server\'s own pages, or with a bearer token or API key'), log);
  };
}
