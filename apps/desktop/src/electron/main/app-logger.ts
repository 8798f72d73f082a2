// The app's log: pino to userData/logs/main.log (the last run's log kept as main.old.log), and to
// stderr as well in a development build, where the app is started from a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export interface AppLogger {
  log: Logger;
  dir: string;
  /** Writes what is still buffered (before the process exits). */
  flush(): void;
}

export function createAppLogger(userDataDir: string, opts: { level: Level; toStderr: boolean }): AppLogger {
  const dir = path.join(userDataDir, 'logs');
  const file = path.join(dir, 'main.log');
  fs.mkdirSync(dir, { recursive: true });
  try {
    fs.renameSync(file, path.join(dir, 'main.old.log'));
  } catch {
    // First run: nothing to keep.
  }
  const toFile = pino.destination({ dest: file, sync: false, mkdir: true });
  const streams: { stream: DestinationStream; level: Level }[] = [{ stream: toFile, level: opts.level }];
  if (opts.toStderr) streams.push({ stream: pino.destination({ fd: 2, sync: true }), level: opts.level });
  const log = pino({ name: 'shoebox', level: opts.level }, pino.multistream(streams));
  return {
    log,
    dir,
    flush: () => {
      try {
        toFile.flushSync();
      } catch {
        // Not open yet (nothing was written): nothing to flush.
      }
    },
  };
}
