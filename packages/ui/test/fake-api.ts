// An in-memory library behind the real typed client: the transport answers route keys the way
// the engine would, so components are tested through the same client they use in the app.
import type { ApiRouteKey as RouteKey, TimelineAsset } from '@shoebox/core/contract';
import { createClient, type ApiClient, ApiError, type Transport } from '../src/api/client.ts';

/** What a route was called with, as the client sent it. */
export interface FakeInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface FakeLibrary {
  assets: TimelineAsset[];
  calls: string[];
  /** Every call with its input, to assert what was sent. */
  requests: { key: RouteKey; input: FakeInput }[];
  fail: Set<RouteKey>;
  /** Answers for more routes (people, machine learning, smart search), tried before the built-in ones. */
  routes: Partial<Record<RouteKey, (input: FakeInput) => unknown>>;
  /** Runs before every call and may throw (the sync server's 401 for a missing session). */
  before?: (key: RouteKey) => void;
  client: ApiClient;
}

export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** `months` months of `perMonth` assets each, newest first, a few per day. */
export function fakeLibrary(months: number, perMonth: number): FakeLibrary {
  const assets: TimelineAsset[] = [];
  let n = 0;
  for (let m = 0; m < months; m++) {
    const year = 2024 - Math.floor(m / 12);
    const month = 12 - (m % 12);
    for (let i = 0; i < perMonth; i++) {
      const day = 28 - Math.floor((i * 27) / perMonth);
      assets.push({
        id: uuid(++n), type: i % 10 === 0 ? 'video' : 'image', fileName: `IMG_${n}.JPG`,
        takenAt: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00+02:00`,
        width: i % 3 === 0 ? 3000 : 4000, height: i % 3 === 0 ? 4000 : 3000, duration: i % 10 === 0 ? 12 : null,
        isFavorite: i % 7 === 0, isArchived: false, isTrashed: false, rating: null, livePhotoVideoId: null, motionPhoto: false, thumbhash: null,
      });
    }
  }
  const lib: FakeLibrary = { assets, calls: [], requests: [], fail: new Set(), routes: {}, client: undefined as never };
  const monthOf = (a: TimelineAsset) => `${a.takenAt.slice(0, 7)}-01`;
  const transport: Transport = {
    async call(key, _route, input) {
      lib.calls.push(key);
      lib.requests.push({ key, input: input as FakeInput });
      lib.before?.(key);
      if (lib.fail.has(key)) throw new ApiError(500, 'INTERNAL', 'the disk is on fire');
      const handler = lib.routes[key];
      if (handler) return handler(input as FakeInput);
      const q = (input.query ?? {}) as Record<string, string>;
      const visible = assets.filter((a) => (q.favorite === 'true' ? a.isFavorite : true));
      if (key === 'getTimeBuckets') {
        const counts = new Map<string, number>();
        for (const a of visible) counts.set(monthOf(a), (counts.get(monthOf(a)) ?? 0) + 1);
        return [...counts].map(([timeBucket, count]) => ({ timeBucket, count }));
      }
      if (key === 'getTimeBucket') return { timeBucket: q.timeBucket, assets: visible.filter((a) => monthOf(a) === q.timeBucket) };
      if (key === 'getJobsStatus') return { lanes: [], recentFailures: [] };
      if (key === 'listAlbums') return [];
      throw new ApiError(404, 'NOT_FOUND', `fake has no ${key}`);
    },
  };
  lib.client = createClient(transport, 'http://fake');
  return lib;
}

/** jsdom has no layout: give every element the size of a laptop window. */
export function fakeLayout(width = 1264, height = 800): void {
  const proto = HTMLElement.prototype;
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(proto, 'offsetWidth', { configurable: true, get: () => width });
  Object.defineProperty(proto, 'offsetHeight', { configurable: true, get: () => height });
  proto.getBoundingClientRect = function () {
    return { x: 0, y: 0, top: 0, left: 0, right: width, bottom: height, width, height, toJSON: () => ({}) } as DOMRect;
  };
}
