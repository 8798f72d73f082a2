// Reading assets: pages with filters, one asset's detail, its files (original, derivatives) and
// the timeline's month buckets.
import { AppError } from '../contract/errors.ts';
import type { FileResult } from '../contract/route.ts';
import type { AssetDetail, AssetListQuery, AssetPage, AssetSummary } from '../contract/schemas/asset.schemas.ts';
import type { AssetRepository, TimelineFilter } from '../ports/library.ports.ts';

const DERIVATIVE_TYPES = { thumbnail: 'image/webp', preview: 'image/jpeg' } as const;

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
    if (!found.exists || !found.path) {
      throw new AppError('DERIVATIVE_NOT_FOUND', `the ${kind} of asset ${id} has not been made yet`);
    }
    const contentType = found.path.endsWith('.webp') ? 'image/webp' : DERIVATIVE_TYPES[kind];
    return { filePath: found.path, contentType, cacheSeconds: 86_400 };
  }

  buckets(ownerId: string, filter: TimelineFilter): { timeBucket: string; count: number }[] {
    return this.assets.timelineBuckets(ownerId, filter);
  }

  bucket(ownerId: string, filter: TimelineFilter, timeBucket: string): { timeBucket: string; assets: AssetSummary[] } {
    return { timeBucket, assets: this.assets.timelineBucket(ownerId, filter, timeBucket) };
  }
}
