// Uploads to the sync server: the multipart form's fields, the answer, and the bulk check that
// tells a phone which of its files the server already holds.
import { z } from 'zod';
import { IsoDateTime } from './common.schemas.ts';

export const Sha1Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{40}$/, 'a SHA-1 checksum as 40 hex digits')
  .transform((s) => s.toLowerCase());

/** The text fields that may come with the file (all optional; the file's own metadata wins). */
export const UploadFields = z
  .object({
    /** When the device says the photo was taken, used when the file carries no date. */
    fileCreatedAt: IsoDateTime.optional(),
    fileModifiedAt: IsoDateTime.optional(),
    deviceId: z.string().max(200).optional(),
    deviceAssetId: z.string().max(500).optional(),
    /** The client's SHA-1 of the file: checked against what arrived. */
    checksum: Sha1Hex.optional(),
  });
export type UploadFields = z.infer<typeof UploadFields>;

export const UploadResult = z
  .object({
    id: z.uuid(),
    /** `duplicate`: this owner already had these bytes; `id` is that asset. */
    status: z.enum(['created', 'duplicate']),
    checksum: z.string(),
  })
  .meta({ id: 'UploadResult' });
export type UploadResult = z.infer<typeof UploadResult>;

export const BulkCheckBody = z
  .object({ checksums: z.array(Sha1Hex).min(1).max(5000) })
  .meta({ id: 'BulkCheckBody' });
export type BulkCheckBody = z.infer<typeof BulkCheckBody>;

export const BulkCheckResult = z
  .object({
    results: z.array(z.object({ checksum: z.string(), assetId: z.uuid().nullable() })),
  })
  .meta({ id: 'BulkCheckResult' });
export type BulkCheckResult = z.infer<typeof BulkCheckResult>;
