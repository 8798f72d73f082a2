// The scan thread (worker_threads): walks every root (or, for a scoped scan, only the folders a
// watcher saw change), stats each file, hashes the new and changed ones and streams them to the
// engine in batches. It reads what the catalog already knows through its own read-only connection,
// so an unchanged file costs one stat and one map lookup. A path taken out of the library (a
// tombstone) is skipped while the same file (size and mtime, else content) is there; once it is
// gone or replaced by other content the engine forgets the tombstone, so a new file is welcome.
// The app's own folders (its data folder, its models) are never walked, and a folder that does not
// answer (EIO, EACCES) is skipped: only a folder that is not there makes its files missing.
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { extensionOf, isJunkFolder, isJunkName, roleByName, roleOfFormat, sniffFormat } from '@shoebox/core/media';
import { openCatalogReadOnly } from '../db/readonly.ts';
import { readHead, sha1File } from './file-hasher.ts';
import { internalFolderTest } from './internal-folders.ts';
import { nodeVolume, planScopes, rootPresence } from './scan.presence.ts';
import {
  MAX_BATCHES_AHEAD, type ScanMessage, type ScanRootInput, type ScanScope, type ScanThreadInput, type ScannedFile,
} from './scan.protocol.ts';

interface Known {
  size: number;
  mtimeMs: number;
  sidecarSig: string;
  offline: number;
  checksum: string;
}

const BATCH = 500;
const input = workerData as ScanThreadInput;
const port = parentPort!;
let batch: ScannedFile[] = [];
let seen = 0;
let unchanged = 0;
let sidecarCount = 0;
const settleMs = input.settleMs ?? 0;
const isInternal = internalFolderTest(input.internal ?? []);
const volume = nodeVolume();
let unsettled: string[] = [];

function post(message: ScanMessage): void {
  port.postMessage(message);
}

let lastPost = Date.now();
const acks = new Int32Array(input.acks);
let batchesSent = 0;

function flush(): void {
  lastPost = Date.now();
  if (batch.length > 0) {
    // Back-pressure: never run more than a few batches ahead of the engine's writes, so memory
    // stays flat however large the library is.
    while (batchesSent - Atomics.load(acks, 0) >= MAX_BATCHES_AHEAD) Atomics.wait(acks, 0, Atomics.load(acks, 0), 100);
    batchesSent++;
  }
  post({ type: 'files', files: batch, seen, unchanged });
  batch = [];
}

const SELECT_KNOWN = `SELECT path, size, mtime_ms, sidecar_sig, offline, checksum, visibility = 'removed' FROM assets`;

/**
 * The known files by path, and the tombstoned paths: of the whole root, or of the scopes only. A
 * tree is a range on the unique path index (paths are unique across roots, and roots never
 * overlap, so no root_id term is needed, which would tempt the planner onto the root index).
 */
function loadKnown(rootId: string, scopes: ScanScope[] | null): { known: Map<string, Known>; removed: Map<string, Known> } {
  const known = new Map<string, Known>();
  const removed = new Map<string, Known>();
  let sqlite;
  try {
    sqlite = openCatalogReadOnly(input.dataDir);
  } catch {
    return { known, removed };
  }
  type Row = [string, number, number, string, number, string, number];
  const take = (rows: IterableIterator<Row>): void => {
    for (const [p, size, mtimeMs, sidecarSig, offline, checksum, isRemoved] of rows) {
      (isRemoved ? removed : known).set(p, { size, mtimeMs, sidecarSig, offline, checksum });
    }
  };
  try {
    if (scopes === null) {
      take(sqlite.prepare(`${SELECT_KNOWN} WHERE root_id = ?`).raw().iterate(rootId) as IterableIterator<Row>);
    } else {
      const tree = sqlite.prepare(`${SELECT_KNOWN} WHERE path > ? AND path < ?`).raw();
      const folder = sqlite.prepare(`${SELECT_KNOWN} WHERE dir = ?`).raw();
      // Every path under `dir` sorts between `dir/` and `dir0` ('0' follows '/'; ']' follows '\\').
      const after = String.fromCharCode(path.sep.charCodeAt(0) + 1);
      for (const s of scopes) {
        const base = s.dir.endsWith(path.sep) ? s.dir.slice(0, -1) : s.dir;
        take((s.recursive ? tree.iterate(base + path.sep, base + after) : folder.iterate(s.dir)) as IterableIterator<Row>);
      }
    }
  } finally {
    sqlite.close();
  }
  return { known, removed };
}

/** Sidecars of a media file: `a.jpg.xmp` and `a.xmp`, plus a camera `a.thm`, matched without case. */
function sidecarsOf(fileName: string, extras: Map<string, string>): string[] {
  // Returns the sidecars' file names; the caller joins them with the folder.
  if (extras.size === 0) return [];
  const lower = fileName.toLowerCase();
  const stem = lower.slice(0, lower.length - extensionOf(lower).length - 1);
  const out: string[] = [];
  for (const candidate of [`${lower}.xmp`, `${stem}.xmp`, `${stem}.thm`]) {
    const actual = extras.get(candidate);
    if (actual && !out.includes(actual)) out.push(actual);
  }
  return out;
}

function sidecarSignature(dir: string, names: string[]): string {
  if (names.length === 0) return '';
  return names
    .map((n) => {
      try {
        const st = fs.statSync(path.join(dir, n));
        return `${n}:${st.size}:${Math.trunc(st.mtimeMs)}`;
      } catch {
        return `${n}:gone`;
      }
    })
    .join('|');
}

/** What a walk leaves out (an unreadable folder, an app folder) is not reported missing either. */
function forgetUnder(dir: string, known: Map<string, Known>, removed: Map<string, Known>): void {
  const prefix = dir + path.sep;
  for (const p of known.keys()) if (p.startsWith(prefix)) known.delete(p);
  for (const p of removed.keys()) if (p.startsWith(prefix)) removed.delete(p);
}

function scanRoot(root: ScanRootInput): void {
  // A library folder inside the app's own folders (added before that was refused) is left alone.
  if (isInternal(root.path)) return;
  const presence = rootPresence(root.path);
  if (presence === 'unreadable') {
    post({ type: 'error', path: root.path, error: 'the library folder did not answer: skipped by this scan' });
    return;
  }
  const plan = root.scopes ? planScopes(root.path, root.scopes, volume, isInternal) : null;
  for (const dir of plan?.unreadable ?? []) post({ type: 'error', path: dir, error: 'the folder did not answer: skipped by this scan' });
  const { known, removed } = loadKnown(root.id, plan ? [...plan.walks, ...plan.gone] : null);
  if (presence === 'gone') {
    // The folder is gone (an unplugged drive): everything in it is offline, nothing is deleted.
    post({ type: 'missing', rootId: root.id, paths: [...known.keys()] });
    return;
  }
  const stack: ScanScope[] = plan ? plan.walks : [{ dir: root.path, recursive: true }];
  while (stack.length > 0) {
    const { dir, recursive } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Gone while the walk got to it: what it held is missing (and reported so below).
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      post({ type: 'error', path: dir, error: (error as Error).message });
      // An unreadable folder is not an empty one: what it held is not reported missing.
      forgetUnder(dir, known, removed);
      continue;
    }
    const media: { name: string; full: string }[] = [];
    const extras = new Map<string, string>();
    for (const entry of entries) {
      const name = entry.name;
      const full = path.join(dir, name);
      // Links are never followed: one pointing inside the root only repeats files that the walk
      // reaches anyway (and may loop), one pointing outside would leave the root.
      if (entry.isSymbolicLink()) continue;
      const isDir = entry.isDirectory();
      const isFile = entry.isFile();
      if (isDir) {
        if (!recursive || isJunkFolder(name)) continue;
        if (isInternal(full)) forgetUnder(full, known, removed);
        else stack.push({ dir: full, recursive: true });
        continue;
      }
      if (!isFile || isJunkName(name)) continue;
      const role = roleByName(name);
      if (role === 'sidecar' || role === 'companion') extras.set(name.toLowerCase(), name);
      else if (role !== 'ignore') media.push({ name, full });
    }
    sidecarCount += extras.size;
    for (const { name, full } of media) {
      const tomb = removed.get(full);
      if (tomb) {
        removed.delete(full);
        if (sameFile(full, tomb)) continue;
        // Another file now has the removed one's name (a new export, a camera reusing names):
        // the tombstone goes first (messages are applied in order), then the file is new.
        post({ type: 'forgotten', paths: [full] });
      }
      visitFile(root, dir, name, full, known, extras);
    }
    if (batch.length >= BATCH || Date.now() - lastPost > 200) flush();
  }
  flush();
  post({ type: 'missing', rootId: root.id, paths: [...known.keys()] });
  if (removed.size > 0) post({ type: 'forgotten', paths: [...removed.keys()] });
  if (unsettled.length > 0) post({ type: 'unsettled', rootId: root.id, paths: unsettled });
  unsettled = [];
}

/** Modified a moment ago (a future mtime further off is a clock's doing, not a writer's). */
function recentlyModified(st: fs.Stats): boolean {
  const age = Date.now() - st.mtimeMs;
  return age < settleMs && age > -settleMs;
}

/**
 * Whether the file at `full` is still the one a tombstone remembers: the same size and mtime, or
 * (touched, copied back) the same content. Unreadable counts as the same: nothing comes back by error.
 */
function sameFile(full: string, tomb: Known): boolean {
  try {
    const st = fs.statSync(full);
    if (st.size === tomb.size && Math.trunc(st.mtimeMs) === Math.trunc(tomb.mtimeMs)) return true;
    return sha1File(full) === tomb.checksum;
  } catch {
    return true;
  }
}

function visitFile(
  root: ScanRootInput, dir: string, name: string, full: string, known: Map<string, Known>, extras: Map<string, string>,
): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(full);
  } catch (error) {
    post({ type: 'error', path: full, error: (error as Error).message });
    return;
  }
  let role = roleByName(name);
  let format: string | null = role === 'unknown' ? null : extensionOf(name);
  const sidecarNames = sidecarsOf(name, extras);
  const sidecarSig = sidecarSignature(dir, sidecarNames);
  const sidecars = sidecarNames.map((n) => path.join(dir, n));
  const mtimeMs = Math.trunc(st.mtimeMs);
  const before = known.get(full);
  seen++;
  if (before) {
    known.delete(full);
    if (before.size === st.size && before.mtimeMs === mtimeMs) {
      if (before.sidecarSig === sidecarSig && !before.offline) {
        unchanged++;
        return;
      }
      // Same content: only the sidecars changed, or the file is back after being offline.
      const type = role === 'video' ? 'video' : 'image';
      batch.push({ rootId: root.id, path: full, dir, fileName: name, size: st.size, mtimeMs, type, format, checksum: null, known: true, sidecars, sidecarSig });
      return;
    }
  }
  if (settleMs > 0 && recentlyModified(st)) {
    seen--;
    unsettled.push(full);
    return;
  }
  try {
    if (role === 'unknown') {
      const sniffed = st.size > 0 ? sniffFormat(readHead(full)) : null;
      if (!sniffed || sniffed === 'xmp') {
        seen--;
        return;
      }
      role = roleOfFormat(sniffed);
      format = sniffed;
    }
    const checksum = sha1File(full);
    if (settleMs > 0 && stillChanging(full, st)) {
      seen--;
      unsettled.push(full);
      return;
    }
    const type = role === 'video' ? 'video' : 'image';
    batch.push({ rootId: root.id, path: full, dir, fileName: name, size: st.size, mtimeMs, type, format, checksum, known: before !== undefined, sidecars, sidecarSig });
  } catch (error) {
    post({ type: 'error', path: full, error: (error as Error).message });
  }
}

/** The file's size or mtime moved while it was hashed: the checksum may be of a half-written file. */
function stillChanging(full: string, before: fs.Stats): boolean {
  try {
    const st = fs.statSync(full);
    return st.size !== before.size || st.mtimeMs !== before.mtimeMs;
  } catch {
    return true;
  }
}

for (const root of input.roots) scanRoot(root);
post({ type: 'done', seen, unchanged, sidecars: sidecarCount });
