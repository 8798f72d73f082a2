// The upload queue's vocabulary: one entry per file, what sending one answers, how a send fails,
// and the queue in figures.

export type UploadStatus =
  /** In line (or held while the queue is paused). */
  | 'waiting'
  /** Reading the file for its checksum, then asking the server whether it has it. */
  | 'checking'
  | 'uploading'
  /** A network or server problem: tried again after a pause that grows each time. */
  | 'retrying'
  | 'done'
  /** The server already had these bytes (its checksum matched). */
  | 'duplicate'
  | 'failed';

export interface UploadItem {
  id: string;
  name: string;
  size: number;
  /** The browser's media type, possibly empty (HEIC on some browsers). */
  type: string;
  lastModified: number;
  /** When it was added, and its place in that batch. */
  addedAt: number;
  order: number;
  status: UploadStatus;
  /** Bytes of the file sent so far in the current attempt. */
  sent: number;
  /** Attempts that failed with a network or server error since the last success or manual retry. */
  attempts: number;
  /** When a `retrying` entry is tried again (epoch ms). */
  retryAt: number | null;
  /** Why it failed (the server's reason when it gave one). */
  error: string | null;
  /** Its SHA-1, once computed. */
  checksum: string | null;
  /** The asset it became (or already was). */
  assetId: string | null;
}

export type UploadOutcome = { status: 'created' | 'duplicate'; assetId: string; checksum: string };

export type UploadFailureKind =
  /** The request did not complete: no connection, a reset, a timeout. Retried automatically. */
  | 'network'
  /** The server had a problem (5xx, 503 while it shuts down, 429). Retried automatically. */
  | 'server'
  /** The server refused this file (too large, not a photo or video, damaged): retried only by hand. */
  | 'rejected'
  /** The session is gone: the queue waits for a new login. */
  | 'unauthorized'
  /** The file cannot be read any more (the phone dropped its copy): choose it again. */
  | 'unreadable';

export class UploadFailure extends Error {
  readonly kind: UploadFailureKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  constructor(kind: UploadFailureKind, message: string, extra: { status?: number; code?: string } = {}) {
    super(message);
    this.name = 'UploadFailure';
    this.kind = kind;
    this.status = extra.status;
    this.code = extra.code;
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException ? error.name === 'AbortError' : (error as { name?: string } | null)?.name === 'AbortError';
}

export interface SendJob {
  item: UploadItem;
  file: Blob;
  checksum: string | null;
}

/** Sends one file; reports the bytes sent so far; rejects with an UploadFailure or an AbortError. */
export type UploadSender = (job: SendJob, onProgress: (sent: number) => void, signal: AbortSignal) => Promise<UploadOutcome>;

export const FINISHED: ReadonlySet<UploadStatus> = new Set(['done', 'duplicate']);
export const IN_FLIGHT: ReadonlySet<UploadStatus> = new Set(['checking', 'uploading']);

export interface QueueTotals {
  files: number;
  done: number;
  duplicate: number;
  failed: number;
  /** Checking or uploading right now. */
  active: number;
  /** Not finished yet: waiting, checking, uploading or retrying. */
  pending: number;
  bytes: number;
  /** Bytes of finished files plus what is in flight. */
  sentBytes: number;
}

/** The queue in figures: files by state, and bytes sent of all. */
export function totalsOf(items: readonly UploadItem[]): QueueTotals {
  const t: QueueTotals = { files: items.length, done: 0, duplicate: 0, failed: 0, active: 0, pending: 0, bytes: 0, sentBytes: 0 };
  for (const i of items) {
    t.bytes += i.size;
    if (i.status === 'done') t.done++;
    else if (i.status === 'duplicate') t.duplicate++;
    else if (i.status === 'failed') t.failed++;
    else t.pending++;
    if (IN_FLIGHT.has(i.status)) t.active++;
    t.sentBytes += FINISHED.has(i.status) ? i.size : i.status === 'uploading' ? Math.min(i.sent, i.size) : 0;
  }
  return t;
}
