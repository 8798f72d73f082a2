// Smart search: assets ranked by how well they match a description (CLIP text → image), or a photo
// (image → image), within the same filters the grids use.
import { z } from 'zod';
import { TimelineAsset, TimelineFilter } from './timeline.schemas.ts';

export const RankedAsset = TimelineAsset.extend({
  score: z.number().describe('cosine similarity to the query, -1..1; higher is closer'),
}).meta({ id: 'RankedAsset' });
export type RankedAsset = z.infer<typeof RankedAsset>;

const Limit = z.coerce.number().int().min(1).max(1000).default(200);

export const SmartSearchQuery = TimelineFilter.extend({
  q: z.string().trim().min(1, 'type what you are looking for').max(1000).describe('what the photos show, in words'),
  limit: Limit,
});
export type SmartSearchQuery = z.infer<typeof SmartSearchQuery>;

export const SimilarQuery = TimelineFilter.extend({ limit: Limit });
export type SimilarQuery = z.infer<typeof SimilarQuery>;

export const RankedAssets = z
  .object({
    items: z.array(RankedAsset),
    model: z.string().describe('the CLIP model that ranked them'),
    indexed: z.number().int().describe('assets with an embedding: the ones search can find'),
  })
  .meta({ id: 'RankedAssets' });
export type RankedAssets = z.infer<typeof RankedAssets>;

export const TokenizeQuery = z.object({ text: z.string().max(10_000) });
export const TokenizeResult = z
  .object({ tokens: z.array(z.number().int()).describe('CLIP token ids, start and end of text included, without padding') })
  .meta({ id: 'TokenizeResult' });
