// Where the server keeps what the media pipeline makes: per owner, in folders named by the asset
// id's first two characters, by default under the storage root:
// `<storageRoot>/derivatives/<ownerId>/<id[0..1]>/<id>-thumbnail.webp` (and -preview.jpg|webp,
// -video.mp4, -face.<n>.webp). The catalog stores these paths relative to the data folder (as the
// repositories read them), or absolute when the storage root lies outside it.
import fs from 'node:fs/promises';
import path from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkId(kind: string, id: string): string {
  // Ids become folder and file names: only a uuid may.
  if (!UUID.test(id)) throw new Error(`not a valid ${kind} id: ${JSON.stringify(id)}`);
  return id.toLowerCase();
}

export class DerivativeStore {
  readonly root: string;
  readonly dataDir: string;

  /** `root`: the derivatives folder (by default `<storageRoot>/derivatives`). */
  constructor(root: string, dataDir: string) {
    this.root = path.resolve(root);
    this.dataDir = path.resolve(dataDir);
  }

  dir(ownerId: string, assetId: string): string {
    const owner = checkId('owner', ownerId);
    const id = checkId('asset', assetId);
    return path.join(this.root, owner, id.slice(0, 2));
  }

  private file(ownerId: string, assetId: string, suffix: string): string {
    return path.join(this.dir(ownerId, assetId), `${checkId('asset', assetId)}-${suffix}`);
  }

  thumbnail(ownerId: string, assetId: string): string {
    return this.file(ownerId, assetId, 'thumbnail.webp');
  }

  /** The preview without its extension (.jpg, or .webp for transparent pictures). */
  previewBase(ownerId: string, assetId: string): string {
    return this.file(ownerId, assetId, 'preview');
  }

  video(ownerId: string, assetId: string): string {
    return this.file(ownerId, assetId, 'video.mp4');
  }

  /** Cropped faces are written as `<base>.<n>.webp`. */
  faceCropBase(ownerId: string, assetId: string): string {
    return this.file(ownerId, assetId, 'face');
  }

  /** The path the catalog stores: relative to the data folder when inside it. */
  rel(abs: string): string {
    const rel = path.relative(this.dataDir, abs);
    return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  }

  abs(stored: string): string {
    return path.resolve(this.dataDir, stored);
  }

  /** Every file an asset may have (whether or not it was made), face crops included. */
  async filesOf(ownerId: string, assetId: string): Promise<string[]> {
    const dir = this.dir(ownerId, assetId);
    const prefix = `${checkId('asset', assetId)}-`;
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    return names.filter((n) => n.startsWith(prefix)).map((n) => path.join(dir, n));
  }

  /** Removes the derivatives of assets that left the catalog; returns how many files went. */
  async remove(ownerId: string, assetIds: readonly string[]): Promise<number> {
    let removed = 0;
    for (const id of assetIds) {
      const results = await Promise.allSettled((await this.filesOf(ownerId, id)).map((f) => fs.rm(f)));
      removed += results.filter((r) => r.status === 'fulfilled').length;
    }
    return removed;
  }
}
