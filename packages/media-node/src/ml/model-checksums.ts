// Streaming sha256 of model files, and a small sidecar (`<models dir>/.checksums.json`) remembering
// each file's hash by size, timestamps and inode, so a 90 MB model is hashed once, not at every start.
import crypto, { type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const Entry = z.object({ size: z.number(), mtimeMs: z.number(), ctimeMs: z.number(), ino: z.number(), sha256: z.string() });
type Entry = z.infer<typeof Entry>;
const Sidecar = z.object({ version: z.literal(1), files: z.record(z.string(), Entry) });

export const SIDECAR_NAME = '.checksums.json';

/** Feeds a file into the hash, chunk by chunk; returns the bytes read. */
export async function hashFileInto(file: string, hash: Hash, signal?: AbortSignal): Promise<number> {
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = crypto.createHash('sha256');
  await hashFileInto(file, hash, signal);
  return hash.digest('hex');
}

function sameFile(e: Entry, st: fs.Stats): boolean {
  return e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs && e.ino === st.ino;
}

/**
 * Hashes already computed, shared by every process using the models directory (main and the ML
 * worker). Writes are best-effort: a read-only models directory still works, its files are just
 * hashed once per process.
 */
export class ChecksumCache {
  private readonly file: string;
  private entries = new Map<string, Entry>();
  private seenMtimeMs = Number.NaN;

  constructor(modelsDir: string) {
    this.file = path.join(modelsDir, SIDECAR_NAME);
  }

  /** The remembered sha256 of a file, if it has not changed since it was hashed. */
  lookup(key: string, st: fs.Stats): string | undefined {
    this.reload();
    const e = this.entries.get(key);
    return e && sameFile(e, st) ? e.sha256 : undefined;
  }

  remember(key: string, st: fs.Stats, sha256: string): void {
    this.reload();
    this.entries.set(key, { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, sha256 });
    if (!this.writable()) return;
    const body = JSON.stringify({ version: 1, files: Object.fromEntries(this.entries) }, null, 1);
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, body);
      fs.renameSync(tmp, this.file);
      this.seenMtimeMs = fs.statSync(this.file).mtimeMs;
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }

  /** A folder without write permission is left alone, even by root (a shared, prepared copy). */
  private writable(): boolean {
    try {
      return (fs.statSync(path.dirname(this.file)).mode & 0o200) !== 0;
    } catch {
      return false;
    }
  }

  /** Picks up what another process recorded; the file is tiny, and only re-read when it changed. */
  private reload(): void {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(this.file).mtimeMs;
    } catch {
      return;
    }
    if (mtimeMs === this.seenMtimeMs) return;
    this.seenMtimeMs = mtimeMs;
    try {
      const parsed = Sidecar.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      if (parsed.success) this.entries = new Map([...this.entries, ...Object.entries(parsed.data.files)]);
    } catch {
      // A torn or foreign file: keep what this process knows; the next write replaces it.
    }
  }
}
