// Downloads a model's files on request only: each to `<file>.part`, resumed with a Range request,
// hashed while it streams, checked for size and sha256, then renamed into place. Concurrent calls
// for one model share a single download.
import { httpGet, type HttpAnswer } from './model-http.ts';
import crypto, { type Hash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { modelBytes, type ModelEntry, type ModelFile } from '@shoebox/core';
import { hashFileInto } from './model-checksums.ts';
import type { ModelStore, VerifiedModel } from './model-store.ts';

export interface DownloadProgress {
  id: string;
  /** The file being fetched or checked. */
  file: string;
  /** `verifying`: hashing bytes already on disk (a resumed part, a file already in place). */
  phase: 'downloading' | 'verifying';
  /** Over all of the model's files; drops only when a server ignores a resume and the file restarts. */
  receivedBytes: number;
  totalBytes: number;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Stops this caller's wait; the download itself stops when every caller sharing it has aborted. */
  signal?: AbortSignal;
}

interface SharedDownload {
  promise: Promise<VerifiedModel>;
  listeners: Set<(p: DownloadProgress) => void>;
  controller: AbortController;
  callers: number;
}

const inflight = new Map<string, SharedDownload>();
const PROGRESS_EVERY_MS = 100;

/** The URL a file is fetched from: the manifest's, or `<mirror>/<model id>/<file name>`. */
export function downloadUrl(store: ModelStore, id: string, file: ModelFile): string {
  return store.mirror ? `${store.mirror}/${encodeURIComponent(id)}/${encodeURIComponent(file.name)}` : file.url;
}

/** Fetches whatever of the model is missing, partial or corrupt; resolves once it is verified. */
export async function downloadModel(store: ModelStore, id: string, options: DownloadOptions = {}): Promise<VerifiedModel> {
  const model = store.model(id);
  options.signal?.throwIfAborted();
  const key = `${store.modelsDir}\u0000${model.id}`;
  let shared = inflight.get(key);
  // A download every caller gave up on is still winding down: let it release the .part first.
  while (shared?.controller.signal.aborted) {
    await shared.promise.catch(() => undefined);
    shared = inflight.get(key);
  }
  if (!shared) {
    const controller = new AbortController();
    const listeners = new Set<(p: DownloadProgress) => void>();
    const emit = (p: DownloadProgress): void => {
      for (const listener of listeners) {
        try {
          listener(p);
        } catch {
          // A failing progress callback must not break a download other callers are waiting for.
        }
      }
    };
    const promise: Promise<VerifiedModel> = runDownload(store, model, emit, controller.signal).finally(() => {
      if (inflight.get(key)?.promise === promise) inflight.delete(key);
    });
    // Every caller may have gone (aborted): the shared promise must not reject unobserved.
    promise.catch(() => undefined);
    shared = { promise, listeners, controller, callers: 0 };
    inflight.set(key, shared);
  }
  return join(shared, options);
}

function join(shared: SharedDownload, { onProgress, signal }: DownloadOptions): Promise<VerifiedModel> {
  shared.callers += 1;
  if (onProgress) shared.listeners.add(onProgress);
  return new Promise((resolve, reject) => {
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      signal?.removeEventListener('abort', onAbort);
      if (onProgress) shared.listeners.delete(onProgress);
      shared.callers -= 1;
    };
    const onAbort = (): void => {
      if (left) return;
      leave();
      if (shared.callers === 0) shared.controller.abort(signal?.reason);
      reject(signal?.reason instanceof Error ? signal.reason : new DOMException('the download was aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    shared.promise.then(
      (value) => (leave(), resolve(value)),
      (error: unknown) => (leave(), reject(error)),
    );
  });
}

async function runDownload(
  store: ModelStore,
  model: ModelEntry,
  emit: (p: DownloadProgress) => void,
  signal: AbortSignal,
): Promise<VerifiedModel> {
  const totalBytes = modelBytes(model);
  let done = 0;
  for (const file of model.files) {
    let last = 0;
    const report = (phase: DownloadProgress['phase'], have: number, force = false): void => {
      const now = Date.now();
      if (!force && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      emit({ id: model.id, file: file.name, phase, receivedBytes: done + have, totalBytes });
    };
    await fetchFile(store, model, file, report, signal);
    done += file.bytes;
    report('downloading', 0, true);
  }
  const verified = await store.pathsFor(model.id);
  if (!verified) throw new Error(`the model ${model.id} changed on disk while it was downloaded; try again`);
  return verified;
}

type Report = (phase: DownloadProgress['phase'], have: number, force?: boolean) => void;

async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await fsp.stat(file)).size;
  } catch {
    return null;
  }
}

async function fetchFile(store: ModelStore, model: ModelEntry, file: ModelFile, report: Report, signal: AbortSignal): Promise<void> {
  const label = `${model.id}/${file.name}`;
  const dest = store.filePath(model.id, file.name);
  const part = `${dest}.part`;
  await fsp.mkdir(path.dirname(dest), { recursive: true });

  // A file already in place is kept when it checks out (a previous download, a copied-in model).
  if ((await sizeOf(dest)) === file.bytes) {
    report('verifying', 0, true);
    if ((await store.verifyFile(model, file)) === 'ok') return;
  }

  let hash: Hash = crypto.createHash('sha256');
  let have = (await sizeOf(part)) ?? 0;
  if (have > file.bytes) {
    await fsp.rm(part, { force: true });
    have = 0;
  } else if (have > 0) {
    report('verifying', have, true);
    have = await hashFileInto(part, hash, signal);
  }
  report('downloading', have, true);

  if (have < file.bytes) {
    const url = downloadUrl(store, model.id, file);
    let res = await request(url, have, signal, label);
    if (have > 0 && !(res.status === 206 && rangeStart(res) === have)) {
      // The server ignored the range (200: this response is the whole file) or could not serve it.
      if (res.status !== 200) {
        await res.body.cancel();
        res = await request(url, 0, signal, label);
      }
      hash = crypto.createHash('sha256');
      have = 0;
    }
    if (!(res.status === 200 || (have > 0 && res.status === 206))) {
      await res.body.cancel();
      throw new Error(`download of ${label} failed: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} from ${url}`);
    }
    const length = Number(res.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(length) && have + length !== file.bytes) {
      await res.body.cancel();
      throw new Error(`download of ${label} failed: ${url} has ${have + length} bytes, the manifest expects ${file.bytes}`);
    }
    have = await streamToPart(res, part, { start: have, file, hash, report, label, signal });
  }

  if (have !== file.bytes) throw new Error(`download of ${label} ended early: ${have} of ${file.bytes} bytes (it resumes on the next try)`);
  const actual = hash.digest('hex');
  if (actual !== file.sha256) {
    await fsp.rm(part, { force: true });
    throw new Error(`checksum mismatch for ${label}: expected ${file.sha256}, got ${actual}`);
  }
  await fsp.rename(part, dest);
  store.rememberChecksum(model.id, file.name, actual);
}

async function request(url: string, from: number, signal: AbortSignal, label: string): Promise<HttpAnswer> {
  try {
    return await httpGet(url, from > 0 ? { range: `bytes=${from}-`, 'accept-encoding': 'identity' } : { 'accept-encoding': 'identity' }, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new Error(`download of ${label} failed: ${reason(error)} (${url})`, { cause: error });
  }
}

/** The first byte of a 206 response (`Content-Range: bytes N-M/T`), or null when it has none. */
function rangeStart(res: HttpAnswer): number | null {
  const m = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(res.headers.get('content-range')?.trim() ?? '');
  return m ? Number(m[1]) : null;
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

interface StreamTarget {
  start: number;
  file: ModelFile;
  hash: Hash;
  report: Report;
  label: string;
  signal: AbortSignal;
}

async function streamToPart(res: HttpAnswer, part: string, { start, file, hash, report, label, signal }: StreamTarget): Promise<number> {
  let have = start;
  const out = await fsp.open(part, start > 0 ? 'a' : 'w');
  try {
    for await (const chunk of res.body) {
      if (have + chunk.length > file.bytes) {
        await out.close().catch(() => undefined);
        await fsp.rm(part, { force: true });
        throw new Error(`download of ${label} failed: the server sent more than the expected ${file.bytes} bytes`);
      }
      await out.write(chunk);
      hash.update(chunk);
      have += chunk.length;
      report('downloading', have);
    }
    await out.sync();
  } catch (error) {
    if (signal.aborted || (error instanceof Error && error.message.startsWith(`download of ${label}`))) throw error;
    throw new Error(`download of ${label} stopped after ${have} of ${file.bytes} bytes: ${reason(error)} (it resumes on the next try)`, { cause: error });
  } finally {
    await out.close().catch(() => undefined);
  }
  return have;
}
