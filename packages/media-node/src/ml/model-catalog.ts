// The engine's view of the models: the manifest, where the files are, each model's state and
// downloads. Backed by the model store and downloader (model-store.ts, model-download.ts).
import type { ModelEntry } from '@shoebox/core';

export type ModelState = 'present' | 'missing' | 'partial' | 'corrupt';

export interface ModelCatalog {
  readonly dir: string;
  ids(): string[];
  entry(id: string): ModelEntry | undefined;
  /** From file sizes only: cheap enough for every status call. */
  state(id: string): ModelState;
  download(id: string, onProgress: (receivedBytes: number, totalBytes: number) => void): Promise<void>;
}
