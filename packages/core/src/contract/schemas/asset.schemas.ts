// Asset shapes as the API shows them: the list item, the full record and the list filters.
import { z } from 'zod';
import { IsoDateTime, PageQuery, QueryBool } from './common.schemas.ts';

export const AssetType = z.enum(['image', 'video']);
export const AssetStatus = z.enum(['pending', 'ok', 'failed']);
export const TakenAtSource = z
  .enum(['offset', 'gps', 'local', 'utc', 'mtime'])
  .describe(
    'where the capture time came from: an offset tag, the time zone of the GPS position, local time with no zone, UTC (video containers), or the file mtime',
  );

export const ExifInfo = z
  .object({
    make: z.string().nullable(),
    model: z.string().nullable(),
    lens: z.string().nullable(),
    fNumber: z.number().nullable(),
    exposureTime: z.string().nullable(),
    iso: z.number().nullable(),
    focalLength: z.number().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    altitude: z.number().nullable(),
    videoCodec: z.string().nullable(),
    fileType: z.string().nullable(),
    mimeType: z.string().nullable(),
    keywords: z.array(z.string()),
  })
  .meta({ id: 'ExifInfo' });

export const AssetSummary = z
  .object({
    id: z.uuid(),
    type: AssetType,
    rootId: z.uuid(),
    path: z.string().describe('absolute path of the original'),
    fileName: z.string(),
    size: z.number().int(),
    checksum: z.string().regex(/^[0-9a-f]{40}$/),
    takenAt: z.string().describe('ISO 8601 local capture time, with the UTC offset when it is known'),
    takenAtUtc: z.string().describe('ISO 8601 instant used for ordering'),
    takenAtSource: TakenAtSource,
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    orientation: z.number().int().min(1).max(8).nullable(),
    duration: z.number().nullable(),
    isFavorite: z.boolean(),
    isArchived: z.boolean(),
    trashedAt: z.string().nullable(),
    rating: z.number().int().min(-1).max(5).nullable(),
    status: AssetStatus,
    offline: z.boolean(),
    livePhotoVideoId: z.uuid().nullable(),
    motionPhoto: z.boolean(),
    duplicateOf: z.uuid().nullable(),
    thumbhash: z.string().nullable().describe('base64 thumbhash: a blurred placeholder to show until the thumbnail loads'),
  })
  .meta({ id: 'AssetSummary' });
export type AssetSummary = z.infer<typeof AssetSummary>;

export const DerivativeStatus = z
  .object({
    state: z
      .enum(['pending', 'ready', 'failed', 'original'])
      .describe('pending: not made yet; ready: made; failed: see error; original: the original plays as it is (video)'),
    error: z.string().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
  })
  .meta({ id: 'DerivativeStatus' });
export type DerivativeStatus = z.infer<typeof DerivativeStatus>;

export const AssetDerivatives = z
  .object({
    thumbnail: DerivativeStatus,
    preview: DerivativeStatus,
    video: DerivativeStatus.nullable().describe('the playable video (videos only)'),
  })
  .meta({ id: 'AssetDerivatives' });
export type AssetDerivatives = z.infer<typeof AssetDerivatives>;

export const AssetDetail = AssetSummary.extend({
  mtime: z.string(),
  description: z.string().nullable(),
  error: z.string().nullable(),
  livePhotoVideoPath: z.string().nullable(),
  sidecars: z.array(z.string()),
  exif: ExifInfo,
  derivatives: AssetDerivatives,
  createdAt: z.string(),
  updatedAt: z.string(),
}).meta({ id: 'AssetDetail' });
export type AssetDetail = z.infer<typeof AssetDetail>;

export const AssetListQuery = PageQuery.extend({
  type: AssetType.optional(),
  status: AssetStatus.optional(),
  rootId: z.uuid().optional(),
  folder: z.string().min(1).max(4096).optional().describe('absolute folder; assets directly or deeply inside'),
  from: IsoDateTime.optional().describe('capture time, inclusive'),
  to: IsoDateTime.optional().describe('capture time, exclusive'),
  make: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  favorite: QueryBool.optional(),
  archived: QueryBool.optional(),
  trashed: QueryBool.optional(),
  hasLocation: QueryBool.optional(),
  includeDuplicates: QueryBool.optional(),
  albumId: z.uuid().optional(),
  fileType: z.string().min(1).max(40).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type AssetListQuery = z.infer<typeof AssetListQuery>;

export const AssetPage = z
  .object({
    items: z.array(AssetSummary),
    total: z.number().int(),
    page: z.number().int(),
    size: z.number().int(),
    hasNextPage: z.boolean(),
  })
  .meta({ id: 'AssetPage' });
export type AssetPage = z.infer<typeof AssetPage>;

const Rating = z.number().int().min(-1).max(5).nullable().describe('-1 rejected, 0 unrated, 1–5 stars; null clears it');

/** Changes to one asset; each field left out is kept. */
export const AssetPatch = z
  .object({
    isFavorite: z.boolean().optional(),
    isArchived: z.boolean().optional(),
    rating: Rating.optional(),
    trashed: z.boolean().optional().describe('true moves it to the trash, false restores it'),
    description: z.string().max(4000).nullable().optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change');
export type AssetPatch = z.infer<typeof AssetPatch>;

export const AssetIds = z.array(z.uuid()).min(1).max(10_000);

/** The same changes to many assets (the grid's selection). */
export const AssetBulkUpdate = z
  .object({
    ids: AssetIds,
    isFavorite: z.boolean().optional(),
    isArchived: z.boolean().optional(),
    rating: Rating.optional(),
    trashed: z.boolean().optional(),
  })
  .strict()
  .refine((p) => p.isFavorite !== undefined || p.isArchived !== undefined || p.rating !== undefined || p.trashed !== undefined, 'nothing to change');
export type AssetBulkUpdate = z.infer<typeof AssetBulkUpdate>;

export const CountResult = z.object({ count: z.number().int().describe('how many assets changed') }).meta({ id: 'CountResult' });
export type CountResult = z.infer<typeof CountResult>;
