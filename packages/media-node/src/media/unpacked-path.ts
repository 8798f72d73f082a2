// Native binaries inside a packaged Electron app: files under app.asar can be read through
// Electron's fs, but the system can neither run them nor dlopen them. electron-builder puts them
// (asarUnpack) in app.asar.unpacked beside it, so a path into the archive is turned into that one.
import path from 'node:path';

const ARCHIVE = `${path.sep}app.asar${path.sep}`;
const UNPACKED = `${path.sep}app.asar.unpacked${path.sep}`;

export function unpackedPath(file: string): string {
  return file.includes(ARCHIVE) ? file.replace(ARCHIVE, UNPACKED) : file;
}
