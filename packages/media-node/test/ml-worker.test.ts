// The ML worker process when its installation is broken: a model manifest it cannot read must not
// kill it (the pool would only restart it, forever); every request gets the reason instead.
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ML_WORKER_ENTRY } from '../src/worker-entries.ts';
import { WorkerPool } from '../src/workers/worker-pool.ts';
import { WorkerTaskError } from '../src/workers/worker.protocol.ts';
import type { MlRequestBody } from '../src/ml/ml.protocol.ts';

let pool: WorkerPool<MlRequestBody> | null = null;

afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('ML worker', () => {
  it('answers with the reason when the model manifest cannot be read, and stays up', async () => {
    const missing = path.join(os.tmpdir(), `no-such-manifest-${process.pid}.json`);
    pool = new WorkerPool<MlRequestBody>({
      entry: ML_WORKER_ENTRY, size: 1, name: 'ML worker', perWorker: 2,
      init: { modelsDir: os.tmpdir(), threads: 1 },
      env: { ...process.env, SHOEBOX_MODELS_MANIFEST: missing },
      log: pino({ level: 'silent' }),
    });
    const first = await pool.call({ type: 'memory' }).then(() => null, (error: unknown) => error);
    expect(first).toBeInstanceOf(WorkerTaskError);
    expect((first as WorkerTaskError).failure).toBe('missing-tool');
    expect((first as Error).message).toContain(missing);
    const again = await pool.call({ type: 'tokenize', text: 'a dog' }).then(() => null, (error: unknown) => error);
    expect((again as Error).message).toContain('cannot read the model manifest');
    expect(pool.restarts).toBe(0);
  });
});
