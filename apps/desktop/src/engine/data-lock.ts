// One writing engine per data folder: `scan` and `serve` hold a lock file naming their process.
// A lock left by a process that no longer runs (kill -9, power loss) is taken over.
import fs from 'node:fs';
import path from 'node:path';

export class DataFolderBusyError extends Error {
  constructor(pid: number, dataDir: string) {
    super(`another Shoebox process (pid ${pid}) is working on the library in ${dataDir}; wait for it or stop it first`);
    this.name = 'DataFolderBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'engine.lock');
  fs.mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataFolderBusyError(pid, dataDir);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the data folder ${dataDir}`);
}
