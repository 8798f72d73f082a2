// Structured logging (pino) to stderr, so that stdout stays clean for --json output.
import { pino, type Logger } from 'pino';
import { env } from './env.ts';

export function createLogger(name = 'shoebox'): Logger {
  return pino({ name, level: env().SHOEBOX_LOG_LEVEL }, pino.destination({ fd: 2, sync: true }));
}
