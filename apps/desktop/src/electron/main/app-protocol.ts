// The app's privileged protocol, shoebox://app. It serves two things and nothing else: the
// contract's file routes under /api/ (thumbnails, previews, video, originals, face crops), with
// range support, and only for files inside the library's folders or the data folder; and the
// renderer's static build, with the strict CSP on its pages. JSON routes are not served here: the
// renderer reaches them over IPC.
import fs from 'node:fs';
import path from 'node:path';
import {
  AppError, isFileRoute, routes, toErrorBody, validationError,
  type FileResult, type RequestContext, type RouteHandlers, type RouteKey, type RouteSpec,
} from '@shoebox/core/contract';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { AllowedFolders, isInside } from './allowed-folders.ts';
import { CONTENT_SECURITY_POLICY, FILE_CONTENT_SECURITY_POLICY } from './content-security.ts';
import type { ElectronApi } from './electron-api.ts';
import { fileResponse } from './file-response.ts';

export const APP_SCHEME = 'shoebox';
export const APP_HOST = 'app';
export const APP_ORIGIN = 'shoebox://app';

/** Before the app is ready: the scheme behaves like https (a secure, standard origin) for the pages. */
export function registerAppScheme(protocol: ElectronApi['protocol']): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // No bypassCSP (the pages' own CSP applies) and no corsEnabled (other origins cannot read it).
      // stream: video elements read it in ranges; codeCache: V8 caches the app's scripts.
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
    },
  ]);
}

export interface AppProtocolDeps {
  handlers: RouteHandlers;
  context: () => RequestContext;
  /** The renderer's build (index.html and its assets). */
  rendererDir: string;
  /**
   * The folders files may be served from: the data folder and the library's roots, in the order
   * they are tried (the data folder first: most requests are for its thumbnails).
   */
  allowedRoots: () => readonly string[];
  /** How long a folder whose real path could not be read is not tried again (default 5 s). */
  rootRetryMs?: number;
  log: Logger;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

interface CompiledRoute {
  key: RouteKey;
  route: RouteSpec;
  segments: string[];
}

const COMPILED: CompiledRoute[] = (Object.entries(routes) as [RouteKey, RouteSpec][]).map(([key, route]) => ({
  key, route, segments: route.path.split('/').slice(1),
}));

/** The routes whose path template matches, with their path parameters (decoded). */
function matchRoutes(pathname: string): { compiled: CompiledRoute; params: Record<string, string> }[] {
  const parts = pathname.split('/').slice(1);
  const found: { compiled: CompiledRoute; params: Record<string, string> }[] = [];
  for (const compiled of COMPILED) {
    if (compiled.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = compiled.segments.every((segment, i) => {
      const part = parts[i]!;
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!name) return segment === part;
      try {
        params[name] = decodeURIComponent(part);
      } catch {
        return false;
      }
      return params[name] !== '';
    });
    if (ok) found.push({ compiled, params });
  }
  return found;
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return {};
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(where, result.error.issues);
  return result.data;
}

function errorResponse(error: unknown, headers: Record<string, string> = {}): Response {
  const { status, body } = toErrorBody(error);
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** Content-Disposition as the HTTP router writes it (Express's res.attachment for downloads). */
function contentDisposition(file: FileResult): string | undefined {
  if (file.download) {
    const name = file.fileName ?? 'download';
    const fallback = name.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, '\\$&');
    if (/^[\x20-\x7e]*$/.test(name)) return `attachment; filename="${fallback}"`;
    const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
  }
  if (file.fileName) return `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
  return undefined;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function createAppRequestHandler(deps: AppProtocolDeps): (request: Request) => Promise<Response> {
  const log = deps.log;
  const rendererDir = path.resolve(deps.rendererDir);
  const allowed = new AllowedFolders(deps.allowedRoots, { ...(deps.rootRetryMs !== undefined && { retryMs: deps.rootRetryMs }) });

  /** The file's real path (symlinks resolved) when it lies in an allowed folder; else FORBIDDEN. */
  async function allowedFile(key: RouteKey, filePath: string): Promise<{ path: string; size: number; mtime: Date }> {
    let real: string;
    try {
      real = await fs.promises.realpath(filePath);
    } catch (error) {
      if (isMissing(error)) throw new AppError('FILE_OFFLINE', 'the file is no longer on disk');
      throw error;
    }
    if (!(await allowed.contains(real))) {
      log.warn({ route: key }, 'refused to serve a file outside the library folders');
      log.debug({ route: key, filePath, real }, 'the refused file');
      throw new AppError('FORBIDDEN', 'the file is outside the library folders');
    }
    const stat = await fs.promises.stat(real);
    if (!stat.isFile()) throw new AppError('FILE_OFFLINE', 'the file is no longer on disk');
    return { path: real, size: stat.size, mtime: stat.mtime };
  }

  async function serveApi(url: URL, request: Request): Promise<Response> {
    const matches = matchRoutes(url.pathname);
    const match = matches.find((m) => isFileRoute(m.compiled.route));
    if (!match) {
      const json = matches[0]?.compiled.key;
      if (json) {
        throw new AppError('NOT_FOUND', `${json} is not served by ${APP_SCHEME}://: the app calls it over IPC (window.shoebox.invoke)`);
      }
      throw new AppError('NOT_FOUND', `no file route at ${url.pathname}`);
    }
    const { key, route } = match.compiled;
    const input = {
      params: parse(route.params, match.params, 'params'),
      query: parse(route.query, Object.fromEntries(url.searchParams), 'query'),
      body: undefined,
    };
    const handler = deps.handlers[key] as (input: unknown, ctx: RequestContext) => Promise<unknown>;
    const file = (await handler(input, deps.context())) as FileResult;
    const onDisk = await allowedFile(key, file.filePath);
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Cache-Control': `public, max-age=${file.cacheSeconds ?? 0}`,
    };
    const disposition = contentDisposition(file);
    if (disposition) headers['Content-Disposition'] = disposition;
    return fileResponse(onDisk, request, headers);
  }

  async function staticFile(target: string): Promise<{ path: string; size: number; mtime: Date } | null> {
    try {
      const stat = await fs.promises.stat(target);
      return stat.isFile() ? { path: target, size: stat.size, mtime: stat.mtime } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async function serveRenderer(url: URL, request: Request): Promise<Response> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      throw new AppError('BAD_REQUEST', 'malformed path');
    }
    // Chromium turns \ into / before we see it; anything left is an attempt to leave the folder.
    if (decoded.includes('\0') || decoded.includes('\\')) throw new AppError('FORBIDDEN', 'not a path of the app');
    const target = path.resolve(rendererDir, `.${decoded}`);
    if (!isInside(rendererDir, target)) {
      log.warn('refused a path outside the renderer build');
      throw new AppError('FORBIDDEN', 'not a path of the app');
    }
    let file = await staticFile(target);
    if (!file) {
      const last = decoded.split('/').pop() ?? '';
      // An app route (/people, /albums/…) gets the page; a missing build file stays a 404, since
      // a script answered with HTML only confuses.
      if (path.extname(last) !== '' || decoded.startsWith('/assets/')) throw new AppError('NOT_FOUND', `no file ${decoded}`);
      file = await staticFile(path.join(rendererDir, 'index.html'));
      if (!file) throw new AppError('NOT_FOUND', 'the app is not built: no index.html in its folder');
    }
    const hashed = isInside(path.join(rendererDir, 'assets'), file.path);
    return fileResponse(file, request, {
      'Content-Type': MIME[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    });
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) {
      throw new AppError('NOT_FOUND', `only ${APP_ORIGIN} is served`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return errorResponse(new AppError('NOT_SUPPORTED', `${request.method} is not supported: ${APP_ORIGIN} serves files (GET)`), {
        Allow: 'GET, HEAD',
      });
    }
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return await serveApi(url, request);
    return await serveRenderer(url, request);
  }

  return async (request: Request): Promise<Response> => {
    let response: Response;
    try {
      response = await route(request);
    } catch (error) {
      if (toErrorBody(error).status >= 500) log.error({ err: error }, 'app protocol request failed');
      response = errorResponse(error);
    }
    response.headers.set('X-Content-Type-Options', 'nosniff');
    // The pages have their own policy; anything else (a file, an error) may run nothing at all.
    if (!response.headers.has('Content-Security-Policy')) response.headers.set('Content-Security-Policy', FILE_CONTENT_SECURITY_POLICY);
    if (request.method === 'HEAD' && response.body) {
      void response.body.cancel();
      return new Response(null, { status: response.status, headers: response.headers });
    }
    return response;
  };
}

export function registerAppProtocol(protocol: ElectronApi['protocol'], deps: AppProtocolDeps): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(deps));
}
