// The sync server process (started by main.ts): reads the environment, starts the server, and
// shuts it down gracefully on SIGTERM or SIGINT (a second signal exits at once).
import { pino } from 'pino';
import { parseServerEnv, type ServerEnv } from './env.ts';
import { startSyncServer } from './server.ts';

let env: ServerEnv;
try {
  env = parseServerEnv();
} catch (error) {
  process.stderr.write(`shoebox sync server: ${(error as Error).message}\n`);
  process.exit(2);
}

const log = pino({ level: env.SHOEBOX_LOG_LEVEL, base: { app: 'shoebox-sync-server' } });

try {
  const server = await startSyncServer(env, { log });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    log.info({ signal }, 'signal received');
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
} catch (error) {
  log.fatal({ err: error }, 'the sync server could not start');
  process.exit(1);
}
