// Engine tests run real processes on real files; they get generous timeouts and run one file at a
// time so that timing-sensitive tests (crash and resume) do not fight over the two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
