// SHA-1 of a file, streamed through one reused buffer: small files cost one read, large ones are
// never held in memory whole.
import fs from 'node:fs';
import { createHash } from 'node:crypto';

const CHUNK = 1 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);

export function sha1File(path: string): string {
  const hash = createHash('sha1');
  const fd = fs.openSync(path, 'r');
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK, null);
      if (n <= 0) break;
      hash.update(n === CHUNK ? buffer : buffer.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** The first bytes of a file, for content sniffing. */
export function readHead(path: string, length = 256): Uint8Array {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(length);
    const n = fs.readSync(fd, head, 0, length, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}
