// Time-ordered ids (UUIDv7, RFC 9562): new rows land at the end of the catalog's indexes instead
// of at random places, which keeps bulk inserts fast on large libraries.

/** Web Crypto: a global in browsers, Node and Electron alike (core has no DOM or Node types). */
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

const hex: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
let lastMs = 0;
let seq = 0;
// getRandomValues costs microseconds per call: draw randomness in blocks.
const pool = new Uint8Array(16 * 256);
let poolAt = pool.length;

function randomBlock(): Uint8Array {
  if (poolAt >= pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  const out = pool.slice(poolAt, poolAt + 16);
  poolAt += 16;
  return out;
}

export function uuidv7(now = Date.now()): string {
  const bytes = randomBlock();
  // Within one millisecond, a 12-bit counter keeps ids increasing.
  if (now <= lastMs) {
    now = lastMs;
    seq = (seq + 1) & 0xfff;
    if (seq === 0) now = ++lastMs;
  } else {
    seq = ((bytes[6]! & 0x0f) << 8 | bytes[7]!) & 0x7ff;
    lastMs = now;
  }
  bytes[0] = Math.floor(now / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(now / 2 ** 32) & 0xff;
  bytes[2] = (now >>> 24) & 0xff;
  bytes[3] = (now >>> 16) & 0xff;
  bytes[4] = (now >>> 8) & 0xff;
  bytes[5] = now & 0xff;
  bytes[6] = 0x70 | ((seq >>> 8) & 0x0f);
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += hex[bytes[i]!];
  }
  return out;
}
