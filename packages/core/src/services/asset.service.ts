// Reading assets: pages with filters, one asset's detail, its files (original, derivatives) and
// the timeline's month buckets.
import { AppError } from '../contract/errors.ts';
import type { FileResult } from '../contract/route.ts';
import type { AssetBulkUpdate, AssetDetail, AssetListQuery, AssetPage, AssetPatch } from '../contract/schemas/asset.schemas.ts';
import type { FolderEntry, SearchFacets } from '../contract/schemas/browse.schemas.ts';
import type { TimelineAsset } from '../contract/schemas/timeline.schemas.ts';
import type { AssetRepository, TimelineFilter } from '../ports/library.ports.ts';


function notMade(what: string, id: string, error: string | null): AppError {
  return new AppError(
    'DERIVATIVE_NOT_FOUND',
    error ? `the ${what} of asset ${id} could not be made: ${error}` : `the ${what} of asset ${id} has not been made yet`,
  );
}

function contentTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    webp: 'image/webp', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png',
    mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm',
  };
  return types[ext] ?? 'application/octet-stream';
}

export class AssetService {
  private readonly assets: AssetRepository;

  constructor(assets: AssetRepository) {
    this.assets = assets;
  }

  list(ownerId: string, query: AssetListQuery): AssetPage {
    return this.assets.list(ownerId, query);
  }

  get(ownerId: string, id: string): AssetDetail {
    const asset = this.assets.get(ownerId, id);
    if (!asset) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    return asset;
  }

  original(ownerId: string, id: string, download: boolean): FileResult {
    const file = this.assets.original(ownerId, id);
    if (!file) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    if (file.offline) throw new AppError('FILE_OFFLINE', `the original of ${file.fileName} is offline`);
    return {
      filePath: file.path,
      contentType: file.mimeType ?? 'application/octet-stream',
      fileName: file.fileName,
      download,
      cacheSeconds: 0,
    };
  }

  derivative(ownerId: string, id: string, kind: 'thumbnail' | 'preview'): FileResult {
    const found = this.assets.derivative(ownerId, id, kind);
    if (!found) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    if (!found.path) throw notMade(kind, id, found.error);
    return { filePath: found.path, contentType: found.contentType ?? contentTypeOf(found.path), cacheSeconds: 86_400 };
  }

  /** The transcode, or the original when it plays as it is. */
  video(ownerId: string, id: string): FileResult {
    const found = this.assets.derivative(ownerId, id, 'video');
    if (!found) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    if (!found.path) throw notMade('playable video', id, found.error);
    if (found.isOriginal && found.offline) throw new AppError('FILE_OFFLINE', `the original of asset ${id} is offline`);
    // A transcode is remade under the same name after `regenerate`: let caches revalidate.
    return { filePath: found.path, contentType: found.contentType ?? contentTypeOf(found.path), cacheSeconds: 0 };
  }

  buckets(ownerId: string, filter: TimelineFilter): { timeBucket: string; count: number }[] {
    return this.assets.timelineBuckets(ownerId, filter);
  }

  bucket(ownerId: string, filter: TimelineFilter, timeBucket: string): { timeBucket: string; assets: TimelineAsset[] } {
    return { timeBucket, assets: this.assets.timelineBucket(ownerId, filter, timeBucket) };
  }

  update(ownerId: string, id: string, patch: AssetPatch): AssetDetail {
    if (!this.assets.update(ownerId, id, patch)) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    return this.get(ownerId, id);
  }

  updateMany(ownerId: string, update: AssetBulkUpdate): { count: number } {
    return { count: this.assets.updateMany(ownerId, { ...update, ids: [...new Set(update.ids)] }) };
  }

  folders(ownerId: string): FolderEntry[] {
    return this.assets.folders(ownerId);
  }

  facets(ownerId: string): SearchFacets {
    return this.assets.facets(ownerId);
  }
}
