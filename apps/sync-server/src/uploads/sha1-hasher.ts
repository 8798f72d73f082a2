// SHA-1 of an upload as it streams. Small files are hashed inline; large ones on a worker thread,
// so that hashing (about 1 s per GB) runs beside the socket and parser work of the main thread
// instead of after it. Bytes travel to the worker in a few fixed buffers that it hands back once
// hashed: no garbage per chunk, and at most POOL × BATCH bytes in flight per upload (backpressure).
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface Sha1Hasher {
  /** Returns a promise when the caller must wait before the next update (the worker is behind). */
  update(chunk: Uint8Array): Promise<void> | void;
  digest(): Promise<string>;
  /** Forgets the hash (an upload that failed). */
  drop(): void;
}

/** The hashing worker failed: a server fault (500), not the client's. */
export class HashWorkerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HashWorkerError';
  }
}

/** Bytes sent to the worker per message. */
const BATCH_BYTES = 1024 * 1024;
/** Buffers per upload: the most the worker may lag behind the stream is POOL × BATCH_BYTES. */
const POOL = 4;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash('sha1')));
    h.update(m.buffer.subarray(0, m.length));
    parentPort.postMessage({ id: m.id, op: 'ack', buffer: m.buffer }, [m.buffer.buffer]);
  } else if (m.op === 'digest') {
    const h = hashes.get(m.id) ?? createHash('sha1');
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, op: 'digest', digest: h.digest('hex') });
  } else if (m.op === 'drop') {
    hashes.delete(m.id);
  }
});
`;

interface HashState {
  /** Buffers back from the worker, ready to fill. */
  free: Uint8Array<ArrayBuffer>[];
  onBuffer: (() => void) | null;
  onDigest: ((digest: string) => void) | null;
  onError: (error: Error) => void;
}

type WorkerMessage = { id: number; op: 'ack'; buffer: Uint8Array<ArrayBuffer> } | { id: number; op: 'digest'; digest: string };

let worker: Worker | null = null;
let nextId = 1;
const states = new Map<number, HashState>();

/** The worker keeps the process alive exactly while some hash is in progress. */
function track(id: number, state: HashState | null): void {
  if (state) states.set(id, state);
  else states.delete(id);
  if (states.size === 0) worker?.unref();
  else worker?.ref();
}

function hashWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true, name: 'upload-sha1' });
  w.on('message', (m: WorkerMessage) => {
    const state = states.get(m.id);
    if (!state) return;
    if (m.op === 'ack') {
      state.free.push(m.buffer);
      const resume = state.onBuffer;
      state.onBuffer = null;
      resume?.();
    } else {
      track(m.id, null);
      state.onDigest?.(m.digest);
    }
  });
  const fail = (cause: Error): void => {
    if (worker === w) worker = null;
    const error = cause instanceof HashWorkerError ? cause : new HashWorkerError(`the hashing worker failed: ${cause.message}`, { cause });
    const failed = [...states.values()];
    states.clear();
    for (const state of failed) state.onError(error);
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new HashWorkerError(`the hashing worker exited (${code})`)));
  w.unref(); // an idle worker never keeps the process alive (see track)
  worker = w;
  return w;
}

/** Stops the hashing worker (hashes in progress fail); the next large upload starts a new one. */
export async function stopHashWorker(): Promise<void> {
  const w = worker;
  if (w) await w.terminate();
}

function inlineHasher(): Sha1Hasher {
  const hash = createHash('sha1');
  return {
    update: (chunk) => {
      hash.update(chunk);
    },
    digest: async () => hash.digest('hex'),
    drop: () => undefined,
  };
}

function workerHasher(): Sha1Hasher {
  const w = hashWorker();
  const id = nextId++;
  let failure: Error | null = null;
  let created = 0;
  const state: HashState = {
    free: [], onBuffer: null, onDigest: null,
    onError: (error) => {
      failure = error;
      const resume = state.onBuffer;
      state.onBuffer = null;
      resume?.();
    },
  };
  track(id, state);

  let batch: Uint8Array<ArrayBuffer> | null = null;
  let filled = 0;
  const take = (): Uint8Array<ArrayBuffer> | null => state.free.pop() ?? (created < POOL ? (created++, new Uint8Array(BATCH_BYTES)) : null);
  const send = (): void => {
    if (!batch || filled === 0) return;
    w.postMessage({ id, op: 'update', buffer: batch, length: filled }, [batch.buffer]);
    batch = null;
    filled = 0;
  };
  const copy = (chunk: Uint8Array, from: number): Promise<void> | void => {
    for (let at = from; at < chunk.length;) {
      if (failure) throw failure;
      batch ??= take();
      if (!batch) {
        // Every buffer is with the worker: continue when one comes back.
        return new Promise<void>((resolve) => {
          state.onBuffer = resolve;
        }).then(() => copy(chunk, at));
      }
      const n = Math.min(chunk.length - at, BATCH_BYTES - filled);
      batch.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === BATCH_BYTES) send();
    }
  };

  return {
    update: (chunk) => copy(chunk, 0),
    digest() {
      if (failure) return Promise.reject(failure);
      send();
      return new Promise<string>((resolve, reject) => {
        state.onDigest = resolve;
        state.onError = reject;
        w.postMessage({ id, op: 'digest' });
      });
    },
    drop() {
      if (!states.has(id)) return;
      track(id, null);
      w.postMessage({ id, op: 'drop' });
    },
  };
}

/** A hasher for a file of about `expectedBytes` (unknown: null): on the worker above `offloadAbove`. */
export function sha1Hasher(expectedBytes: number | null, offloadAbove: number): Sha1Hasher {
  return expectedBytes !== null && expectedBytes > offloadAbove ? workerHasher() : inlineHasher();
}
