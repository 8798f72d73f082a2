// Smart search: a description (CLIP text tower) or a photo (its image embedding) ranked against
// every asset's image embedding, within the grid filters.
import { AppError } from '../contract/errors.ts';
import type { RankedAssets, SimilarQuery, SmartSearchQuery } from '../contract/schemas/smart-search.schemas.ts';
import type { TimelineFilter } from '../contract/schemas/timeline.schemas.ts';
import type { MlControl, SmartSearchIndex, TextEmbedder } from '../ports/ml.ports.ts';

function filterOf<Q extends TimelineFilter & { limit: number }>(query: Q, drop: readonly string[]): TimelineFilter {
  const filter: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== 'limit' && !drop.includes(k)) filter[k] = v;
  return filter as TimelineFilter;
}

export class SmartSearchService {
  private readonly index: SmartSearchIndex;
  private readonly text: TextEmbedder;
  private readonly ml: MlControl;

  constructor(index: SmartSearchIndex, text: TextEmbedder, ml: MlControl) {
    this.index = index;
    this.text = text;
    this.ml = ml;
  }

  async search(ownerId: string, query: SmartSearchQuery): Promise<RankedAssets> {
    const settings = await this.ml.settings();
    if (!settings.enabled || !settings.smartSearch) {
      throw new AppError('ML_DISABLED', 'smart search is switched off in the settings');
    }
    const vector = await this.text.embedText(query.q);
    const items = await this.index.search(ownerId, vector, filterOf(query, ['q']), query.limit);
    return { items, model: await this.index.modelId(), indexed: await this.index.count(ownerId) };
  }

  async similar(ownerId: string, assetId: string, query: SimilarQuery): Promise<RankedAssets> {
    if (!await this.index.assetExists(ownerId, assetId)) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${assetId}`);
    const vector = await this.index.embedding(ownerId, assetId);
    if (!vector) {
      throw new AppError('EMBEDDING_NOT_READY', 'this asset has not been through smart search yet (its CLIP embedding is missing)');
    }
    const items = await this.index.search(ownerId, vector, filterOf(query, []), query.limit, assetId);
    return { items, model: await this.index.modelId(), indexed: await this.index.count(ownerId) };
  }

  async tokenize(text: string): Promise<number[]> {
    return await this.text.tokenize(text);
  }
}
