// A server's job system in a process of its own, for the restart tests: it opens the database,
// starts the job system and reports its progress on stdout (one JSON line per poll) until it is
// killed. Usage: node jobs-child.ts <dataDir> <storageRoot> [databaseUrl]
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/database.ts';
import { createJobSystem } from '../../src/jobs/job-system.ts';
import { sqlDb, type DrizzleLike } from '../../src/jobs/sql-exec.ts';

const [dataDir, storageRoot, url] = process.argv.slice(2);
if (!dataDir || !storageRoot) throw new Error('usage: jobs-child.ts <dataDir> <storageRoot> [databaseUrl]');

const database = await openDatabase({ dataDir, databaseUrl: url || undefined });
const jobs = createJobSystem({
  database, storageRoot, dataDir, log: pino({ level: 'silent' }), workers: 2, modelsDir: `${dataDir}/no-models`,
  timing: { pollMs: 50 },
});
await jobs.start();
const db = sqlDb(database.db as unknown as DrizzleLike);
const report = async (): Promise<void> => {
  const rows = await db.rows<{ status: string; n: unknown }>(sql`SELECT status, count(*) AS n FROM jobs GROUP BY status`);
  process.stdout.write(`${JSON.stringify({ runner: jobs.runner.id, ...Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) })}\n`);
};
setInterval(() => void report(), 25);
