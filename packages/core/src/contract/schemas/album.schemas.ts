// Albums: named, hand-picked sets of assets with a cover.
import { z } from 'zod';
import { AssetIds } from './asset.schemas.ts';

export const Album = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    assetCount: z.number().int(),
    coverAssetId: z.uuid().nullable().describe('the chosen cover, else the newest asset; null when empty'),
    coverThumbhash: z.string().nullable(),
    startDate: z.string().nullable().describe('local capture time of the oldest asset'),
    endDate: z.string().nullable().describe('local capture time of the newest asset'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Album' });
export type Album = z.infer<typeof Album>;

const Name = z.string().trim().min(1, 'an album needs a name').max(200);

export const AlbumListQuery = z.object({
  assetId: z.uuid().optional().describe('only the albums that hold this asset'),
});

export const CreateAlbumBody = z.object({
  name: Name,
  description: z.string().max(4000).nullable().optional(),
  assetIds: z.array(z.uuid()).max(10_000).optional(),
});
export type CreateAlbumBody = z.infer<typeof CreateAlbumBody>;

export const UpdateAlbumBody = z
  .object({
    name: Name.optional(),
    description: z.string().max(4000).nullable().optional(),
    coverAssetId: z.uuid().nullable().optional().describe('an asset of the album; null goes back to the newest'),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type UpdateAlbumBody = z.infer<typeof UpdateAlbumBody>;

export const AlbumAssetsBody = z.object({ ids: AssetIds });

export const AlbumAssetsResult = z
  .object({
    count: z.number().int().describe('how many assets were added or removed'),
    album: Album,
  })
  .meta({ id: 'AlbumAssetsResult' });
