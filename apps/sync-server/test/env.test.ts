// The server's environment is parsed in one place, with clear errors for bad values.
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SESSION_DAYS, DEFAULT_UPLOAD_MAX_BYTES, parseServerEnv } from '../src/env.ts';

describe('sync server environment', () => {
  it('has documented defaults', () => {
    const env = parseServerEnv({});
    expect(env.PORT).toBe(DEFAULT_PORT);
    expect(env.PORT).toBe(2284);
    expect(env.HOST).toBe(DEFAULT_HOST);
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SHOEBOX_UPLOAD_MAX_BYTES).toBe(DEFAULT_UPLOAD_MAX_BYTES);
    expect(env.SHOEBOX_MDNS).toBe(true);
    expect(env.SHOEBOX_SESSION_DAYS).toBe(DEFAULT_SESSION_DAYS);
    expect(env.SHOEBOX_TRUST_PROXY).toBe(false);
    expect(env.SHOEBOX_SHUTDOWN_SECONDS).toBe(30);
    expect(env.SHOEBOX_SERVER_DATA).toMatch(/shoebox-server$/);
  });

  it('reads good values', () => {
    const env = parseServerEnv({
      PORT: '8080', HOST: '127.0.0.1', DATABASE_URL: 'postgresql://u:p@db:5432/shoebox', SHOEBOX_UPLOAD_MAX_BYTES: '512M',
      SHOEBOX_MDNS: 'off', SHOEBOX_SESSION_DAYS: '7', SHOEBOX_TRUST_PROXY: 'loopback', SHOEBOX_LOG_LEVEL: 'debug',
    });
    expect(env).toMatchObject({
      PORT: 8080, HOST: '127.0.0.1', SHOEBOX_UPLOAD_MAX_BYTES: 512 * 1024 ** 2, SHOEBOX_MDNS: false, SHOEBOX_SESSION_DAYS: 7,
      SHOEBOX_TRUST_PROXY: 'loopback', SHOEBOX_LOG_LEVEL: 'debug',
    });
    expect(parseServerEnv({ SHOEBOX_UPLOAD_MAX_BYTES: '1000' }).SHOEBOX_UPLOAD_MAX_BYTES).toBe(1000);
    expect(parseServerEnv({ SHOEBOX_UPLOAD_MAX_BYTES: '2GiB' }).SHOEBOX_UPLOAD_MAX_BYTES).toBe(2 * 1024 ** 3);
    expect(parseServerEnv({ SHOEBOX_MDNS: '0' }).SHOEBOX_MDNS).toBe(false);
    expect(parseServerEnv({ SHOEBOX_MDNS: 'ON' }).SHOEBOX_MDNS).toBe(true);
    expect(parseServerEnv({ SHOEBOX_TRUST_PROXY: '1' }).SHOEBOX_TRUST_PROXY).toBe(1);
    expect(parseServerEnv({ HOST: '::' }).HOST).toBe('::');
    // An empty variable is an unset one.
    expect(parseServerEnv({ PORT: '' }).PORT).toBe(2284);
  });

  it('names the bad setting and the reason', () => {
    expect(() => parseServerEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseServerEnv({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => parseServerEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseServerEnv({ HOST: 'not a host!' })).toThrow(/HOST: an IP address or a host name/);
    expect(() => parseServerEnv({ SHOEBOX_UPLOAD_MAX_BYTES: 'lots' })).toThrow(/SHOEBOX_UPLOAD_MAX_BYTES: a size in bytes/);
    expect(() => parseServerEnv({ SHOEBOX_UPLOAD_MAX_BYTES: '0' })).toThrow(/SHOEBOX_UPLOAD_MAX_BYTES: must be at least 1 byte/);
    expect(() => parseServerEnv({ SHOEBOX_UPLOAD_MAX_BYTES: '99999T' })).toThrow(/SHOEBOX_UPLOAD_MAX_BYTES/);
    expect(() => parseServerEnv({ SHOEBOX_MDNS: 'maybe' })).toThrow(/SHOEBOX_MDNS: use on or off/);
    expect(() => parseServerEnv({ SHOEBOX_SESSION_DAYS: '0' })).toThrow(/SHOEBOX_SESSION_DAYS/);
    expect(() => parseServerEnv({ SHOEBOX_SESSION_DAYS: '1.5' })).toThrow(/SHOEBOX_SESSION_DAYS/);
    expect(() => parseServerEnv({ SHOEBOX_TRUST_PROXY: 'true' })).toThrow(/SHOEBOX_TRUST_PROXY: name the proxy/);
    expect(() => parseServerEnv({ SHOEBOX_LOG_LEVEL: 'loud' })).toThrow(/SHOEBOX_LOG_LEVEL/);
    // Every bad setting is reported at once, and a URL's password never appears in a message.
    const both = (() => {
      try {
        parseServerEnv({ PORT: 'x', SHOEBOX_MDNS: 'x', DATABASE_URL: 'mysql://user:secret@h/db' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(both).toMatch(/PORT/);
    expect(both).toMatch(/SHOEBOX_MDNS/);
    expect(both).not.toContain('secret');
  });
});
