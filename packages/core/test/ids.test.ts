// UUIDv7 ids are valid UUIDs and strictly increase, even within one millisecond.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uuidv7 } from '../src/domain/ids.ts';

describe('uuidv7', () => {
  it('is a valid version-7 UUID that sorts by creation', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7());
    for (const id of ids.slice(0, 50)) {
      expect(z.uuid().safeParse(id).success).toBe(true);
      expect(id[14]).toBe('7');
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encodes the time', () => {
    const id = uuidv7(Date.parse('2024-01-02T03:04:05.678Z'));
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(Date.parse('2024-01-02T03:04:05.678Z'));
  });
});
