// Builds the app into dist/: `shoebox serve`, the sync server and the Electron renderer all load
// this one build. Relative asset URLs let it load from any origin or custom protocol. The web
// app's manifest, icons and service worker come from public/ and land at the root of dist/; the
// service worker gets this build's id and file list written into it, so it precaches exactly
// this build and a new build replaces it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

function serviceWorkerPrecache(): Plugin {
  let outDir = 'dist';
  let files: string[] = [];
  return {
    name: 'shoebox-service-worker-precache',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      files = Object.keys(bundle).filter((f) => f.startsWith('assets/') && !f.endsWith('.map')).sort();
    },
    closeBundle() {
      const sw = path.join(outDir, 'sw.js');
      const source = fs.readFileSync(sw, 'utf8');
      const build = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const stamped = source
        .replace("'__SHOEBOX_BUILD__'", JSON.stringify(build))
        .replace('/* __SHOEBOX_PRECACHE__ */', files.map((f) => JSON.stringify(`./${f}`)).join(', '));
      if (stamped.includes('__SHOEBOX_')) throw new Error('public/sw.js lost its build placeholders');
      fs.writeFileSync(sw, stamped);
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), serviceWorkerPrecache()],
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
