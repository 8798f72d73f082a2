// The trash: restore, or empty it (removing from the catalog; deleting files only when asked).
import { z } from 'zod';
import { AssetIds } from './asset.schemas.ts';

export const RestoreTrashBody = z.object({
  ids: AssetIds.optional().describe('the assets to restore; everything in the trash when left out'),
});

export const EmptyTrashBody = z
  .object({
    ids: AssetIds.optional().describe('the trashed assets to remove; the whole trash when left out'),
    deleteFiles: z
      .boolean()
      .default(false)
      .describe('also delete the original files (and their sidecars) from disk; otherwise they stay where they are and Shoebox ignores them'),
    confirm: z
      .literal('delete files')
      .optional()
      .describe('must be the words "delete files" when deleteFiles is true: no file is deleted by accident'),
  })
  .refine((b) => !b.deleteFiles || b.confirm === 'delete files', {
    message: 'deleting files from disk needs confirm: "delete files"',
    path: ['confirm'],
  });
export type EmptyTrashBody = z.infer<typeof EmptyTrashBody>;

export const EmptyTrashResult = z
  .object({
    removed: z.number().int().describe('assets removed from the library'),
    filesDeleted: z.number().int(),
    failures: z.array(z.object({ path: z.string(), error: z.string() })).describe('files that could not be deleted (their assets stay in the trash)'),
  })
  .meta({ id: 'EmptyTrashResult' });
export type EmptyTrashResult = z.infer<typeof EmptyTrashResult>;
