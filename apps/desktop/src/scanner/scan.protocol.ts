// Messages from the scan thread to the engine.

export interface ScanRootInput {
  id: string;
  path: string;
}

export interface ScanThreadInput {
  dataDir: string;
  roots: ScanRootInput[];
  /** Int32 counter of batches the engine has written: the thread stays a few batches ahead. */
  acks: SharedArrayBuffer;
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
  | { type: 'done'; seen: number; unchanged: number; sidecars: number };
