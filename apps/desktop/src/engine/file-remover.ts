// Deletes the files of emptied trash (the only place Shoebox deletes a person's file). A file that
// is already gone counts as deleted; any other failure comes back as a message for the report.
import fs from 'node:fs/promises';
import type { FileRemover } from '@shoebox/core';

export const nodeFileRemover: FileRemover = {
  async remove(path: string): Promise<string | null> {
    try {
      await fs.unlink(path);
      return null;
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return null;
      return e.message || String(error);
    }
  },
};
