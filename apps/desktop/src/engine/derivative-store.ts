// Where derivatives live on disk: under the data folder, in the sharded layout core defines. It
// also removes an asset's files when the asset leaves the catalog.
import fs from 'node:fs/promises';
import path from 'node:path';
import { derivativeRelBase, derivativeRelPath } from '@shoebox/core';
import type { Logger } from 'pino';

export class DerivativeStore {
  readonly dataDir: string;
  private readonly log: Logger;

  constructor(dataDir: string, log: Logger) {
    this.dataDir = dataDir;
    this.log = log;
  }

  abs(rel: string): string {
    return path.join(this.dataDir, rel);
  }

  thumbnailRel(assetId: string): string {
    return derivativeRelPath('thumbnail', assetId, 'webp');
  }

  /** The preview without its extension (.jpg, or .webp for transparent pictures). */
  previewBaseRel(assetId: string): string {
    return derivativeRelBase('preview', assetId);
  }

  videoRel(assetId: string): string {
    return derivativeRelPath('video', assetId, 'mp4');
  }

  /** Cropped faces are `<base>.<n>.webp`: in their own shard folders, named by the asset. */
  faceCropBaseRel(assetId: string): string {
    return derivativeRelBase('thumbnail', assetId).replace(/^media\/thumbs\//, 'media/faces/');
  }

  /** Every file an asset may have (whether or not it was made). */
  filesOf(assetId: string): string[] {
    const preview = this.previewBaseRel(assetId);
    return [this.thumbnailRel(assetId), `${preview}.jpg`, `${preview}.webp`, this.videoRel(assetId)].map((r) => this.abs(r));
  }

  /** Removes the derivatives of assets that left the catalog (in the background, off the hot path). */
  async remove(assetIds: readonly string[]): Promise<number> {
    let removed = 0;
    const CHUNK = 64;
    for (let i = 0; i < assetIds.length; i += CHUNK) {
      const ids = assetIds.slice(i, i + CHUNK);
      const files = ids.flatMap((id) => this.filesOf(id));
      files.push(...(await Promise.all(ids.map((id) => this.faceCrops(id)))).flat());
      const results = await Promise.allSettled(files.map((f) => fs.rm(f)));
      removed += results.filter((r) => r.status === 'fulfilled').length;
    }
    this.log.debug({ assets: assetIds.length, files: removed }, 'removed derivatives');
    return removed;
  }

  /** The cropped faces written for an asset. */
  async faceCrops(assetId: string): Promise<string[]> {
    const base = this.abs(this.faceCropBaseRel(assetId));
    const prefix = `${path.basename(base)}.`;
    const names = await fs.readdir(path.dirname(base)).catch(() => [] as string[]);
    return names.filter((n) => n.startsWith(prefix)).map((n) => path.join(path.dirname(base), n));
  }

  /**
   * Removes files no asset owns: derivatives of assets removed while the process was killed, and
   * temporary files of writes that never finished. Returns how many went.
   */
  async sweep(isKnown: (assetId: string) => boolean): Promise<number> {
    let removed = 0;
    const root = this.abs('media');
    const kinds = await fs.readdir(root).catch(() => [] as string[]);
    for (const kind of kinds) {
      for (const a of await fs.readdir(path.join(root, kind)).catch(() => [] as string[])) {
        for (const b of await fs.readdir(path.join(root, kind, a)).catch(() => [] as string[])) {
          const dir = path.join(root, kind, a, b);
          for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
            const id = name.slice(0, name.indexOf('.'));
            if (name.includes('.tmp') || !isKnown(id)) {
              await fs.rm(path.join(dir, name), { force: true });
              removed++;
            }
          }
        }
      }
    }
    return removed;
  }
}
