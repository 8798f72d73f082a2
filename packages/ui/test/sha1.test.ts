// The browser's SHA-1 (no WebCrypto on a LAN http:// page) against Node's, across block edges,
// in pieces of any size, and over a Blob read slice by slice.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha1, SLICE, sha1OfBlob } from '../src/upload/sha1.ts';

function bytes(n: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(n));
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const node = (data: Uint8Array) => createHash('sha1').update(data).digest('hex');

describe('Sha1', () => {
  it('matches the known vectors', () => {
    expect(new Sha1().hex()).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(new Sha1().update(new TextEncoder().encode('abc')).hex()).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });

  it('matches Node for lengths around the 64-byte blocks and the padding edge', () => {
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 4096 + 3]) {
      const data = bytes(n, n);
      expect(new Sha1().update(data).hex(), `length ${n}`).toBe(node(data));
    }
  });

  it('gives the same digest however the input is cut', () => {
    const data = bytes(10_000, 7);
    for (const piece of [1, 3, 63, 64, 65, 1000]) {
      const h = new Sha1();
      for (let at = 0; at < data.length; at += piece) h.update(data.subarray(at, at + piece));
      expect(h.hex(), `pieces of ${piece}`).toBe(node(data));
    }
  });

  it('hashes a Blob larger than one slice', async () => {
    const data = bytes(SLICE * 2 + 17, 3);
    expect(await sha1OfBlob(new Blob([data]))).toBe(node(data));
    expect(await sha1OfBlob(new Blob([]))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sha1OfBlob(new Blob([bytes(10)]), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
