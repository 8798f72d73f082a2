// The local API's per-launch token: accepted as a bearer header, an `x-shoebox-token` header, a
// `token` query parameter (the printed URL) or the cookie set when that URL is opened.
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError, toErrorBody } from '@shoebox/core/contract';

export const TOKEN_COOKIE = 'shoebox_token';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function tokenAuth(token: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const header = req.headers['x-shoebox-token'];
    const query = typeof req.query.token === 'string' ? req.query.token : undefined;
    const candidates = [bearer, typeof header === 'string' ? header : undefined, query, cookieToken(req.headers.cookie)];
    if (candidates.some((c) => c !== undefined && same(c, token))) {
      if (query !== undefined) {
        res.cookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
      }
      return next();
    }
    const { status, body } = toErrorBody(new AppError('UNAUTHORIZED', 'missing or wrong token: use the URL that `shoebox serve` printed'));
    res.status(status).json(body);
  };
}
