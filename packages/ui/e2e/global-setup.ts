// Once per e2e run: build the UI if a source changed, and index the whole ../shared/corpus
// (metadata, thumbnails, previews, transcodes, faces and people) into a data folder that each test
// file copies. The corpus is copied first, so that emptying the trash with deleteFiles never
// touches the shared one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureUiBuilt } from '../../../scripts/ui-build.ts';
import { REPO, indexFolder } from './shoebox-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The indexed data folder; copy it (see copyIndexedData) rather than serving it directly. */
    shoeboxData: string;
    /** The copy of ../shared/corpus that the catalog points at. */
    shoeboxLibrary: string;
    /** Where per-file copies of the data folder go; removed at the end of the run. */
    shoeboxScratch: string;
  }
}

const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');
const log = (message: string): void => void process.stderr.write(`[e2e setup] ${message}\n`);

export default async function setup(project: TestProject): Promise<() => void> {
  if (!fs.existsSync(CORPUS)) throw new Error(`the test corpus is missing: ${CORPUS}`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-e2e-'));
  const teardown = (): void => fs.rmSync(root, { recursive: true, force: true });
  try {
    const build = ensureUiBuilt();
    log(build.built ? `built the UI in ${(build.ms / 1000).toFixed(1)} s` : 'UI build is up to date');

    const library = path.join(root, 'library');
    const data = path.join(root, 'data');
    const scratch = path.join(root, 'scratch');
    fs.cpSync(CORPUS, library, { recursive: true, preserveTimestamps: true }); // mtimes date the files without metadata
    fs.mkdirSync(scratch);
    const started = performance.now();
    await indexFolder(data, library);
    log(`indexed ../shared/corpus in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    project.provide('shoeboxData', data);
    project.provide('shoeboxLibrary', fs.realpathSync(library));
    project.provide('shoeboxScratch', scratch);
    return teardown;
  } catch (error) {
    teardown();
    throw error;
  }
}
