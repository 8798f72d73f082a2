// Installs models from a folder (an offline bundle, a USB stick, another install): every manifest
// file found there as `<id>/<name>` or `<name>` with the right size and sha256 is copied into the
// models directory. Nothing is fetched from the network.
import fs from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from './model-checksums.ts';
import type { ModelStore } from './model-store.ts';

export interface ImportResult {
  installed: string[];
  alreadyPresent: string[];
  notFound: string[];
}

async function candidate(dir: string, id: string, name: string, bytes: number): Promise<string | null> {
  for (const file of [path.join(dir, id, name), path.join(dir, name)]) {
    const stat = await fs.stat(file).catch(() => null);
    if (stat?.isFile() && stat.size === bytes) return file;
  }
  return null;
}

export async function importModels(store: ModelStore, from: string): Promise<ImportResult> {
  const result: ImportResult = { installed: [], alreadyPresent: [], notFound: [] };
  const dir = path.resolve(from);
  if (path.resolve(store.modelsDir) === dir) throw new Error('that folder is the models folder itself');
  for (const id of store.ids()) {
    if (store.status(id) === 'present') {
      result.alreadyPresent.push(id);
      continue;
    }
    const model = store.model(id);
    const sources: { file: string; dest: string; sha256: string; name: string }[] = [];
    for (const f of model.files) {
      const file = await candidate(dir, id, f.name, f.bytes);
      if (!file || (await sha256File(file)) !== f.sha256) break;
      sources.push({ file, dest: store.filePath(id, f.name), sha256: f.sha256, name: f.name });
    }
    if (sources.length !== model.files.length) {
      result.notFound.push(id);
      continue;
    }
    for (const s of sources) {
      await fs.mkdir(path.dirname(s.dest), { recursive: true });
      await fs.copyFile(s.file, `${s.dest}.import`);
      await fs.rename(`${s.dest}.import`, s.dest);
      store.rememberChecksum(id, s.name, s.sha256);
    }
    result.installed.push(id);
  }
  return result;
}
