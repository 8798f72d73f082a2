// SHA-1 of an upload as it streams. Small files are hashed inline; large ones on a worker thread,
// so that hashing (about 1 s per GB) runs beside the socket and parser work of the main thread
// instead of after it. Chunks are copied to the worker with bounded lag (backpressure).
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface Sha1Hasher {
  /** Resolves when the hasher can take more (the worker is not too far behind). */
  update(chunk: Uint8Array): Promise<void> | void;
  digest(): Promise<string>;
  /** Forgets the hash (an upload that failed). */
  drop(): void;
}

/** Bytes a worker hash may lag behind the stream before the stream waits. */
const MAX_LAG = 8 * 1024 * 1024;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash('sha1')));
    h.update(m.chunk);
    parentPort.postMessage({ id: m.id, op: 'ack', bytes: m.chunk.byteLength });
  } else if (m.op === 'digest') {
    const h = hashes.get(m.id) ?? createHash('sha1');
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, op: 'digest', digest: h.digest('hex') });
  } else if (m.op === 'drop') {
    hashes.delete(m.id);
  }
});
`;

interface Pending {
  lag: number;
  onAck: (() => void) | null;
  onDigest: ((digest: string) => void) | null;
  onError: (error: Error) => void;
}

type WorkerMessage = { id: number; op: 'ack'; bytes: number } | { id: number; op: 'digest'; digest: string };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function hashWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true, name: 'upload-sha1' });
  w.unref(); // never keeps the process alive
  w.on('message', (m: WorkerMessage) => {
    const p = pending.get(m.id);
    if (!p) return;
    if (m.op === 'ack') {
      p.lag -= m.bytes;
      if (p.lag <= MAX_LAG && p.onAck) {
        const resume = p.onAck;
        p.onAck = null;
        resume();
      }
    } else {
      pending.delete(m.id);
      p.onDigest?.(m.digest);
    }
  });
  const fail = (error: Error): void => {
    if (worker === w) worker = null;
    for (const p of pending.values()) p.onError(error);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the hashing worker exited (${code})`)));
  worker = w;
  return w;
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
  const state: Pending = {
    lag: 0, onAck: null, onDigest: null,
    onError: (error) => {
      failure = error;
      state.onAck?.();
      state.onAck = null;
    },
  };
  pending.set(id, state);
  return {
    update(chunk) {
      if (failure) throw failure;
      const copy = new Uint8Array(chunk); // its own ArrayBuffer: safe to transfer
      state.lag += copy.byteLength;
      w.postMessage({ id, op: 'update', chunk: copy }, [copy.buffer]);
      if (state.lag <= MAX_LAG) return;
      return new Promise<void>((resolve, reject) => {
        state.onAck = () => (failure ? reject(failure) : resolve());
      });
    },
    digest() {
      if (failure) return Promise.reject(failure);
      return new Promise<string>((resolve, reject) => {
        state.onDigest = resolve;
        state.onError = reject;
        w.postMessage({ id, op: 'digest' });
      });
    },
    drop() {
      if (!pending.delete(id)) return;
      w.postMessage({ id, op: 'drop' });
    },
  };
}

/** A hasher for a file of about `expectedBytes` (unknown: null): a worker one above `offloadAbove`. */
export function sha1Hasher(expectedBytes: number | null, offloadAbove: number): Sha1Hasher {
  return expectedBytes !== null && expectedBytes > offloadAbove ? workerHasher() : inlineHasher();
}
