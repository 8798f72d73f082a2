// FolderProbe over the real file system.
import fs from 'node:fs';
import path from 'node:path';
import type { FolderProbe } from '@shoebox/core';

export const nodeFolderProbe: FolderProbe = {
  resolveFolder(p: string): string | null {
    try {
      const real = fs.realpathSync(path.resolve(p));
      return fs.statSync(real).isDirectory() ? real : null;
    } catch {
      return null;
    }
  },
  exists(p: string): boolean {
    return fs.existsSync(p);
  },
};
