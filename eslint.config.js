// Lint, and above all the dependency rules of ARCHITECTURE.md: core imports no app, framework,
// database driver or node:* module; ui imports only core's contract; media-node (the Node media and
// ML workers) imports core only and no database or engine; apps never import each other. In the
// desktop app each folder's runtime is fixed: only electron-adapter.ts (Electron main) and the
// preload (a sandboxed renderer) import 'electron'; the preload imports nothing else but core's
// contract; the engine and everything else outside src/electron never import the shell.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http',
  'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util',
  'v8', 'vm', 'worker_threads', 'zlib',
];

const DRIVERS_AND_FRAMEWORKS = [
  'electron', 'electron/*', 'express', 'express/*', 'better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'pg', 'postgres',
  '@electric-sql/*', 'sharp', 'exiftool-vendored', 'onnxruntime-node', 'fluent-ffmpeg', 'react', 'react-dom',
];

const DESKTOP = [
  { group: ['@shoebox/sync-server', '@shoebox/sync-server/*'], message: 'apps do not import each other.' },
  { group: ['**/packages/core/src/**', '**/packages/media-node/src/**'], message: 'import core and media-node through their package exports.' },
];
const ELECTRON_ONLY_IN_ADAPTER = {
  regex: '^electron(/|$)',
  message: "only src/electron/main/electron-adapter.ts and the preload import 'electron': the shell works on electron-api.ts's interfaces, and the engine runs without Electron.",
};
const SHELL_FROM_OUTSIDE = {
  regex: '(^|/)electron/(main|preload)(/|$)',
  message: 'the engine never depends on the shell: nothing outside src/electron imports from it.',
};
const PRELOAD_FROM_MAIN = {
  regex: '(^|/)preload(/|$)',
  message: 'the preload runs in the sandboxed renderer, main in Node: main does not import it.',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**', '.tools/**', '**/dist/**', '**/migrations/**', 'test-artifacts/**', '.turbo/**',
      // The Electron build and the installers (apps/desktop: electron-vite, electron-builder).
      'apps/desktop/out/**', 'apps/desktop/dist-installers/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', ...NODE_BUILTINS], message: 'core is runtime-neutral: no Node built-ins (put I/O behind a port).' },
          { group: DRIVERS_AND_FRAMEWORKS, message: 'core imports no Electron, Express, database driver, media or UI library.' },
          { group: ['@shoebox/desktop', '@shoebox/desktop/*', '@shoebox/sync-server', '@shoebox/sync-server/*', '@shoebox/ui', '@shoebox/ui/*'], message: 'core depends on no app.' },
          { group: ['@shoebox/media-node', '@shoebox/media-node/*', '**/packages/media-node/**'], message: 'core is runtime-neutral: media-node implements its pipelines, not the reverse.' },
        ],
      }],
    },
  },
  {
    files: ['packages/ui/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^@shoebox/core(?!/contract$)', message: 'ui imports only @shoebox/core/contract.' },
          { group: ['node:*', ...NODE_BUILTINS, ...DRIVERS_AND_FRAMEWORKS.filter((d) => d !== 'react' && d !== 'react-dom')], message: 'ui runs in a browser: no Node, drivers or Electron.' },
          { group: ['@shoebox/desktop', '@shoebox/desktop/*', '@shoebox/sync-server', '@shoebox/sync-server/*'], message: 'ui depends on no app.' },
          { group: ['@shoebox/media-node', '@shoebox/media-node/*', '**/packages/media-node/**'], message: 'ui runs in a browser: no media-node.' },
          { group: ['**/core/src/**'], message: 'import core through its package exports.' },
        ],
      }],
    },
  },
  {
    files: ['packages/media-node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@shoebox/desktop', '@shoebox/desktop/*', '@shoebox/sync-server', '@shoebox/sync-server/*', '@shoebox/ui', '@shoebox/ui/*', '**/apps/**'], message: 'media-node imports @shoebox/core only: no app.' },
          { group: ['electron', 'electron/*', 'express', 'express/*', 'better-sqlite3', 'drizzle-orm', 'drizzle-orm/*', 'pg', 'postgres', '@electric-sql/*', 'sqlite-vec', 'react', 'react-dom'], message: 'media-node has no database, server or UI: the apps persist what its workers return.' },
          { group: ['**/engine/**', '**/db/**', '**/repositories/**'], message: 'media-node knows no engine or catalog.' },
          { group: ['**/packages/core/src/**'], message: 'import core through its package exports.' },
        ],
      }],
    },
  },
  // apps/desktop: one block per folder, each with the whole list (a later block replaces the rule's
  // options for its files, it does not add to them).
  {
    files: ['apps/desktop/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...DESKTOP, ELECTRON_ONLY_IN_ADAPTER, SHELL_FROM_OUTSIDE] }] },
  },
  {
    // Tests drive the shell through fakes of electron-api.ts; the shell's build config takes the
    // renderer's CSP from where the shell defines it.
    files: ['apps/desktop/test/**/*.ts', 'apps/desktop/electron.vite.config.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...DESKTOP, ELECTRON_ONLY_IN_ADAPTER] }] },
  },
  {
    files: ['apps/desktop/src/electron/main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...DESKTOP, ELECTRON_ONLY_IN_ADAPTER, PRELOAD_FROM_MAIN] }] },
  },
  {
    files: ['apps/desktop/src/electron/main/electron-adapter.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...DESKTOP, PRELOAD_FROM_MAIN] }] },
  },
  {
    files: ['apps/desktop/src/electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(?!electron$|@shoebox/core/contract$|\\./)',
          message: "the preload runs sandboxed: it imports only 'electron', @shoebox/core/contract and its own files.",
        }],
      }],
    },
  },
  {
    files: ['apps/sync-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@shoebox/desktop', '@shoebox/desktop/*', '@shoebox/ui/*'], message: 'the sync server imports core and media-node only (and serves the ui build).' },
          { group: ['electron', 'better-sqlite3'], message: 'the sync server has no Electron and no SQLite.' },
          { group: ['**/packages/core/src/**', '**/packages/media-node/src/**'], message: 'import core and media-node through their package exports.' },
        ],
      }],
    },
  },
);
