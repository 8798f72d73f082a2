// Builds the app into dist/: `shoebox serve`, the sync server and the Electron renderer all load
// this one build. Relative asset URLs let it load from any origin or custom protocol.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `pnpm --filter @shoebox/ui dev` proxies the API to a running `shoebox serve`.
    proxy: { '/api': process.env.SHOEBOX_API ?? 'http://127.0.0.1:2283' },
  },
});
