// Messages from the scan thread to the engine.

/** A folder inside a root to look at: only its own files, or its whole tree. */
export interface ScanScope {
  dir: string;
  recursive: boolean;
}

export interface ScanRootInput {
  id: string;
  path: string;
  /**
   * Only these folders (a scoped scan: what a watcher saw change). Only their known files can be
   * reported missing, and a scope folder that is gone means every known file under it is.
   * Absent: the whole root.
   */
  scopes?: ScanScope[];
}

export interface ScanThreadInput {
  dataDir: string;
  roots: ScanRootInput[];
  /** The app's own folders (data, models), canonical: never walked, nothing in them reported missing. */
  internal?: string[];
  /** Int32 counter of batches the engine has written: the thread stays a few batches ahead. */
  acks: SharedArrayBuffer;
  /**
   * A new or changed file modified less than this long ago (or whose size or mtime moves while it
   * is hashed) may still be being written: it is reported unsettled instead of ingested. 0: off.
   */
  settleMs?: number;
}

/** Batches the scan thread may send before the engine has written them. */
export const MAX_BATCHES_AHEAD = 4;

/** A media file that is new or whose size, mtime or sidecars changed since the last scan. */
export interface ScannedFile {
  rootId: string;
  path: string;
  dir: string;
  fileName: string;
  size: number;
  mtimeMs: number;
  type: 'image' | 'video';
  format: string | null;
  /** Hex SHA-1 of the content; null when only the sidecars changed (content not re-read). */
  checksum: string | null;
  known: boolean;
  sidecars: string[];
  sidecarSig: string;
}

export type ScanMessage =
  | { type: 'files'; files: ScannedFile[]; seen: number; unchanged: number }
  | { type: 'missing'; rootId: string; paths: string[] }
  /** Tombstoned paths whose file is gone: nothing is left to keep out. */
  | { type: 'forgotten'; paths: string[] }
  | { type: 'error'; path: string; error: string }
  /** Files that may still be being written (see settleMs): neither ingested nor reported missing. */
  | { type: 'unsettled'; rootId: string; paths: string[] }
  | { type: 'done'; seen: number; unchanged: number; sidecars: number };
