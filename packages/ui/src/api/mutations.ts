// Write hooks: each calls one route, shows the outcome, and invalidates the queries it affects.
// Favourite and rating changes are applied to the caches at once (optimistic), then confirmed.
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { ApiRouteKey, AssetDetail, RouteKey, TimeBucketAssets } from '@shoebox/core/contract';
import { useApi } from './api-context.tsx';
import type { ApiInput, ApiOutput } from './client.ts';
import { plainError } from './errors.ts';
import { useToast } from '../components/toast.tsx';

/**
 * Every read that shows assets or their counts. People and ranked results are among them: a
 * trashed photo leaves its people's counts and the search results, a moved face changes both.
 */
const ASSET_READS: RouteKey[] = [
  'getTimeBuckets', 'getTimeBucket', 'getAsset', 'listAlbums', 'getAlbum', 'getFolders', 'getSearchFacets', 'getServerInfo', 'listRoots',
  'listPeople', 'getPerson', 'listPersonFaces', 'getAssetFaces', 'smartSearch', 'getSimilarAssets', 'getMlStatus',
];

export function invalidateAssets(qc: QueryClient): Promise<void> {
  return Promise.all(ASSET_READS.map((k) => qc.invalidateQueries({ queryKey: [k] }))).then(() => undefined);
}

type Patch = { isFavorite?: boolean; isArchived?: boolean; rating?: number | null; trashed?: boolean };

/** Applies a patch to the cached grid cells and details of the given assets. */
function patchCaches(qc: QueryClient, ids: readonly string[], patch: Patch): void {
  const set = new Set(ids);
  const cell = (a: TimeBucketAssets['assets'][number]) => set.has(a.id) ? {
    ...a,
    ...(patch.isFavorite !== undefined && { isFavorite: patch.isFavorite }),
    ...(patch.isArchived !== undefined && { isArchived: patch.isArchived }),
    ...(patch.rating !== undefined && { rating: patch.rating }),
    ...(patch.trashed !== undefined && { isTrashed: patch.trashed }),
  } : a;
  qc.setQueriesData<TimeBucketAssets>({ queryKey: ['getTimeBucket'] }, (old) => old && { ...old, assets: old.assets.map(cell) });
  for (const id of ids) {
    qc.setQueryData<AssetDetail>(['getAsset', id], (old) => old && {
      ...old,
      ...(patch.isFavorite !== undefined && { isFavorite: patch.isFavorite }),
      ...(patch.isArchived !== undefined && { isArchived: patch.isArchived }),
      ...(patch.rating !== undefined && { rating: patch.rating }),
    });
  }
}

function describe(patch: Patch, n: number): string {
  const what = n === 1 ? '1 item' : `${n} items`;
  if (patch.trashed === true) return `Moved ${what} to the trash`;
  if (patch.trashed === false) return `Restored ${what}`;
  if (patch.isArchived === true) return `Archived ${what}`;
  if (patch.isArchived === false) return `Moved ${what} back to the timeline`;
  if (patch.isFavorite === true) return `Added ${what} to favourites`;
  if (patch.isFavorite === false) return `Removed ${what} from favourites`;
  return `Updated ${what}`;
}

/** Favourite, rate, archive or trash one or many assets. */
export function useUpdateAssets() {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: async ({ ids, patch }: { ids: string[]; patch: Patch; quiet?: boolean }) => {
      if (ids.length === 1) {
        await api.call('updateAsset', { params: { id: ids[0]! }, body: patch });
        return 1;
      }
      return (await api.call('updateAssets', { body: { ids, ...patch } })).count;
    },
    onMutate: async ({ ids, patch }) => {
      if (patch.isFavorite === undefined && patch.rating === undefined) return;
      // A refetch still in flight from an earlier change must not overwrite this one.
      await Promise.all([qc.cancelQueries({ queryKey: ['getTimeBucket'] }), ...ids.map((id) => qc.cancelQueries({ queryKey: ['getAsset', id] }))]);
      patchCaches(qc, ids, patch);
    },
    onSuccess: (count, { patch, quiet }) => {
      if (!quiet) toast.info(describe(patch, count));
    },
    onError: (error) => toast.error(plainError(error)),
    onSettled: () => invalidateAssets(qc),
  });
}

/** A mutation for any route, with a success message and the usual invalidation. */
export function useRouteMutation<K extends ApiRouteKey>(key: K, success?: (out: ApiOutput<K>) => string | null) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (input: ApiInput<K>) => api.call(key, input),
    onSuccess: (out) => {
      const text = success?.(out);
      if (text) toast.info(text);
    },
    onError: (error) => toast.error(plainError(error)),
    onSettled: () => invalidateAssets(qc),
  });
}
