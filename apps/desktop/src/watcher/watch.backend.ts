// How the folder watcher asks the OS about changes, behind a small interface so that tests can
// inject failures (the OS watcher limit). Linux gets one inotify watch per folder (Node's recursive
// mode there is the same thing done in JavaScript, without our junk-folder and link rules); macOS
// and Windows watch a whole tree natively (FSEvents, ReadDirectoryChangesW).
import fs from 'node:fs';

export interface WatchHandle {
  close(): void;
}

/**
 * What the OS said happened to an entry: 'rename' (it appeared, went, or was renamed) or 'change'
 * (its content or attributes changed; Windows says so of a folder whenever an entry in it changes).
 */
export type WatchEventKind = 'rename' | 'change';

export interface WatchBackend {
  /** One watch reports changes in a folder's whole tree; otherwise only in the folder itself. */
  readonly recursive: boolean;
  /**
   * Watches `dir`. `onChange` gets the changed entry's path relative to `dir` (null when the OS
   * does not say). Throws when the OS cannot watch it (ENOSPC or EMFILE: the watcher limit).
   */
  watch(dir: string, onChange: (name: string | null, kind: WatchEventKind) => void, onError: (error: Error) => void): WatchHandle;
}

export function nodeWatchBackend(platform: NodeJS.Platform = process.platform): WatchBackend {
  const recursive = platform === 'darwin' || platform === 'win32';
  return {
    recursive,
    watch(dir, onChange, onError) {
      // Not persistent: watching alone never keeps the process alive (serve has its server).
      const watcher = fs.watch(dir, { recursive, persistent: false }, (event, name) => onChange(name ?? null, event));
      watcher.on('error', onError);
      return { close: () => watcher.close() };
    },
  };
}

/** The errors that mean the OS ran out of watches or handles, not that one folder is a problem. */
export function isWatchLimit(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EMFILE' || code === 'ENFILE';
}
