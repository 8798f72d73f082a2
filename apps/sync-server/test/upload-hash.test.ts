// The upload SHA-1, inline or on the worker thread: the same digest whatever the chunking, many
// hashes interleaved, bounded lag, and a dropped hash forgotten.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1Hasher } from '../src/uploads/sha1-hasher.ts';

function chunked(data: Buffer, seed: number): Buffer[] {
  const out: Buffer[] = [];
  let x = seed;
  for (let at = 0; at < data.length;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (x % (300 * 1024));
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

describe('upload SHA-1', () => {
  it.each([['inline', Number.MAX_SAFE_INTEGER], ['worker', 0]])('%s: digests match node:crypto for any chunking', async (_name, offloadAbove) => {
    for (const size of [0, 1, 1024 * 1024, 5 * 1024 * 1024 + 17]) {
      const data = randomBytes(size);
      const hasher = sha1Hasher(size, offloadAbove);
      for (const chunk of chunked(data, size + 1)) await hasher.update(chunk);
      expect(await hasher.digest()).toBe(createHash('sha1').update(data).digest('hex'));
    }
  });

  it('keeps interleaved worker hashes apart, and forgets a dropped one', async () => {
    const datas = [randomBytes(3 * 1024 * 1024), randomBytes(2 * 1024 * 1024 + 5), randomBytes(4 * 1024 * 1024)];
    const hashers = datas.map((d) => sha1Hasher(d.length, 0));
    const dropped = sha1Hasher(1, 0);
    await dropped.update(randomBytes(2 * 1024 * 1024));
    dropped.drop();
    const streams = datas.map((d, i) => chunked(d, i));
    for (let step = 0; streams.some((s) => step < s.length); step++) {
      await Promise.all(streams.map((s, i) => (step < s.length ? hashers[i]!.update(s[step]!) : undefined)));
    }
    const digests = await Promise.all(hashers.map((h) => h.digest()));
    expect(digests).toEqual(datas.map((d) => createHash('sha1').update(d).digest('hex')));
  });

  it('holds the stream back while the worker lags more than a few MB', async () => {
    const hasher = sha1Hasher(1, 0);
    const chunk = randomBytes(1024 * 1024);
    let waited = 0;
    for (let i = 0; i < 40; i++) {
      const lag = hasher.update(chunk);
      if (lag) {
        waited++;
        await lag;
      }
    }
    expect(waited).toBeGreaterThan(0);
    const all = createHash('sha1');
    for (let i = 0; i < 40; i++) all.update(chunk);
    expect(await hasher.digest()).toBe(all.digest('hex'));
  });
});
