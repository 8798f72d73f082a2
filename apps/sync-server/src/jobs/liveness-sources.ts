// Where a runner's liveness lock lives. On a Postgres server: a client of its own (outside the
// pool, so the pool keeps every connection for requests), which the server drops with the lock
// when the process dies. On PGlite: the database's one connection.
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Database } from '../db/database.ts';
import type { LivenessSource, LockConnection } from './runner-liveness.ts';
import { sqlDb, type DrizzleLike } from './sql-exec.ts';

export function livenessSource(database: Database): LivenessSource {
  if (database.kind === 'pglite') {
    const exec = sqlDb(database.db as unknown as DrizzleLike);
    return { connect: async (): Promise<LockConnection> => ({ exec, close: async () => undefined, lost: () => false }) };
  }
  const pool = (database.db as unknown as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) throw new Error('the Postgres database has no connection pool to take a lock connection from');
  return {
    connect: async (): Promise<LockConnection> => {
      const client = new pg.Client({ ...pool.options, application_name: 'shoebox job runner' });
      let broken = false;
      client.on('error', () => {
        broken = true;
      });
      client.on('end', () => {
        broken = true;
      });
      await client.connect();
      return {
        exec: sqlDb(drizzle(client) as unknown as DrizzleLike),
        close: async () => {
          await client.end().catch(() => undefined);
        },
        lost: () => broken,
      };
    },
  };
}
