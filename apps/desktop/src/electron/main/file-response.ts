// A file as a web Response with HTTP ranges, for the app protocol: one range per request
// (`bytes=a-b`, `bytes=a-`, `bytes=-n`), streamed from disk with fs.createReadStream so that an
// original or a video is never read whole into memory. Several ranges in one request are answered
// with the whole file (as Express's `send` does); a range outside the file is a 416.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { AppError, toErrorBody } from '@shoebox/core/contract';

export interface ByteRange {
  start: number;
  end: number;
}

/** What to send: the whole file ('none'), one slice of it, or a 416. */
export type RangeRequest = ByteRange | 'none' | 'unsatisfiable';

/** Reads a Range header against a file's size. Malformed or other-unit headers are ignored. */
export function parseRange(header: string | null, size: number): RangeRequest {
  if (!header) return 'none';
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return 'none';
  const spec = match[1]!.trim();
  if (spec.includes(',')) return 'none';
  const parts = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!parts) return 'none';
  const [, first = '', last = ''] = parts;
  if (first === '' && last === '') return 'none';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start) || start >= size) return 'unsatisfiable';
  if (last === '') return { start, end: size - 1 };
  const end = Number(last);
  // A last position before the first is not a range at all: the header is ignored.
  if (end < start) return 'none';
  return { start, end: Math.min(end, size - 1) };
}

export interface FileOnDisk {
  path: string;
  size: number;
  mtime: Date;
}

function stream(path: string, range: ByteRange): ReadableStream<Uint8Array> {
  return Readable.toWeb(fs.createReadStream(path, { start: range.start, end: range.end })) as ReadableStream<Uint8Array>;
}

/**
 * Answers GET or HEAD for a file whose size is known (the caller has checked and stat'ed it).
 * `headers` are sent on every answer (Content-Type, Cache-Control, Content-Disposition, …).
 */
export function fileResponse(file: FileOnDisk, request: Request, headers: Record<string, string>): Response {
  const lastModified = file.mtime.toUTCString();
  const common = new Headers({ ...headers, 'Accept-Ranges': 'bytes', 'Last-Modified': lastModified });
  const ifRange = request.headers.get('if-range');
  // A Range sent with If-Range for another version of the file gets the whole (current) file.
  const rangeHeader = ifRange === null || ifRange === lastModified ? request.headers.get('range') : null;
  const range = parseRange(rangeHeader, file.size);
  const head = request.method === 'HEAD';

  if (range === 'unsatisfiable') {
    const { status, body } = toErrorBody(new AppError('RANGE_NOT_SATISFIABLE', `the requested range is outside the file (${file.size} bytes)`));
    common.set('Content-Range', `bytes */${file.size}`);
    common.set('Content-Type', 'application/json; charset=utf-8');
    common.set('Cache-Control', 'no-store');
    common.delete('Content-Disposition');
    return new Response(head ? null : JSON.stringify(body), { status, headers: common });
  }
  if (range === 'none') {
    common.set('Content-Length', String(file.size));
    const body = head || file.size === 0 ? null : stream(file.path, { start: 0, end: file.size - 1 });
    return new Response(body, { status: 200, headers: common });
  }
  common.set('Content-Length', String(range.end - range.start + 1));
  common.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  return new Response(head ? null : stream(file.path, range), { status: 206, headers: common });
}
