// FolderProbe over the real file system.
import fs from 'node:fs';
import path from 'node:path';
import type { FolderProbe } from '@shoebox/core';

export const nodeFolderProbe: FolderProbe = {
  resolveFolder(p: string): string | null {
    try {
      // native: the spelling the file system keeps (on macOS and Windows a folder typed in another
      // case is still the same folder, and is stored as the system spells it).
      const real = fs.realpathSync.native(path.resolve(p));
      return fs.statSync(real).isDirectory() ? real : null;
    } catch {
      return null;
    }
  },
  exists(p: string): boolean {
    return fs.existsSync(p);
  },
};
