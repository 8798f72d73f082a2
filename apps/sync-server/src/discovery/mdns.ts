// Advertises the server on the LAN over mDNS/DNS-SD, so clients can find it without typing an
// address: as `_shoebox._tcp` (for Shoebox apps) and `_http._tcp` (for browsers and service
// browsers), with the version and the API path in the TXT record. Best effort: a network without
// multicast only costs a warning.
import os from 'node:os';
import { Bonjour } from 'bonjour-service';
import { API_VERSION } from '@shoebox/core/contract';
import type { Logger } from 'pino';

export interface Advertisement {
  /** Says goodbye on the network (so caches drop the entry) and closes the socket. */
  stop(): Promise<void>;
}

export interface AdvertiseOptions {
  port: number;
  version: string;
  /** Instance name; default "Shoebox on <host name>". */
  name?: string;
  log: Logger;
}

const STOP_TIMEOUT_MS = 2_000;

export function advertise(o: AdvertiseOptions): Advertisement {
  const name = o.name ?? `Shoebox on ${os.hostname().split('.')[0] || 'server'}`;
  const txt = { version: o.version, api: '/api', apiVersion: String(API_VERSION), path: '/' };
  let bonjour: Bonjour | undefined;
  try {
    bonjour = new Bonjour(undefined, (error: unknown) => o.log.warn({ err: error }, 'mDNS advertisement failed'));
    for (const type of ['shoebox', 'http']) {
      const service = bonjour.publish({ name, type, port: o.port, txt });
      service.on('error', (error: unknown) => o.log.warn({ err: error, type }, 'mDNS advertisement failed'));
    }
  } catch (error) {
    o.log.warn({ err: error }, 'mDNS advertisement is not available');
  }
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (!bonjour) return resolve();
        const b = bonjour;
        bonjour = undefined;
        const timer = setTimeout(resolve, STOP_TIMEOUT_MS);
        try {
          b.unpublishAll(() => {
            b.destroy(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        } catch {
          clearTimeout(timer);
          resolve();
        }
      }),
  };
}
