// Whether a folder or file a scan looks for is there, gone, or only unreadable for now. Only "no
// such file" (ENOENT, ENOTDIR) means gone: a NAS timing out (ETIMEDOUT, EIO) or a folder the user
// may not read (EACCES) says nothing about what it holds, and taking its files offline would cost
// a rescan and a job per file when it answers again. On case-insensitive volumes (macOS, Windows)
// a folder renamed only in case (Trip → trip) still answers to its old name: the spelling the
// volume gives decides, so the old name is gone and the new one is new (and its files, moves).
import fs from 'node:fs';
import path from 'node:path';
import { isJunkFolder } from '@shoebox/core/media';
import type { InternalTest } from './internal-folders.ts';
import type { ScanScope } from './scan.protocol.ts';

/** The file system calls that decide presence; tests simulate other volumes with them. */
export interface PathVolume {
  /** As fs.lstatSync: throws an error with a code. */
  lstat(p: string): { isDirectory(): boolean };
  /** The path as the volume spells it (fs.realpathSync.native); throws like lstat. */
  canonical(p: string): string;
}

export function nodeVolume(platform: NodeJS.Platform = process.platform): PathVolume {
  const caseInsensitive = platform === 'darwin' || platform === 'win32';
  return {
    lstat: (p) => fs.lstatSync(p),
    // Linux volumes are case-sensitive (the rare ones that are not are taken as they are).
    canonical: caseInsensitive ? (p) => fs.realpathSync.native(p) : (p) => p,
  };
}

export function isGoneError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export type Presence = 'present' | 'gone' | 'unreadable';

/** Whether `p`, below `root`, is spelled there as the volume spells it. */
function spelledAsStored(p: string, root: string, volume: PathVolume): boolean {
  const rel = path.relative(root, p);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return true;
  // Only the part below the root: the root is spelled as the user chose it, and may be reached
  // through a link or a mapped drive that the canonical path resolves.
  return volume.canonical(p).normalize('NFC').endsWith((path.sep + rel).normalize('NFC'));
}

/** A library folder itself (links to it are fine: the user chose the path). */
export function rootPresence(dir: string, stat: (p: string) => { isDirectory(): boolean } = fs.statSync): Presence {
  try {
    return stat(dir).isDirectory() ? 'present' : 'gone';
  } catch (error) {
    return isGoneError(error) ? 'gone' : 'unreadable';
  }
}

/** A folder below a root: there (a real folder, not a link), gone, or unreadable for now. */
export function folderPresence(dir: string, root: string, volume: PathVolume): Presence {
  try {
    // A folder replaced by a link counts as gone, as in a full scan (which never follows links).
    if (!volume.lstat(dir).isDirectory()) return 'gone';
    return spelledAsStored(dir, root, volume) ? 'present' : 'gone';
  } catch (error) {
    return isGoneError(error) ? 'gone' : 'unreadable';
  }
}

/** Whether a file the catalog knows is gone from its path; unreadable is not gone. */
export function fileGone(p: string, root: string | undefined, volume: PathVolume): boolean {
  try {
    volume.lstat(p);
    return root !== undefined && !spelledAsStored(p, root, volume);
  } catch (error) {
    return isGoneError(error);
  }
}

export interface ScopePlan {
  /** Folders to walk (a tree, or only the folder's own files). */
  walks: ScanScope[];
  /** Folders that are gone: every known file in their tree is missing. */
  gone: ScanScope[];
  /** Folders that did not answer: skipped this time, nothing in them is reported missing. */
  unreadable: string[];
}

/**
 * The scopes a scan of one root looks at. Scopes outside the root, under a folder a full scan
 * skips, or in the app's own folders are dropped: a full scan never sees them either.
 */
export function planScopes(
  rootPath: string, scopes: readonly ScanScope[], volume: PathVolume, isInternal: InternalTest,
): ScopePlan {
  const plan: ScopePlan = { walks: [], gone: [], unreadable: [] };
  for (const s of scopes) {
    const rel = path.relative(rootPath, s.dir);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (rel !== '' && rel.split(path.sep).some(isJunkFolder)) continue;
    if (isInternal(s.dir)) continue;
    const presence = folderPresence(s.dir, rootPath, volume);
    if (presence === 'present') plan.walks.push({ dir: s.dir, recursive: s.recursive });
    // A gone folder's whole tree is gone, whether or not its scope was recursive.
    else if (presence === 'gone') plan.gone.push({ dir: s.dir, recursive: true });
    else plan.unreadable.push(s.dir);
  }
  return plan;
}
