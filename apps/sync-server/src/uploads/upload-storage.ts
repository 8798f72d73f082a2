// The storage folder of uploads: `tmp/` for files still arriving, `library/<owner>/<YYYY>/<YYYY-MM-DD>/`
// for originals, and `orphans/` for files a crash left in the library without an asset. Every path
// built here is checked to be inside the (canonical) storage root; a file is never overwritten.
import { randomUUID } from 'node:crypto';
import { link, lstat, mkdir, mkdtemp, open, opendir, readdir, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@shoebox/core/contract';
import { candidateName, type StoredName } from './upload-names.ts';

/** A calendar day of the layout: `{ year: '2019', day: '2019-03-21' }`. */
export interface LayoutDay {
  year: string;
  day: string;
}

const OWNER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const DAY = /^(\d{4})-\d{2}-\d{2}$/;
/** Names tried with a ` (n)` suffix before a random one is used. */
const MAX_SUFFIX = 200;
/** Errors of `link()` on filesystems without hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

export class UploadStorage {
  /** Canonical (symlink-free) absolute path of the storage root. */
  readonly root: string;
  readonly tmpDir: string;
  readonly libraryDir: string;
  readonly orphansDir: string;

  private constructor(root: string) {
    this.root = root;
    this.tmpDir = path.join(root, 'tmp');
    this.libraryDir = path.join(root, 'library');
    this.orphansDir = path.join(root, 'orphans');
  }

  /** Creates the folders (owner-only permissions) and resolves the root to its canonical path. */
  static async open(storageRoot: string): Promise<UploadStorage> {
    await mkdir(storageRoot, { recursive: true, mode: 0o700 });
    const storage = new UploadStorage(await realpath(path.resolve(storageRoot)));
    for (const dir of [storage.tmpDir, storage.libraryDir]) await mkdir(dir, { recursive: true, mode: 0o700 });
    return storage;
  }

  /** Throws unless `p` resolves strictly inside the storage root. */
  assertInside(p: string): string {
    const resolved = path.resolve(p);
    const rel = path.relative(this.root, resolved);
    if (rel === '' || path.isAbsolute(rel) || rel.split(path.sep)[0] === '..') {
      throw new AppError('INTERNAL', 'refusing a path outside the storage root');
    }
    return resolved;
  }

  /** A fresh temporary file path for one upload (the caller creates it exclusively). */
  tempPath(id: string, ext = 'part'): string {
    return this.assertInside(path.join(this.tmpDir, `${id}.${ext}`));
  }

  /**
   * Moves the finished temp file to `library/<owner>/<YYYY>/<YYYY-MM-DD>/<name>`, adding ` (n)` when
   * the name is taken. The final name is claimed exclusively (a hard link, else an empty file made
   * with O_EXCL and replaced by rename), so a concurrent upload or an existing file is never
   * overwritten. Returns the final path; the temp file is gone afterwards.
   */
  async place(tempFile: string, ownerId: string, day: LayoutDay, name: StoredName, onClaim?: (target: string) => void): Promise<string> {
    if (!OWNER_ID.test(ownerId)) throw new AppError('INTERNAL', 'owner id is not a safe folder name');
    const year = DAY.exec(day.day)?.[1];
    if (year === undefined || year !== day.year) throw new AppError('INTERNAL', 'bad layout day');
    const dir = this.assertInside(path.join(this.libraryDir, ownerId, day.year, day.day));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // A symlink planted in the tree must not lead the file out of the root.
    const realDir = this.assertInside(await realpath(dir));

    for (let attempt = 0; attempt <= MAX_SUFFIX + 1; attempt++) {
      const fileName = attempt <= MAX_SUFFIX ? candidateName(name, attempt) : `${name.stem}-${randomUUID()}.${name.ext}`;
      const target = this.assertInside(path.join(realDir, fileName));
      if (path.dirname(target) !== realDir) throw new AppError('INTERNAL', 'file name is not a single path segment');
      if (await claim(tempFile, target, onClaim)) return target;
    }
    throw new AppError('INTERNAL', 'could not find a free file name');
  }

  /**
   * Deletes what `tmp/` holds except the entries `keep` names (uploads in flight): leftovers of
   * uploads a crash or kill interrupted. Returns how many were removed.
   */
  async sweepTemp(keep: (entryName: string) => boolean = () => false): Promise<number> {
    let removed = 0;
    for (const entry of await readdir(this.tmpDir, { withFileTypes: true })) {
      if (keep(entry.name)) continue;
      await rm(this.assertInside(path.join(this.tmpDir, entry.name)), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** Every file (and symlink) under `library/`, symlinks never followed. */
  async libraryFiles(): Promise<string[]> {
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let handle;
      try {
        handle = await opendir(dir);
      } catch (error) {
        if (errno(error) === 'ENOENT') return;
        throw error;
      }
      for await (const entry of handle) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else files.push(full);
      }
    };
    await walk(this.libraryDir);
    return files;
  }

  /**
   * Moves files into `orphans/<stamp>-<random>/`, keeping their path below `library/`; never
   * deletes and never overwrites. Returns the folder used.
   */
  async moveAside(files: readonly string[], now: Date): Promise<string> {
    await mkdir(this.orphansDir, { recursive: true, mode: 0o700 });
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const dest = await mkdtemp(path.join(this.orphansDir, `${stamp}-`));
    for (const file of files) {
      const rel = path.relative(this.libraryDir, this.assertInside(file));
      if (rel.split(path.sep)[0] === '..') continue;
      const target = this.assertInside(path.join(dest, rel));
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      try {
        await lstat(target);
        continue; // cannot happen in a fresh folder; never overwrite regardless
      } catch (error) {
        if (errno(error) !== 'ENOENT') throw error;
      }
      await rename(file, target);
    }
    return dest;
  }
}

/** Claims `target` for the temp file's content; false when the name is taken. */
async function claim(tempFile: string, target: string, onClaim: ((target: string) => void) | undefined): Promise<boolean> {
  try {
    await link(tempFile, target);
    onClaim?.(target);
  } catch (error) {
    const code = errno(error);
    if (code === 'EEXIST') return false;
    if (!code || !NO_HARD_LINKS.has(code)) throw error;
    try {
      await (await open(target, 'wx', 0o600)).close();
    } catch (openError) {
      if (errno(openError) === 'EEXIST') return false;
      throw openError;
    }
    onClaim?.(target);
    try {
      await rename(tempFile, target); // replaces only the empty placeholder we just created
    } catch (renameError) {
      await rm(target, { force: true });
      throw renameError;
    }
    return true;
  }
  await rm(tempFile, { force: true });
  return true;
}
