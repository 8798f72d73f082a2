// Bytes of a file route (originals, thumbnails, previews, video, face crops): streamed by `send`
// with Range support and conditional requests. The file must resolve (symlinks followed) inside one
// of the server's storage roots, or it is not served. Thumbnails and previews are cached privately
// for a day; originals and video revalidate (ETag, Last-Modified). Anything that is not an image or
// a video leaves as a download, never as a page of this origin.
import fs from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';
import { AppError, type FileResult } from '@shoebox/core/contract';
import type { Logger } from 'pino';
import { sendError } from './errors.ts';

/** Content served as itself; everything else (SVG included: it can hold scripts) is an attachment. */
function isInlineSafe(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'image/svg+xml') return false;
  return /^(image|video|audio)\/[a-z0-9.+-]+$/.test(type);
}

/** A page that opens a served file directly can run nothing and load nothing else. */
export const FILE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The storage roots, resolved once they exist (a fresh server creates them on first upload). */
export class StorageRoots {
  private readonly roots: readonly string[];
  private resolved = new Map<string, string>();

  constructor(roots: readonly string[]) {
    this.roots = roots.map((r) => path.resolve(r));
  }

  private async real(root: string): Promise<string | null> {
    const known = this.resolved.get(root);
    if (known) return known;
    try {
      const real = await fs.promises.realpath(root);
      this.resolved.set(root, real);
      return real;
    } catch {
      return null;
    }
  }

  /** The file's real path when it is inside a root; null otherwise. Throws ENOENT when it is gone. */
  async contain(file: string): Promise<string | null> {
    if (!path.isAbsolute(file)) return null;
    const real = await fs.promises.realpath(file);
    for (const root of this.roots) {
      const realRoot = await this.real(root);
      if (realRoot && isInside(realRoot, real)) return real;
    }
    return null;
  }
}

export async function sendFileResult(req: Request, res: Response, file: FileResult, roots: StorageRoots, log: Logger): Promise<void> {
  let real: string | null;
  try {
    real = await roots.contain(file.filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return sendError(res, new AppError('FILE_OFFLINE', 'the file is no longer on disk'), log);
    return sendError(res, error, log);
  }
  if (!real) {
    log.warn('refused to serve a file outside the storage roots');
    return sendError(res, new AppError('NOT_FOUND', 'this file is not available'), log);
  }
  const safe = isInlineSafe(file.contentType);
  const name = file.fileName ?? path.basename(real);
  // attachment() guesses a type from the name: the real one is set after it.
  if (!safe || file.download) res.attachment(name);
  else if (file.fileName) res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  res.setHeader('Content-Type', safe ? file.contentType : 'application/octet-stream');
  res.setHeader('Content-Security-Policy', FILE_CSP);
  const seconds = file.cacheSeconds ?? 0;
  res.setHeader('Cache-Control', seconds > 0 ? `private, max-age=${seconds}` : 'private, no-cache');
  res.sendFile(
    real,
    { cacheControl: false, etag: true, lastModified: true, acceptRanges: true, dotfiles: 'allow' },
    (error?: Error & { status?: number; statusCode?: number; code?: string }) => {
      if (!error) return;
      const status = error.status ?? error.statusCode;
      if (status === 416) return sendError(res, new AppError('RANGE_NOT_SATISFIABLE', 'the requested range is outside the file'), log);
      if (error.code === 'ENOENT' || status === 404) return sendError(res, new AppError('FILE_OFFLINE', 'the file is no longer on disk'), log);
      if (error.code === 'ECONNABORTED' || req.socket.destroyed) return;
      sendError(res, error, log);
    },
  );
}
