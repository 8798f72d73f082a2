// The signed-in user's upload queue, held above the pages so uploads go on while the person browses
// (and while a login is shown after a 401: the same user's queue continues after signing in). The
// queue sends through XMLHttpRequest, checks checksums with bulkCheckAssets, keeps pending files in
// IndexedDB, and refreshes the timeline as new photos arrive.
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context.tsx';
import { ApiError, isUnauthorized, type ApiClient } from '../api/client.ts';
import { invalidateAssets } from '../api/mutations.ts';
import { indexedDbStore, memoryStore } from './queue-store.ts';
import { sha1OfBlob } from './sha1.ts';
import { UploadQueue, type QueueSnapshot } from './upload-queue.ts';
import { UploadFailure } from './upload-types.ts';
import { deviceId, xhrSender } from './xhr-upload.ts';

const UploadContext = createContext<UploadQueue | null>(null);

/** The upload queue, or null where there is none (desktop mode, nobody signed in, still opening). */
export function useUploadQueue(): UploadQueue | null {
  return useContext(UploadContext);
}

const EMPTY: QueueSnapshot = {
  items: [], paused: false, blocked: false, ready: false, durable: false, notStored: 0,
  totals: { files: 0, done: 0, duplicate: 0, failed: 0, active: 0, pending: 0, bytes: 0, sentBytes: 0 },
};
const noop = () => () => {};

export function useUploadSnapshot(queue: UploadQueue | null): QueueSnapshot {
  return useSyncExternalStore(queue?.subscribe ?? noop, queue?.getSnapshot ?? (() => EMPTY));
}

/** The queue's collaborators for the real server. */
export function serverQueueDeps(api: ApiClient) {
  return {
    send: xhrSender({ url: api.url('uploadAsset'), deviceId: deviceId() }),
    hash: sha1OfBlob,
    check: async (checksums: string[]) => {
      try {
        const answer = await api.call('bulkCheckAssets', { body: { checksums } });
        return new Map(answer.results.map((r) => [r.checksum.toLowerCase(), r.assetId]));
      } catch (error) {
        if (isUnauthorized(error)) throw new UploadFailure('unauthorized', 'Sign in again to continue.');
        throw error;
      }
    },
    online: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  };
}

/** Builds a user's queue, given what it should call when a file arrives and on a 401. */
export type QueueFactory = (owner: string, hooks: { onUploaded(): void; onUnauthorized(): void }) => Promise<UploadQueue>;

interface UploadProviderProps {
  /** Whose queue: the signed-in user, or the last one while the login is shown. */
  owner: string | null;
  /** Someone is signed in: the queue may send. */
  active: boolean;
  children: ReactNode;
  /** Builds the queue (tests hand in fakes); by default IndexedDB and XMLHttpRequest. */
  createQueue?: QueueFactory;
}

export function UploadProvider({ owner, active, children, createQueue }: UploadProviderProps) {
  const api = useApi();
  const qc = useQueryClient();
  const [queue, setQueue] = useState<UploadQueue | null>(null);
  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  const make = useRef(createQueue);

  useEffect(() => {
    if (!owner) return;
    let cancelled = false;
    let made: UploadQueue | null = null;
    // New photos show up in the timeline a moment after they arrive, once per burst of uploads.
    const onUploaded = () => {
      if (refresh.current) clearTimeout(refresh.current);
      refresh.current = setTimeout(() => void invalidateAssets(qc), 1500);
    };
    const onUnauthorized = () => api.reportUnauthorized(new ApiError(401, 'UNAUTHORIZED', 'the session has ended'));
    const build = make.current
      ? make.current(owner, { onUploaded, onUnauthorized })
      : (async () => {
          const store = (await indexedDbStore(owner)) ?? memoryStore();
          return new UploadQueue({ store, ...serverQueueDeps(api), onUploaded, onUnauthorized });
        })();
    void build.then((q) => {
      if (cancelled) return q.dispose();
      made = q;
      setQueue(q);
      void q.restore();
    });
    return () => {
      cancelled = true;
      made?.dispose();
      setQueue(null);
      if (refresh.current) clearTimeout(refresh.current);
    };
  }, [owner, api, qc]);

  useEffect(() => queue?.setBlocked(!active), [queue, active]);

  useEffect(() => {
    if (!queue) return;
    const online = () => queue.nudge();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [queue]);

  return <UploadContext.Provider value={owner ? queue : null}>{children}</UploadContext.Provider>;
}
