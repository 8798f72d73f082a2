// Where the upload queue keeps what is still to send, so that a reload, a crash of the tab or a
// phone that drops the page continues where it stopped. IndexedDB stores File and Blob objects
// as they are; each entry's state lives apart from its bytes, so a status change rewrites a few
// bytes, not the file. Entries belong to one user: another account on the same browser never
// uploads them.
import type { UploadItem } from './upload-types.ts';

export interface StoredUpload {
  item: UploadItem;
  file: Blob;
}

export interface QueueStore {
  /** Whether entries outlive the page (false: the queue lasts as long as the tab). */
  readonly durable: boolean;
  load(): Promise<{ uploads: StoredUpload[]; paused: boolean }>;
  add(item: UploadItem, file: Blob): Promise<void>;
  update(item: UploadItem): Promise<void>;
  remove(id: string): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
}

/** A store in memory: for tests, and for browsers without IndexedDB (private windows of some). */
export function memoryStore(initial: StoredUpload[] = [], initialPaused = false): QueueStore & { entries: Map<string, StoredUpload>; paused: boolean } {
  const entries = new Map(initial.map((u) => [u.item.id, u]));
  const store = {
    durable: false,
    entries,
    paused: initialPaused,
    async load() {
      return { uploads: [...entries.values()].map((u) => ({ item: { ...u.item }, file: u.file })), paused: store.paused };
    },
    async add(item: UploadItem, file: Blob) {
      entries.set(item.id, { item: { ...item }, file });
    },
    async update(item: UploadItem) {
      const entry = entries.get(item.id);
      if (entry) entry.item = { ...item };
    },
    async remove(id: string) {
      entries.delete(id);
    },
    async setPaused(paused: boolean) {
      store.paused = paused;
    },
  };
  return store;
}

const DB_NAME = 'shoebox-uploads';
const ITEMS = 'items';
const FILES = 'files';
const PREFS = 'prefs';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore(ITEMS, { keyPath: 'id' }).createIndex('owner', 'owner');
      db.createObjectStore(FILES);
      db.createObjectStore(PREFS);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

type Row = UploadItem & { owner: string };

/** The queue of one user in this browser's IndexedDB; null where IndexedDB is unavailable. */
export async function indexedDbStore(owner: string): Promise<QueueStore | null> {
  if (typeof indexedDB === 'undefined') return null;
  let db: IDBDatabase;
  try {
    db = await openDb();
  } catch {
    return null;
  }
  const pausedKey = `paused:${owner}`;
  return {
    durable: true,
    async load() {
      const tx = db.transaction([ITEMS, FILES, PREFS], 'readonly');
      const rows = await request(tx.objectStore(ITEMS).index('owner').getAll(owner) as IDBRequest<Row[]>);
      const uploads: StoredUpload[] = [];
      for (const { owner: _owner, ...item } of rows) {
        const file = await request(tx.objectStore(FILES).get(item.id) as IDBRequest<Blob | undefined>);
        if (file) uploads.push({ item, file });
      }
      const paused = (await request(tx.objectStore(PREFS).get(pausedKey))) === true;
      uploads.sort((a, b) => a.item.addedAt - b.item.addedAt || a.item.order - b.item.order);
      return { uploads, paused };
    },
    async add(item, file) {
      const tx = db.transaction([ITEMS, FILES], 'readwrite');
      tx.objectStore(FILES).put(file, item.id);
      tx.objectStore(ITEMS).put({ ...item, owner } satisfies Row);
      await done(tx);
    },
    async update(item) {
      const tx = db.transaction(ITEMS, 'readwrite');
      const store = tx.objectStore(ITEMS);
      // An entry removed meanwhile (finished, or removed by hand) is not brought back.
      const existing = await request(store.get(item.id));
      if (existing) store.put({ ...item, owner } satisfies Row);
      await done(tx);
    },
    async remove(id) {
      const tx = db.transaction([ITEMS, FILES], 'readwrite');
      tx.objectStore(ITEMS).delete(id);
      tx.objectStore(FILES).delete(id);
      await done(tx);
    },
    async setPaused(paused) {
      const tx = db.transaction(PREFS, 'readwrite');
      tx.objectStore(PREFS).put(paused, pausedKey);
      await done(tx);
    },
  };
}
