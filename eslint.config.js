// Lint, and above all the dependency rules of ARCHITECTURE.md: core imports no app, framework,
// database driver or node:* module; ui imports only core's contract; media-node (the Node media and
// ML workers) imports core only and no database or engine; apps never import each other.
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

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.tools/**', '**/dist/**', '**/migrations/**', 'test-artifacts/**', '.turbo/**'] },
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
  {
    files: ['apps/desktop/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@shoebox/sync-server', '@shoebox/sync-server/*'], message: 'apps do not import each other.' },
          { group: ['**/packages/core/src/**', '**/packages/media-node/src/**'], message: 'import core and media-node through their package exports.' },
        ],
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
