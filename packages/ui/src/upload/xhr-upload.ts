// Sends one file to the sync server's upload route as multipart form data. XMLHttpRequest, not
// fetch: only it reports upload progress. The text fields go before the file so the server knows
// them when the file's bytes start streaming in.
import { apiRoutes, ErrorBody } from '@shoebox/core/contract';
import { parseRetryAfter } from '../api/client.ts';
import { UploadFailure, type UploadOutcome, type UploadSender } from './upload-types.ts';

const DEVICE_KEY = 'shoebox.deviceId';

/** A stable id for this browser, sent as the upload's deviceId. */
export function deviceId(): string {
  try {
    const known = localStorage.getItem(DEVICE_KEY);
    if (known) return known;
    const id = `web-${[...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    localStorage.setItem(DEVICE_KEY, id);
    return id;
  } catch {
    return 'web';
  }
}

function sentence(text: string): string {
  const t = text.trim();
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** The server's answer to a finished request, as an outcome or the failure to report. */
export function outcomeOf(status: number, body: string, retryAfter: string | null = null): UploadOutcome {
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  if (status === 200 || status === 201) {
    const parsed = apiRoutes.uploadAsset.response.safeParse(json);
    if (parsed.success) return { status: parsed.data.status, assetId: parsed.data.id, checksum: parsed.data.checksum };
    throw new UploadFailure('server', 'The server’s answer was not understood.', { status });
  }
  const error = ErrorBody.safeParse(json);
  const code = error.success ? error.data.error.code : undefined;
  const message = error.success ? sentence(error.data.error.message) : `The server answered with status ${status}.`;
  const extra = { status, ...(code && { code }) };
  if (status === 401) throw new UploadFailure('unauthorized', 'Sign in again to continue.', extra);
  if (status === 0) throw new UploadFailure('network', 'The connection to the server was lost.', extra);
  if (status === 413) throw new UploadFailure('rejected', error.success ? message : 'The file is larger than the server accepts.', extra);
  if (status === 415) throw new UploadFailure('rejected', error.success ? message : 'The server does not take this kind of file.', extra);
  if (status === 429) {
    const wait = parseRetryAfter(retryAfter);
    throw new UploadFailure('server', wait ? `The server is busy; trying again in ${wait} s.` : 'The server is busy.', extra);
  }
  if (status === 408 || status >= 500) throw new UploadFailure('server', message, extra);
  throw new UploadFailure('rejected', message, extra);
}

export interface XhrSenderOptions {
  url: string;
  deviceId: string;
  /** Gives up on a request that sends nothing for this long (ms). */
  stallTimeout?: number;
  createXhr?: () => XMLHttpRequest;
}

export function xhrSender({ url, deviceId: device, stallTimeout = 60_000, createXhr = () => new XMLHttpRequest() }: XhrSenderOptions): UploadSender {
  return ({ item, file, checksum }, onProgress, signal) =>
    new Promise<UploadOutcome>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
      const xhr = createXhr();
      let stall: ReturnType<typeof setTimeout> | undefined;
      const watch = () => {
        clearTimeout(stall);
        stall = setTimeout(() => xhr.abort(), stallTimeout);
      };
      const settle = () => {
        clearTimeout(stall);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => xhr.abort();
      signal.addEventListener('abort', onAbort, { once: true });

      xhr.open('POST', url);
      xhr.responseType = 'text';
      xhr.upload.onprogress = (e) => {
        watch();
        // `total` counts the form around the file too: scale to the file's own bytes.
        const ratio = e.lengthComputable && e.total > 0 ? e.loaded / e.total : 0;
        onProgress(Math.round(Math.min(1, ratio) * item.size));
      };
      xhr.onload = () => {
        settle();
        try {
          resolve(outcomeOf(xhr.status, typeof xhr.response === 'string' ? xhr.response : xhr.responseText, xhr.getResponseHeader('retry-after')));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      xhr.onerror = () => {
        settle();
        reject(new UploadFailure('network', 'The connection to the server was lost.'));
      };
      xhr.onabort = () => {
        settle();
        if (signal.aborted) reject(new DOMException('the upload was stopped', 'AbortError'));
        else reject(new UploadFailure('network', 'The upload stalled: nothing went through for a minute.'));
      };

      const form = new FormData();
      const when = Number.isFinite(item.lastModified) && item.lastModified > 0 ? new Date(item.lastModified).toISOString() : null;
      if (when) {
        // Browsers know only a file's modification time; for a photo from the camera roll it is
        // usually when it was taken. The file's own metadata wins on the server.
        form.append('fileCreatedAt', when);
        form.append('fileModifiedAt', when);
      }
      form.append('deviceId', device);
      form.append('deviceAssetId', `${item.name}-${item.size}-${item.lastModified}`.slice(0, 500));
      if (checksum) form.append('checksum', checksum);
      form.append('file', file, item.name);
      watch();
      xhr.send(form);
    });
}
