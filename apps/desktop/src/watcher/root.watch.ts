// The watches on one library folder, and what their events mean. Events are only hints: each one
// names a folder to look at again (a file's folder alone; a folder that appeared or went, whole),
// and the scan decides what changed. With a backend that watches one folder at a time (Linux), a
// watch is added for every folder that appears (before its contents are scanned, so nothing
// created meanwhile is missed) and dropped for every one that goes. Links, the folders a scan
// skips and the app's own folders are never watched. A backend that watches whole trees (macOS,
// Windows) reports a folder as changed whenever an entry in it is: that folder alone is looked at
// again, and only a folder that appeared or was renamed has its whole tree scanned.
import fs from 'node:fs';
import path from 'node:path';
import { isJunkFolder, isJunkName } from '@shoebox/core/media';
import type { Logger } from 'pino';
import type { InternalTest } from '../scanner/internal-folders.ts';
import type { ScanScope } from '../scanner/scan.protocol.ts';
import { isGoneError } from '../scanner/scan.presence.ts';
import { isWatchLimit, type WatchBackend, type WatchEventKind, type WatchHandle } from './watch.backend.ts';

export interface RootWatchEvents {
  /** A folder to scan again. */
  scope(scope: ScanScope): void;
  /** The OS cannot watch any more (or a watch failed): the root needs another way. */
  failed(error: Error): void;
  /** The root folder itself seems gone (the watcher makes sure before taking it offline). */
  gone(): void;
}

export class RootWatch {
  readonly root: string;
  private readonly backend: WatchBackend;
  private readonly log: Logger;
  private readonly events: RootWatchEvents;
  private readonly isInternal: InternalTest;
  /** Each watched folder's handle, and its inode: a folder deleted and made again needs a new watch. */
  private readonly handles = new Map<string, { handle: WatchHandle; ino: number }>();
  private readonly walks = new Set<Promise<void>>();
  private closed = false;

  constructor(root: string, backend: WatchBackend, log: Logger, events: RootWatchEvents, isInternal: InternalTest = () => false) {
    this.root = root;
    this.backend = backend;
    this.log = log;
    this.events = events;
    this.isInternal = isInternal;
  }

  /** How many folders have a watch of their own. */
  get folders(): number {
    return this.handles.size;
  }

  /** Watches the root (and, one folder at a time, its tree); rejects when the root cannot be watched. */
  async start(): Promise<void> {
    this.add(this.root, (await fs.promises.stat(this.root)).ino, true);
    if (!this.backend.recursive) await this.track(this.walk(this.root, false));
  }

  /** Resolves when the watches of folders that appeared are in place. */
  async settled(): Promise<void> {
    // A walk that failed has reported it (or failed start()): waiting is all that is wanted here.
    while (this.walks.size > 0) await Promise.allSettled(this.walks);
  }

  close(): void {
    this.closed = true;
    for (const h of this.handles.values()) h.handle.close();
    this.handles.clear();
  }

  private track(walk: Promise<void>): Promise<void> {
    this.walks.add(walk);
    return walk.finally(() => this.walks.delete(walk));
  }

  /** Watches one folder; throws at the root for any failure, below it for the watcher limit only. */
  private add(dir: string, ino: number, isRoot: boolean): boolean {
    if (this.closed || this.handles.has(dir)) return false;
    try {
      const handle = this.backend.watch(dir, (name, kind) => this.onEvent(dir, name, kind), (error) => this.onError(dir, error));
      this.handles.set(dir, { handle, ino });
      return true;
    } catch (error) {
      if (isRoot || isWatchLimit(error)) throw error;
      // Gone already, or unreadable (which the scan reports): nothing to watch.
      this.log.debug({ code: (error as NodeJS.ErrnoException).code }, 'could not watch a folder');
      return false;
    }
  }

  /** Adds watches below `dir`; the limit stops the walk and, at run time, the root's watching. */
  private async walk(dir: string, reportFailure: boolean): Promise<void> {
    const stack = [dir];
    while (stack.length > 0 && !this.closed) {
      const next = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(next, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory() || isJunkFolder(e.name)) continue;
        const sub = path.join(next, e.name);
        if (this.isInternal(sub)) continue;
        const ino = await inodeOf(sub);
        if (ino === null) continue;
        try {
          if (this.add(sub, ino, false)) stack.push(sub);
        } catch (error) {
          if (!reportFailure) throw error;
          this.events.failed(error as Error);
          return;
        }
      }
    }
  }

  private onError(dir: string, error: Error): void {
    if (this.closed) return;
    this.log.debug({ err: error, root: dir === this.root }, 'a folder watch failed');
    this.events.failed(error);
  }

  private onEvent(dir: string, name: string | null, kind: WatchEventKind): void {
    if (this.closed) return;
    if (name === null) {
      this.events.scope({ dir, recursive: true });
      return;
    }
    const full = path.join(dir, name);
    const segments = path.relative(this.root, full).split(path.sep);
    if (segments.some((s) => s === '..' || isJunkFolder(s)) || this.isInternal(full)) return;
    void this.inspect(full, kind).catch((error: unknown) => this.log.debug({ err: error }, 'could not look at a changed entry'));
  }

  private async inspect(full: string, kind: WatchEventKind): Promise<void> {
    let st: fs.Stats | null = null;
    let code: string | undefined;
    try {
      st = await fs.promises.lstat(full);
    } catch (error) {
      code = (error as NodeJS.ErrnoException).code;
    }
    if (this.closed) return;
    const parent = path.dirname(full);
    if (st?.isDirectory()) {
      if (this.backend.recursive) {
        // A folder that changed is one the library knows (its tree is watched already): its own
        // entries are looked at. One that appeared or was renamed (moved in) is new: all of it.
        this.events.scope({ dir: full, recursive: kind === 'rename' });
        return;
      }
      if (this.handles.get(full)?.ino !== st.ino) this.unwatchTree(full);
      let added: boolean;
      try {
        added = this.add(full, st.ino, false);
      } catch (error) {
        this.events.failed(error as Error);
        return;
      }
      if (added) {
        // A new folder (or one moved in): watch its tree before scanning it.
        await this.track(this.walk(full, true));
        this.events.scope({ dir: full, recursive: true });
      }
      return;
    }
    if (st?.isFile()) {
      if (!isJunkName(path.basename(full))) this.events.scope({ dir: parent, recursive: false });
      return;
    }
    if (st) return; // a link, a socket: never part of the library
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      this.events.scope({ dir: parent, recursive: false });
      return;
    }
    if (full === this.root || await isGone(this.root)) {
      this.events.gone();
      return;
    }
    // Gone: a file (its folder says so) or a folder (its whole tree is gone).
    this.unwatchTree(full);
    this.events.scope({ dir: parent, recursive: false });
    this.events.scope({ dir: full, recursive: true });
  }

  private unwatchTree(dir: string): void {
    const prefix = dir + path.sep;
    for (const [d, h] of this.handles) {
      if (d === dir || d.startsWith(prefix)) {
        h.handle.close();
        this.handles.delete(d);
      }
    }
  }
}

async function inodeOf(p: string): Promise<number | null> {
  try {
    return (await fs.promises.lstat(p)).ino;
  } catch {
    return null;
  }
}

/** Not there (an error that is not "no such file" says nothing either way). */
async function isGone(p: string): Promise<boolean> {
  try {
    await fs.promises.stat(p);
    return false;
  } catch (error) {
    return isGoneError(error);
  }
}
