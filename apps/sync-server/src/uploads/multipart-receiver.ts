// Streams one multipart/form-data upload to a temporary file while its SHA-1 is computed and its
// bytes counted: the file is never held in memory, and disk backpressure pauses the socket
// (stream pipeline). Any failure (malformed body, size limit, client gone, stall, disk error)
// removes the temp file before the promise rejects.
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { AppError } from '@shoebox/core/contract';
import { HashWorkerError, sha1Hasher, type Sha1Hasher } from './sha1-hasher.ts';

/** The multipart part that carries the file (the contract's `upload.fileField`). */
export const FILE_FIELD = 'file';
/** Bytes kept from the start of the file for sniffing its format. */
export const HEAD_BYTES = 4096;

export interface ReceivedUpload {
  tempPath: string;
  size: number;
  /** SHA-1 of the bytes written, 40 lower-case hex digits. */
  sha1: string;
  /** The first bytes of the file (up to HEAD_BYTES). */
  head: Uint8Array;
  /** The name the client gave (untrusted; made safe before any use). */
  clientName: string;
  /** The text fields, by name (each at most once). */
  fields: Map<string, string>;
}

export interface ReceiveOptions {
  /** Where to write; created exclusively (never an existing file). */
  tempPath: string;
  maxBytes: number;
  /** Aborting it (client gone, shutdown) fails the upload and removes the temp file. */
  signal: AbortSignal;
  /** No bytes from the client for this long fails the upload. */
  idleTimeoutMs: number;
  /** Files announced larger than this (Content-Length) are hashed on a worker thread. Default 8 MiB. */
  hashOffloadBytes?: number | undefined;
}

const LIMITS = { fields: 32, fieldSize: 4096, fieldNameSize: 100, files: 1, parts: 40, headerPairs: 20 };
const STREAM_HWM = 256 * 1024;

/** Hashes, counts and keeps the head of what passes through; errors past `maxBytes`. */
class Meter extends Transform {
  readonly hasher: Sha1Hasher;
  size = 0;
  readonly head = new Uint8Array(HEAD_BYTES);
  headLength = 0;
  readonly #maxBytes: number;

  constructor(maxBytes: number, hasher: Sha1Hasher) {
    super();
    this.#maxBytes = maxBytes;
    this.hasher = hasher;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.#maxBytes) return callback(tooLarge(this.#maxBytes));
    if (this.headLength < HEAD_BYTES) {
      const take = Math.min(HEAD_BYTES - this.headLength, chunk.length);
      this.head.set(chunk.subarray(0, take), this.headLength);
      this.headLength += take;
    }
    let lagging: Promise<void> | void;
    try {
      lagging = this.hasher.update(chunk);
    } catch (error) {
      return callback(error as Error);
    }
    this.push(chunk);
    // A hash worker too far behind holds the stream back (and so the socket).
    if (lagging) lagging.then(() => callback(), (error: unknown) => callback(error as Error));
    else callback();
  }
}

export const tooLarge = (maxBytes: number): AppError =>
  new AppError('PAYLOAD_TOO_LARGE', `the file is larger than the server's limit of ${maxBytes} bytes`);

const badRequest = (message: string): AppError => new AppError('BAD_REQUEST', message);

/** Maps whatever a stream threw to the contract's errors: our AppErrors pass, disk errors are 500. */
function asUploadError(error: unknown): unknown {
  if (error instanceof AppError || error instanceof HashWorkerError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return error; // fs: INTERNAL, logged
  return badRequest(`malformed multipart body: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Reads the request's multipart body: exactly one file part named `file` (to `tempPath`) and
 * any text fields. Resolves once the whole file is on disk; on failure the temp file is gone.
 */
export function receiveMultipart(req: IncomingMessage, options: ReceiveOptions): Promise<ReceivedUpload> {
  const { tempPath, maxBytes, signal, idleTimeoutMs } = options;
  return new Promise<ReceivedUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        preservePath: false,
        defParamCharset: 'utf8',
        // Fewer, larger chunks between socket, parser, hash and disk (bounded per upload).
        highWaterMark: STREAM_HWM,
        fileHwm: STREAM_HWM,
        // One byte over the limit is how busboy reports "too large" (it flags a file of exactly
        // `fileSize` bytes as truncated).
        limits: { ...LIMITS, fileSize: maxBytes + 1 },
      });
    } catch (error) {
      reject(badRequest(`expected a multipart/form-data body: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }

    const fields = new Map<string, string>();
    let settled = false;
    let failed = false;
    let fileStream: Readable | null = null;
    let writer: WriteStream | null = null;
    let writerClosed: Promise<void> = Promise.resolve();
    let filePromise: Promise<{ meter: Meter; clientName: string }> | null = null;
    let hasher: Sha1Hasher | null = null;
    let lastData = Date.now();

    const onData = (): void => {
      lastData = Date.now();
    };
    const idleTimer = setInterval(() => {
      // Paused by disk backpressure, or all received and being written, is not idle.
      if (req.readableFlowing === false || req.complete) lastData = Date.now();
      else if (Date.now() - lastData > idleTimeoutMs) {
        fail(badRequest(`the upload stalled: no data for ${Math.round(idleTimeoutMs / 1000)} s`));
      }
    }, Math.max(50, Math.min(1000, idleTimeoutMs / 4)));
    idleTimer.unref();
    // The abort reason is the caller's own (client gone, shutdown): passed on as it is.
    const onAbort = (): void => fail(signal.reason ?? new AppError('SERVICE_UNAVAILABLE', 'upload aborted'), true);
    const onReqError = (error: Error): void => fail(badRequest(`the upload was interrupted: ${error.message}`));

    const detach = (): void => {
      clearInterval(idleTimer);
      signal.removeEventListener('abort', onAbort);
      req.off('data', onData);
      req.off('error', onReqError);
    };

    function fail(error: unknown, asIs = false): void {
      if (settled || failed) return;
      failed = true;
      detach();
      req.unpipe(parser);
      parser.destroy();
      fileStream?.destroy();
      writer?.destroy();
      hasher?.drop();
      // The writer must be closed before unlinking: a write stream still opening would recreate it.
      writerClosed
        .then(() => rm(tempPath, { force: true }))
        .catch(() => undefined)
        .finally(() => {
          settled = true;
          reject(asIs ? error : asUploadError(error));
        });
      req.on('error', () => undefined); // a late socket error must not crash the process
    }

    parser.on('file', (name: string, stream: Readable, info: busboy.FileInfo) => {
      // Destroying the parser errors its current file stream ("Unexpected end of file"): expected.
      stream.on('error', () => undefined);
      if (failed) {
        stream.resume();
        return;
      }
      if (name !== FILE_FIELD) {
        stream.resume();
        fail(badRequest(`unexpected file part "${name}": send the file as "${FILE_FIELD}"`));
        return;
      }
      fileStream = stream;
      const declared = Number(req.headers['content-length']);
      const meter = new Meter(maxBytes, sha1Hasher(Number.isFinite(declared) ? declared : null, options.hashOffloadBytes ?? 8 * 1024 * 1024));
      hasher = meter.hasher;
      const out = createWriteStream(tempPath, { flags: 'wx', mode: 0o600, highWaterMark: STREAM_HWM });
      writer = out;
      writerClosed = new Promise<void>((done) => out.once('close', () => done()));
      stream.once('limit', () => fail(tooLarge(maxBytes)));
      const clientName = info.filename ?? '';
      filePromise = pipeline(stream, meter, out).then(() => ({ meter, clientName }));
      filePromise.catch((error: unknown) => fail(error));
    });
    parser.on('field', (name: string, value: string, info: busboy.FieldInfo) => {
      if (failed) return;
      if (name === FILE_FIELD) return fail(badRequest(`the "${FILE_FIELD}" part has no file name: send it as a file`));
      if (info.nameTruncated || info.valueTruncated) {
        return fail(new AppError('VALIDATION_FAILED', `field "${name.slice(0, 100)}" is too long`, [{ path: `fields.${name.slice(0, 100)}`, message: 'too long' }]));
      }
      if (fields.has(name)) {
        const shown = name.slice(0, 100);
        return fail(new AppError('VALIDATION_FAILED', `field "${shown}" was sent twice`, [{ path: `fields.${shown}`, message: 'sent twice' }]));
      }
      fields.set(name, value);
    });
    parser.on('filesLimit', () => fail(badRequest(`send exactly one file part ("${FILE_FIELD}")`)));
    parser.on('fieldsLimit', () => fail(badRequest('too many fields')));
    parser.on('partsLimit', () => fail(badRequest('too many parts')));
    parser.on('error', (error: unknown) => fail(error));
    parser.on('finish', () => {
      if (failed) return;
      if (!filePromise) return fail(badRequest(`no file part named "${FILE_FIELD}"`));
      filePromise.then(async ({ meter, clientName }) => {
        let sha1: string;
        try {
          sha1 = await meter.hasher.digest();
        } catch (error) {
          return fail(error);
        }
        if (failed) return;
        settled = true;
        detach();
        resolve({ tempPath, size: meter.size, sha1, head: meter.head.slice(0, meter.headLength), clientName, fields });
      }, () => undefined); // its rejection already went to fail()
    });

    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('data', onData);
    req.on('error', onReqError);
    req.pipe(parser);
  });
}
