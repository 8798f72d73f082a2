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

  async list(ownerId: string, query: AssetListQuery): Promise<AssetPage> {
    return await this.assets.list(ownerId, query);
  }

  async get(ownerId: string, id: string): Promise<AssetDetail> {
    const asset = await this.assets.get(ownerId, id);
    if (!asset) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    return asset;
  }

  async original(ownerId: string, id: string, download: boolean): Promise<FileResult> {
    const file = await this.assets.original(ownerId, id);
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

  async derivative(ownerId: string, id: string, kind: 'thumbnail' | 'preview'): Promise<FileResult> {
    const found = await this.assets.derivative(ownerId, id, kind);
    if (!found) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    if (!found.path) throw notMade(kind, id, found.error);
    return { filePath: found.path, contentType: found.contentType ?? contentTypeOf(found.path), cacheSeconds: 86_400 };
  }

  /** The transcode, or the original when it plays as it is. */
  async video(ownerId: string, id: string): Promise<FileResult> {
    const found = await this.assets.derivative(ownerId, id, 'video');
    if (!found) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    if (!found.path) throw notMade('playable video', id, found.error);
    if (found.isOriginal && found.offline) throw new AppError('FILE_OFFLINE', `the original of asset ${id} is offline`);
    // A transcode is remade under the same name after `regenerate`: let caches revalidate.
    return { filePath: found.path, contentType: found.contentType ?? contentTypeOf(found.path), cacheSeconds: 0 };
  }

  async buckets(ownerId: string, filter: TimelineFilter): Promise<{ timeBucket: string; count: number }[]> {
    return await this.assets.timelineBuckets(ownerId, filter);
  }

  async bucket(ownerId: string, filter: TimelineFilter, timeBucket: string): Promise<{ timeBucket: string; assets: TimelineAsset[] }> {
    return { timeBucket, assets: await this.assets.timelineBucket(ownerId, filter, timeBucket) };
  }

  async update(ownerId: string, id: string, patch: AssetPatch): Promise<AssetDetail> {
    if (!await this.assets.update(ownerId, id, patch)) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${id}`);
    return await this.get(ownerId, id);
  }

  async updateMany(ownerId: string, update: AssetBulkUpdate): Promise<{ count: number }> {
    return { count: await this.assets.updateMany(ownerId, { ...update, ids: [...new Set(update.ids)] }) };
  }

  async folders(ownerId: string): Promise<FolderEntry[]> {
    return await this.assets.folders(ownerId);
  }

  async facets(ownerId: string): Promise<SearchFacets> {
    return await this.assets.facets(ownerId);
  }
}
