// The folders the app protocol may serve files from (the data folder and the library's roots),
// checked against a file's real path without touching the disk for each request: first textually
// against the folders as listed (a thumbnail in the data folder is answered with no system call
// beyond the file's own), then against each folder's real path, resolved once and kept until the
// list changes. A folder that cannot be resolved (an unplugged drive, an unreachable share) is
// tried again at most every `retryMs`, so one dead network folder does not slow every thumbnail.
import fs from 'node:fs';
import path from 'node:path';

// Compared without case where the usual file systems ignore it (NTFS, APFS), as the OS would.
export function isInside(root: string, target: string): boolean {
  const fold = process.platform === 'win32' || process.platform === 'darwin';
  const rel = path.relative(fold ? root.toLowerCase() : root, fold ? target.toLowerCase() : target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

interface Resolution {
  /** The folder's real path; null when it could not be resolved. */
  real: string | null;
  /** When the last attempt ended (for the retry of a failed one). */
  at: number;
  /** The attempt under way, shared by the requests that wait for it. */
  pending: Promise<string | null> | null;
}

export interface AllowedFoldersOptions {
  /** How long a folder that failed to resolve is not tried again (default 5 s). */
  retryMs?: number;
}

export class AllowedFolders {
  private readonly list: () => readonly string[];
  private readonly retryMs: number;
  private key = '';
  private readonly resolved = new Map<string, Resolution>();

  /** `list`: the folders, in the order they are tried (the data folder first: most requests are thumbnails). */
  constructor(list: () => readonly string[], opts: AllowedFoldersOptions = {}) {
    this.list = list;
    this.retryMs = opts.retryMs ?? 5_000;
  }

  /** Whether `realFile` (a path with its symlinks already resolved) lies in one of the folders. */
  async contains(realFile: string): Promise<boolean> {
    const folders = this.current();
    // A real path is inside a folder as listed only if that folder is itself real along the way.
    if (folders.some((folder) => isInside(folder, realFile))) return true;
    const known = folders.map((folder) => this.resolution(folder));
    if (known.some((r) => r.real !== null && isInside(r.real, realFile))) return true;
    const waiting = known.filter((r) => r.pending !== null).map((r) => r.pending!);
    if (waiting.length === 0) return false;
    // The first folder found to hold the file answers; a folder still resolving (a share that
    // hangs) only holds up files that no other folder holds.
    return await new Promise<boolean>((resolve) => {
      let left = waiting.length;
      for (const attempt of waiting) {
        void attempt.then((real) => {
          if (real !== null && isInside(real, realFile)) resolve(true);
          else if (--left === 0) resolve(false);
        });
      }
    });
  }

  /** The folders as listed now, resolved; the cache starts over when the list changes. */
  private current(): readonly string[] {
    const folders = this.list().map((folder) => path.resolve(folder));
    const key = folders.join('\0');
    if (key !== this.key) {
      this.key = key;
      this.resolved.clear();
    }
    return folders;
  }

  /** The folder's cached resolution, starting an attempt when it has none or its failure is old. */
  private resolution(folder: string): Resolution {
    let entry = this.resolved.get(folder);
    const stale = entry !== undefined && entry.real === null && entry.pending === null && Date.now() - entry.at >= this.retryMs;
    if (entry === undefined || stale) {
      const next: Resolution = entry ?? { real: null, at: 0, pending: null };
      entry = next;
      next.pending = fs.promises.realpath(folder).catch(() => null).then((real) => {
        Object.assign(next, { real, at: Date.now(), pending: null });
        return real;
      });
      this.resolved.set(folder, next);
    }
    return entry;
  }
}
