// Query keys and read hooks (TanStack Query) over the typed client. Keys start with the route key,
// so a mutation can invalidate every query of the routes it affects.
import { useQuery, type UseQueryOptions } from '@tanstack/react-query';
import type { MlStatus, TimelineFilter } from '@shoebox/core/contract';
import { useApi } from './api-context.tsx';
import type { ApiClient, ApiOutput } from './client.ts';

/** The filter as the query string carries it (booleans as 'true'/'false'). */
export type GridFilter = {
  [K in keyof TimelineFilter]?: TimelineFilter[K] extends boolean | undefined ? boolean : TimelineFilter[K];
};

export function filterQuery(filter: GridFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null || v === '') continue;
    out[k] = String(v);
  }
  return out;
}


export const keys = {
  buckets: (filter: GridFilter) => ['getTimeBuckets', filterQuery(filter)] as const,
  bucket: (filter: GridFilter, month: string) => ['getTimeBucket', filterQuery(filter), month] as const,
  asset: (id: string) => ['getAsset', id] as const,
  albums: (assetId?: string) => ['listAlbums', assetId ?? null] as const,
  album: (id: string) => ['getAlbum', id] as const,
  roots: () => ['listRoots'] as const,
  folders: () => ['getFolders'] as const,
  facets: () => ['getSearchFacets'] as const,
  jobs: () => ['getJobsStatus'] as const,
  info: () => ['getServerInfo'] as const,
  people: (withHidden: boolean) => ['listPeople', withHidden] as const,
  person: (id: string) => ['getPerson', id] as const,
  personFaces: (id: string) => ['listPersonFaces', id] as const,
  assetFaces: (id: string) => ['getAssetFaces', id] as const,
  ml: () => ['getMlStatus'] as const,
  smartSearch: (q: string, filter: GridFilter, limit: number) => ['smartSearch', q, filterQuery(filter), limit] as const,
  similar: (id: string, limit: number) => ['getSimilarAssets', id, limit] as const,
};

export function fetchBuckets(api: ApiClient, filter: GridFilter): Promise<ApiOutput<'getTimeBuckets'>> {
  return api.call('getTimeBuckets', { query: filterQuery(filter) as never });
}

export function fetchBucket(api: ApiClient, filter: GridFilter, month: string): Promise<ApiOutput<'getTimeBucket'>> {
  return api.call('getTimeBucket', { query: { ...filterQuery(filter), timeBucket: month } as never });
}

type Opts<T> = Omit<UseQueryOptions<T, Error, T, readonly unknown[]>, 'queryKey' | 'queryFn'>;

export function useBuckets(filter: GridFilter) {
  const api = useApi();
  return useQuery({
    queryKey: keys.buckets(filter),
    queryFn: () => fetchBuckets(api, filter),
  });
}

export function useAsset(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: keys.asset(id ?? ''),
    queryFn: () => api.call('getAsset', { params: { id: id! } }),
    enabled: id !== null,
    // A video still being converted plays as soon as it is ready.
    refetchInterval: (q) => (q.state.data?.derivatives.video?.state === 'pending' ? 3000 : false),
  });
}

export function useAlbums(assetId?: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.albums(assetId),
    queryFn: () => api.call('listAlbums', { query: assetId ? { assetId } : {} }),
  });
}

export function useAlbum(id: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.album(id), queryFn: () => api.call('getAlbum', { params: { id } }) });
}

export function useRoots(opts: Opts<ApiOutput<'listRoots'>> = {}) {
  const api = useApi();
  return useQuery({ queryKey: keys.roots(), queryFn: () => api.call('listRoots'), ...opts });
}

export function useFolders() {
  const api = useApi();
  return useQuery({ queryKey: keys.folders(), queryFn: () => api.call('getFolders') });
}

export function useFacets() {
  const api = useApi();
  return useQuery({ queryKey: keys.facets(), queryFn: () => api.call('getSearchFacets') });
}

export function useJobs(opts: Opts<ApiOutput<'getJobsStatus'>> = {}) {
  const api = useApi();
  return useQuery({
    queryKey: keys.jobs(),
    queryFn: () => api.call('getJobsStatus', { query: { failures: 200 } }),
    refetchInterval: 1000,
    ...opts,
  });
}

export function useServerInfo() {
  const api = useApi();
  return useQuery({ queryKey: keys.info(), queryFn: () => api.call('getServerInfo'), refetchInterval: 5000 });
}

export function usePeople(withHidden = false) {
  const api = useApi();
  return useQuery({
    queryKey: keys.people(withHidden),
    queryFn: () => api.call('listPeople', { query: withHidden ? { withHidden: 'true' } : {} }),
  });
}

export function usePerson(id: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.person(id), queryFn: () => api.call('getPerson', { params: { id } }) });
}

export function usePersonFaces(id: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.personFaces(id),
    queryFn: () => api.call('listPersonFaces', { params: { id }, query: { limit: 500 } }),
    enabled,
  });
}

export function useAssetFaces(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: keys.assetFaces(id ?? ''),
    queryFn: () => api.call('getAssetFaces', { params: { id: id! } }),
    enabled: id !== null,
  });
}

/** A model download is under way: the status is polled until it ends. */
export function downloading(status: MlStatus | undefined): boolean {
  return !!status?.models.some((m) => m.download.state === 'downloading' || m.download.state === 'verifying');
}

/** Smart search can answer: switched on and its models are here. */
export function smartSearchReady(status: MlStatus): boolean {
  return status.settings.enabled && status.settings.smartSearch && status.smartSearch.ready;
}

export function useMlStatus() {
  const api = useApi();
  return useQuery({
    queryKey: keys.ml(),
    queryFn: () => api.call('getMlStatus'),
    refetchInterval: (q) => (downloading(q.state.data) ? 1000 : false),
  });
}

/** Two ranked-result keys that differ at most in their limit (the last element). */
function sameSearch(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  return !!a && JSON.stringify(a.slice(0, -1)) === JSON.stringify(b.slice(0, -1));
}

/**
 * Assets ranked by how well they match `q`, within the filter; off while `q` is empty. With no
 * match while photos are still being analysed (`analysing`), it asks again every few seconds;
 * results on screen are not re-ranked under the reader's eyes.
 */
export function useSmartSearch(q: string, filter: GridFilter, limit: number, enabled: boolean, analysing = false) {
  const api = useApi();
  return useQuery({
    queryKey: keys.smartSearch(q, filter, limit),
    queryFn: () => api.call('smartSearch', { query: { ...filterQuery(filter), q, limit } as never }),
    enabled: enabled && q.length > 0,
    refetchInterval: (query) => (analysing && query.state.data?.items.length === 0 ? 5000 : false),
    // Asking for more results keeps the ones on screen until the longer list arrives.
    placeholderData: (previous, query) => (sameSearch(query?.queryKey, keys.smartSearch(q, filter, limit)) ? previous : undefined),
    staleTime: 60_000,
  });
}

export function useSimilarAssets(id: string, limit: number) {
  const api = useApi();
  return useQuery({
    queryKey: keys.similar(id, limit),
    queryFn: () => api.call('getSimilarAssets', { params: { id }, query: { limit } }),
    placeholderData: (previous, query) => (sameSearch(query?.queryKey, keys.similar(id, limit)) ? previous : undefined),
    staleTime: 60_000,
  });
}
