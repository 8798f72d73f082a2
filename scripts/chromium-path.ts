// Where Debian's Chromium is, and the flags it needs in a headless container. One copy shared by the
// UI's end-to-end tests and the browser benchmark, which may not import each other's code.
import fs from 'node:fs';
import path from 'node:path';

export class ChromiumNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      `Chromium not found (tried ${tried.join(', ')}). Install Debian's chromium ` +
        '(`apt-get install --no-install-recommends chromium fonts-dejavu-core`, which scripts/bootstrap.sh does as root) ' +
        'or set CHROMIUM_PATH to a Chromium executable.',
    );
    this.name = 'ChromiumNotFoundError';
  }
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return null;
}

/** CHROMIUM_PATH, else `chromium` or `chromium-browser` on PATH, else /usr/bin/chromium. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new ChromiumNotFoundError([`CHROMIUM_PATH=${fromEnv} (not an executable file)`]);
  }
  const found = onPath('chromium') ?? onPath('chromium-browser');
  if (found) return found;
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new ChromiumNotFoundError(['$CHROMIUM_PATH', 'chromium and chromium-browser on PATH', '/usr/bin/chromium']);
}

/**
 * Headless in a container, usually as root: no sandbox (it needs user namespaces), no GPU, /tmp
 * instead of a small /dev/shm, and none of the background traffic (updates, sync, safe browsing)
 * that this machine's closed network refuses, many connections at a time.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
];
