// The server's environment is parsed in one place, with clear errors for bad values.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseServerEnv } from '../src/env.ts';

describe('sync server environment', () => {
  it('has documented defaults', () => {
    const env = parseServerEnv({});
    expect(env.PORT).toBe(DEFAULT_PORT);
    expect(env.DATABASE_URL).toBeUndefined();
  });
  it('names the bad setting and the reason', () => {
    expect(() => parseServerEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseServerEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
  });
});
