// The server advertises itself on the LAN: a browser for `_shoebox._tcp` and `_http._tcp` finds it
// with its port, version and API path. (Multicast on the loopback
// interface; set SHOEBOX_TEST_NO_MULTICAST=1 on a machine without it.)
import { Bonjour, type Service } from 'bonjour-service';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { VERSION } from '../src/server.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

// Whole servers start here (PGlite migrations, Postgres databases): slow on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const browser = new Bonjour();
afterAll(() => browser.destroy());

function find(type: string, port: number, timeoutMs = 15_000): Promise<Service | null> {
  return new Promise((resolve) => {
    const b = browser.find({ type });
    const timer = setTimeout(() => {
      b.stop();
      resolve(null);
    }, timeoutMs);
    const check = (s: Service): void => {
      if (s.port !== port) return;
      clearTimeout(timer);
      b.stop();
      resolve(s);
    };
    b.on('up', check);
    for (const s of b.services) check(s);
  });
}

describe.skipIf(process.env.SHOEBOX_TEST_NO_MULTICAST === '1')('mDNS advertisement', () => {
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.stop();
  });

  it('is found as a shoebox and an http service with its version and API path', async () => {
    t = await startTestServer('pglite', { settings: { SHOEBOX_MDNS: true } });
    const shoebox = await find('shoebox', t.server.port);
    expect(shoebox).not.toBeNull();
    expect(shoebox!.txt).toMatchObject({ version: VERSION, api: '/api', apiVersion: '1' });
    expect(shoebox!.name).toMatch(/^Shoebox on /);
    const http = await find('http', t.server.port);
    expect(http?.port).toBe(t.server.port);
  });
});
