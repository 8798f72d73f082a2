// The upload use case: receive one multipart upload to a temp file, check it (fields, checksum,
// content sniffed from its bytes), dedupe per owner, file it under its capture day and record it.
// Also owns the upload lifecycle around it: in-flight tracking, graceful drain, the start-up
// sweep of temp files and the report of files a crash left without an asset.
import { randomUUID } from 'node:crypto';
import { lstat, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { AppError, UploadFields, validationError, type UploadResult } from '@shoebox/core/contract';
import { roleOfFormat, sniffFormat } from '@shoebox/core/media';
import { pino, type Logger } from 'pino';
import type { UploadRepository } from '../ports/server.ports.ts';
import { receiveMultipart, type ReceivedUpload } from './multipart-receiver.ts';
import { captureDay, clientDay, uploadDay, type CaptureDateReader, type LayoutDate } from './upload-dates.ts';
import { isAudioContainer, storedName } from './upload-names.ts';
import { UploadStorage } from './upload-storage.ts';

export interface UploadDeps {
  /** The storage folder (created when missing): `tmp/`, `library/`, `orphans/`. */
  storageRoot: string;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  repository: UploadRepository;
  /** Reads the capture time of a file (the media worker's metadata extraction); null when it has none. */
  captureDate?: CaptureDateReader | undefined;
  /** Called after an asset was created (the job system queues its metadata/thumbnail jobs here). */
  onUploaded?: ((ownerId: string, assetId: string) => void | Promise<void>) | undefined;
  logger?: Logger | undefined;
  now?: (() => Date) | undefined;
  /** An upload whose client sends nothing for this long fails. Default 2 min. */
  idleTimeoutMs?: number | undefined;
  /** Files announced larger than this are hashed on a worker thread. Default 8 MiB. */
  hashOffloadBytes?: number | undefined;
  /** A capture-date read that takes longer is given up (the fallbacks apply). Default 30 s. */
  captureDateTimeoutMs?: number | undefined;
}

export interface UploadOutcome {
  result: UploadResult;
  created: boolean;
}

export interface OrphanReport {
  /** Library files that no asset owns (crash between the move and the insert). */
  orphans: string[];
  /** Where they were moved, or null when nothing was moved. */
  movedTo: string | null;
}

interface InFlight {
  id: string;
  controller: AbortController;
}

/** More than this share of the library looking orphaned means something else is wrong: report only. */
const MAX_ORPHAN_SHARE = 0.5;

export class UploadService {
  readonly storage: UploadStorage;
  readonly maxBytes: number;
  readonly #deps: UploadDeps;
  readonly #log: Logger;
  readonly #now: () => Date;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #drainWaiters = new Set<() => void>();
  /** Final paths moved into the library whose insert has not finished (not orphans). */
  readonly #pendingPaths = new Set<string>();
  readonly #locks = new Map<string, Promise<void>>();
  #closing = false;

  constructor(storage: UploadStorage, deps: UploadDeps) {
    if (!Number.isSafeInteger(deps.maxBytes) || deps.maxBytes < 1) throw new Error('maxBytes must be a positive integer');
    this.storage = storage;
    this.maxBytes = deps.maxBytes;
    this.#deps = deps;
    this.#log = (deps.logger ?? pino({ level: 'silent' })).child({ service: 'uploads' });
    this.#now = deps.now ?? (() => new Date());
  }

  /** True once shutdown began: new uploads answer 503. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Uploads being received or stored right now. */
  inFlight(): number {
    return this.#inFlight.size;
  }

  /** Stops accepting uploads (they answer 503); the ones in flight go on. */
  close(): void {
    this.#closing = true;
  }

  /** Stops accepting uploads and waits for those in flight; false when `timeoutMs` passed first. */
  drain(timeoutMs: number): Promise<boolean> {
    this.close();
    if (this.#inFlight.size === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (): void => {
        if (this.#inFlight.size > 0) return;
        clearTimeout(timer);
        this.#drainWaiters.delete(done);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#drainWaiters.delete(done);
        resolve(false);
      }, timeoutMs);
      this.#drainWaiters.add(done);
    });
  }

  /** Fails the uploads still receiving (their temp files are removed); those being stored finish. */
  abortAll(): void {
    for (const upload of this.#inFlight.values()) {
      upload.controller.abort(new AppError('SERVICE_UNAVAILABLE', 'the server is shutting down'));
    }
  }

  /**
   * Receives the request's multipart body and stores the file for `ownerId`. Throws AppError
   * (BAD_REQUEST, VALIDATION_FAILED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, CHECKSUM_MISMATCH,
   * SERVICE_UNAVAILABLE) or, for storage and database failures, the underlying error.
   */
  async upload(ownerId: string, req: IncomingMessage, signal: AbortSignal): Promise<UploadOutcome> {
    if (this.#closing) throw new AppError('SERVICE_UNAVAILABLE', 'the server is shutting down');
    const upload: InFlight = { id: randomUUID(), controller: new AbortController() };
    this.#inFlight.set(upload.id, upload);
    try {
      const received = await receiveMultipart(req, {
        tempPath: this.storage.tempPath(upload.id),
        maxBytes: this.maxBytes,
        signal: AbortSignal.any([signal, upload.controller.signal]),
        idleTimeoutMs: this.#deps.idleTimeoutMs ?? 120_000,
        hashOffloadBytes: this.#deps.hashOffloadBytes,
      });
      return await this.#store(ownerId, upload.id, received);
    } finally {
      this.#inFlight.delete(upload.id);
      for (const waiter of [...this.#drainWaiters]) waiter();
    }
  }

  async #store(ownerId: string, uploadId: string, received: ReceivedUpload): Promise<UploadOutcome> {
    let tempPath = received.tempPath;
    try {
      const parsed = UploadFields.safeParse(Object.fromEntries(received.fields));
      if (!parsed.success) throw validationError('fields', parsed.error.issues);
      const fields = parsed.data;
      const checksum = received.sha1;
      if (fields.checksum !== undefined && fields.checksum !== checksum) {
        throw new AppError('CHECKSUM_MISMATCH', `the file received has SHA-1 ${checksum}, not the checksum sent`);
      }
      const format = sniffFormat(received.head);
      if (format === null || format === 'xmp' || isAudioContainer(received.head)) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the content is not a photo or video format Shoebox supports');
      }
      const name = storedName(received.clientName, format);
      // The temp file takes the real extension: exiftool and ffmpeg look at it.
      const named = this.storage.tempPath(uploadId, name.ext);
      await rename(tempPath, named);
      tempPath = named;

      return await this.#exclusive(`${ownerId}:${checksum}`, async () => {
        const existing = (await this.#deps.repository.byChecksums(ownerId, [checksum])).get(checksum);
        if (existing) return this.#duplicate(ownerId, existing, checksum);

        const when = await this.#layoutDate(tempPath, fields.fileCreatedAt);
        // Pending from the moment the name is claimed, so an orphan scan never takes it.
        const finalPath = await this.storage.place(tempPath, ownerId, when.day, name, (claimed) => this.#pendingPaths.add(claimed));
        let inserted: { id: string; created: boolean };
        try {
          inserted = await this.#deps.repository.insert({
            ownerId, checksum, path: finalPath, fileName: name.fileName, mimeType: name.mimeType, format: name.format,
            type: roleOfFormat(format) === 'video' ? 'video' : 'image',
            size: received.size, takenAt: when.takenAt.toISOString(),
            fileCreatedAt: fields.fileCreatedAt ?? null, fileModifiedAt: fields.fileModifiedAt ?? null,
            deviceId: fields.deviceId ?? null, deviceAssetId: fields.deviceAssetId ?? null,
          });
        } catch (error) {
          await this.#afterFailedInsert(ownerId, checksum, finalPath);
          throw error;
        } finally {
          this.#pendingPaths.delete(finalPath);
        }
        if (!inserted.created) {
          // Another upload of these bytes (another process) recorded its own copy first.
          await rm(finalPath, { force: true });
          return this.#duplicate(ownerId, inserted.id, checksum);
        }
        this.#log.info({ ownerId, assetId: inserted.id, size: received.size, format: name.format, dateSource: when.source }, 'upload stored');
        this.#log.debug({ assetId: inserted.id, path: finalPath }, 'upload path');
        try {
          await this.#deps.onUploaded?.(ownerId, inserted.id);
        } catch (error) {
          this.#log.error({ err: error, assetId: inserted.id }, 'onUploaded failed (the asset is stored)');
        }
        return { result: { id: inserted.id, status: 'created', checksum }, created: true };
      });
    } finally {
      await rm(tempPath, { force: true }).catch(() => undefined);
    }
  }

  #duplicate(ownerId: string, id: string, checksum: string): UploadOutcome {
    this.#log.info({ ownerId, assetId: id }, 'upload was a duplicate');
    return { result: { id, status: 'duplicate', checksum }, created: false };
  }

  /**
   * The insert failed: unless an asset with this checksum now exists (the insert may have
   * committed before the error), our copy is referenced by nothing and is removed. When in doubt
   * it stays, for the orphan scan.
   */
  async #afterFailedInsert(ownerId: string, checksum: string, finalPath: string): Promise<void> {
    try {
      const now = await this.#deps.repository.byChecksums(ownerId, [checksum]);
      if (!now.has(checksum)) await rm(finalPath, { force: true });
    } catch {
      this.#log.warn({ ownerId }, 'insert failed and could not be checked: the file is left for the orphan scan');
    }
  }

  async #layoutDate(file: string, fileCreatedAt: string | undefined): Promise<LayoutDate> {
    const now = this.#now();
    const reader = this.#deps.captureDate;
    if (reader) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), this.#deps.captureDateTimeoutMs ?? 30_000);
        });
        const fromFile = captureDay(await Promise.race([reader(file), timeout]), now);
        if (fromFile) return fromFile;
      } catch (error) {
        this.#log.warn({ err: error }, 'reading the capture date failed; using the fallback');
      } finally {
        clearTimeout(timer);
      }
    }
    return clientDay(fileCreatedAt, now) ?? uploadDay(now);
  }

  /** Runs `fn` after every earlier holder of `key` (one owner's uploads of the same bytes, in this process). */
  async #exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const mine = previous.then(() => gate);
    this.#locks.set(key, mine);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#locks.get(key) === mine) this.#locks.delete(key);
    }
  }

  /** Removes what crashed uploads left in `tmp/` (never an upload in flight). Run it at start. */
  async sweepTemp(): Promise<number> {
    const removed = await this.storage.sweepTemp((entry) => this.#inFlight.has(entry.split('.')[0] ?? ''));
    if (removed > 0) this.#log.info({ removed }, 'removed temp files left by interrupted uploads');
    return removed;
  }

  /**
   * Finds library files no asset owns (a crash between the move and the insert) and, unless
   * `moveAside` is false, moves them to `orphans/` for the admin: they are never deleted. When
   * more than half the library looks orphaned (a moved storage root?) nothing is moved.
   */
  async scanOrphans(options: { moveAside?: boolean } = {}): Promise<OrphanReport> {
    // Walk before reading the known paths: a file inserted in between is then counted as known.
    const files = await this.storage.libraryFiles();
    const known = await this.#deps.repository.knownPaths();
    const orphans = files.filter((f) => !known.has(f) && !this.#pendingPaths.has(f));
    if (orphans.length === 0) return { orphans, movedTo: null };
    this.#log.warn({ count: orphans.length }, 'library files without an asset');
    const suspicious = orphans.length > 10 && orphans.length > files.length * MAX_ORPHAN_SHARE;
    if (suspicious) this.#log.error({ count: orphans.length, files: files.length }, 'most of the library looks orphaned: nothing moved');
    if (options.moveAside === false || suspicious) return { orphans, movedTo: null };
    // Still unowned and still there (an upload may have finished meanwhile).
    const again = await this.#deps.repository.knownPaths();
    const movable: string[] = [];
    for (const file of orphans) {
      if (again.has(file) || this.#pendingPaths.has(file)) continue;
      if (await lstat(file).then(() => true, () => false)) movable.push(file);
    }
    if (movable.length === 0) return { orphans, movedTo: null };
    const movedTo = await this.storage.moveAside(movable, this.#now());
    this.#log.warn({ count: movable.length }, 'moved library files without an asset to the orphans folder');
    return { orphans, movedTo };
  }
}

/** Opens the storage folder and builds the service. Call `sweepTemp()` (and `scanOrphans()`) before serving. */
export async function createUploadService(deps: UploadDeps): Promise<UploadService> {
  return new UploadService(await UploadStorage.open(deps.storageRoot), deps);
}
