// The models on disk: which are present, partial or corrupt (stat only), sha256 verification with a
// remembered verdict, and the paths of verified models for the ML worker. No engine dependencies, so
// the worker process can use it; it never downloads anything (see model-download.ts).
import fs from 'node:fs';
import path from 'node:path';
import { findModel, ModelManifest, type ModelEntry, type ModelFile } from '@shoebox/core';
import { ChecksumCache, sha256File } from './model-checksums.ts';
import { DEFAULT_MANIFEST_PATH, type ModelEnv } from './model-env.ts';

export type ModelState = 'present' | 'missing' | 'partial' | 'corrupt';

/** A file's own state: `size` and `checksum` make the model corrupt. */
export type FileState = 'ok' | 'missing' | 'partial' | 'size' | 'checksum';

export interface VerifiedModel {
  id: string;
  /** Absolute paths of the model's files, in manifest order. */
  paths: string[];
  /** sha256 of the first (main) file: tags what an embedding was made with. */
  sha256: string;
  files: { name: string; path: string; sha256: string; bytes: number }[];
}

export interface ModelStoreOptions {
  /** Wins over SHOEBOX_MODELS_DIR and the data folder (the ML worker gets it in its init message). */
  modelsDir?: string;
  /** `<dataDir>/models` is the models directory when neither modelsDir nor SHOEBOX_MODELS_DIR is set. */
  dataDir?: string;
  /** Wins over SHOEBOX_MODELS_MANIFEST and resources/models/manifest.json. */
  manifestPath?: string;
  /** Wins over SHOEBOX_MODELS_MIRROR. */
  mirror?: string;
  /** The SHOEBOX_MODELS_* values (env() of env.ts once it includes ModelEnvSchema, or parseModelEnv). */
  env?: Partial<ModelEnv>;
}

export class UnknownModelError extends Error {
  readonly code = 'MODEL_UNKNOWN';
  constructor(id: string) {
    super(`unknown model: ${id}`);
    this.name = 'UnknownModelError';
  }
}

export function readManifest(file: string): ModelManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the model manifest ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = ModelManifest.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid model manifest ${file}:\n${lines}`);
  }
  return parsed.data;
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}

function combine(states: readonly FileState[]): ModelState {
  if (states.some((s) => s === 'size' || s === 'checksum')) return 'corrupt';
  if (states.every((s) => s === 'ok')) return 'present';
  return states.includes('partial') ? 'partial' : 'missing';
}

export class ModelStore {
  readonly manifest: ModelManifest;
  readonly manifestPath: string;
  readonly modelsDir: string;
  /** Base URL replacing each file's URL with `<mirror>/<model id>/<file name>`. */
  readonly mirror: string | undefined;
  private readonly checksums: ChecksumCache;
  private readonly verifying = new Map<string, Promise<ModelState>>();

  constructor(options: ModelStoreOptions = {}) {
    const env = options.env ?? {};
    const dir = options.modelsDir ?? env.SHOEBOX_MODELS_DIR ?? (options.dataDir ? path.join(options.dataDir, 'models') : undefined);
    if (!dir) throw new Error('no models directory: pass modelsDir or dataDir, or set SHOEBOX_MODELS_DIR');
    this.modelsDir = path.resolve(dir);
    this.manifestPath = path.resolve(options.manifestPath ?? env.SHOEBOX_MODELS_MANIFEST ?? DEFAULT_MANIFEST_PATH);
    this.manifest = readManifest(this.manifestPath);
    this.mirror = (options.mirror ?? env.SHOEBOX_MODELS_MIRROR)?.replace(/\/+$/, '');
    this.checksums = new ChecksumCache(this.modelsDir);
  }

  /** Every model id of the manifest, in its order. */
  ids(): string[] {
    return this.manifest.models.map((m) => m.id);
  }

  /** The manifest entry, or undefined for an id the manifest does not list. */
  entry(id: string): ModelEntry | undefined {
    return findModel(this.manifest, id);
  }

  /** The manifest entry; throws UnknownModelError for an id the manifest does not list. */
  model(id: string): ModelEntry {
    const model = findModel(this.manifest, id);
    if (!model) throw new UnknownModelError(id);
    return model;
  }

  /** Where a model file lives (whether or not it is there). */
  filePath(id: string, fileName: string): string {
    return path.join(this.modelsDir, this.model(id).id, fileName);
  }

  /** Cheap (stat only): sizes, leftover `.part` files and checksum failures already recorded. */
  status(id: string): ModelState {
    const model = this.model(id);
    return combine(model.files.map((f) => this.fileStatus(model, f)));
  }

  statusAll(): Record<string, ModelState> {
    return Object.fromEntries(this.manifest.models.map((m) => [m.id, this.status(m.id)]));
  }

  /**
   * Hashes every file whose verdict is not remembered. The hash is streamed but still costs CPU
   * (about a second for 90 MB): call it from the ML worker or the CLI, not from Electron main.
   * Concurrent calls for one model share the work.
   */
  async verify(id: string): Promise<ModelState> {
    const model = this.model(id);
    let running = this.verifying.get(model.id);
    if (!running) {
      running = this.verifyNow(model).finally(() => this.verifying.delete(model.id));
      this.verifying.set(model.id, running);
    }
    return running;
  }

  /** The model's files once every one is present and matches its sha256; null otherwise. */
  async pathsFor(id: string): Promise<VerifiedModel | null> {
    const model = this.model(id);
    if ((await this.verify(model.id)) !== 'present') return null;
    const files = model.files.map((f) => ({ name: f.name, path: this.filePath(model.id, f.name), sha256: f.sha256, bytes: f.bytes }));
    return { id: model.id, paths: files.map((f) => f.path), sha256: files[0]!.sha256, files };
  }

  /** Records the hash of a file just written (the downloader hashed it while streaming). */
  rememberChecksum(id: string, fileName: string, sha256: string): void {
    const st = statOrNull(this.filePath(id, fileName));
    if (st) this.checksums.remember(`${id}/${fileName}`, st, sha256);
  }

  /** One file's state; hashes it unless its verdict is remembered. */
  async verifyFile(model: ModelEntry, file: ModelFile): Promise<FileState> {
    const quick = this.fileStatus(model, file);
    if (quick !== 'ok') return quick;
    const target = this.filePath(model.id, file.name);
    const st = statOrNull(target);
    if (!st) return 'missing';
    const key = `${model.id}/${file.name}`;
    let actual = this.checksums.lookup(key, st);
    if (actual === undefined) {
      try {
        actual = await sha256File(target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
        throw error;
      }
      // Remember it against the stat taken before hashing: a file changed meanwhile is hashed again.
      this.checksums.remember(key, st, actual);
    }
    return actual === file.sha256 ? 'ok' : 'checksum';
  }

  private async verifyNow(model: ModelEntry): Promise<ModelState> {
    const states: FileState[] = [];
    for (const f of model.files) states.push(await this.verifyFile(model, f));
    return combine(states);
  }

  private fileStatus(model: ModelEntry, file: ModelFile): FileState {
    const target = this.filePath(model.id, file.name);
    const st = statOrNull(target);
    if (!st) return statOrNull(`${target}.part`) ? 'partial' : 'missing';
    if (!st.isFile() || st.size !== file.bytes) return 'size';
    const known = this.checksums.lookup(`${model.id}/${file.name}`, st);
    return known !== undefined && known !== file.sha256 ? 'checksum' : 'ok';
  }
}
