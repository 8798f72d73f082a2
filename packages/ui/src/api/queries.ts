// Query keys and read hooks (TanStack Query) over the typed client. Keys start with the route key,
// so a mutation can invalidate every query of the routes it affects.
import { useQuery, type UseQueryOptions } from '@tanstack/react-query';
import type { RouteKey, RouteOutput, Routes, TimelineFilter } from '@shoebox/core/contract';
import { useApi } from './api-context.tsx';
import type { ApiClient } from './client.ts';

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

type Output<K extends RouteKey> = RouteOutput<Routes[K]>;

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
};

export function fetchBuckets(api: ApiClient, filter: GridFilter): Promise<Output<'getTimeBuckets'>> {
  return api.call('getTimeBuckets', { query: filterQuery(filter) as never });
}

export function fetchBucket(api: ApiClient, filter: GridFilter, month: string): Promise<Output<'getTimeBucket'>> {
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

export function useRoots() {
  const api = useApi();
  return useQuery({ queryKey: keys.roots(), queryFn: () => api.call('listRoots') });
}

export function useFolders() {
  const api = useApi();
  return useQuery({ queryKey: keys.folders(), queryFn: () => api.call('getFolders') });
}

export function useFacets() {
  const api = useApi();
  return useQuery({ queryKey: keys.facets(), queryFn: () => api.call('getSearchFacets') });
}

export function useJobs(opts: Opts<Output<'getJobsStatus'>> = {}) {
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
