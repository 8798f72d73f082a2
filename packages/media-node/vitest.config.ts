// The media and ML pieces on real files (the shared corpus, generated models): generous timeouts,
// one file at a time, as in apps/desktop (exiftool, sharp and onnxruntime share the two cores).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
