// Shared plumbing of the suites: one fixture per suite, emptied before each test, and small helpers.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { AssetListQuery } from '../contract/schemas/asset.schemas.ts';
import type { ConformanceFixture } from './conformance-fixture.ts';

export type MakeFixture = () => Promise<ConformanceFixture>;

/** Registers the fixture's lifecycle in the current describe; returns its accessor for the tests. */
export function useFixture(make: MakeFixture): () => ConformanceFixture {
  let fx: ConformanceFixture | undefined;
  beforeAll(async () => {
    fx = await make();
  });
  beforeEach(async () => {
    await fx!.reset();
  });
  afterAll(async () => {
    await fx?.close();
  });
  return () => {
    if (!fx) throw new Error('the conformance fixture was not made');
    return fx;
  };
}

/** A list query as the route would have parsed it: page 1 of 100, newest first, unless told. */
export function listQuery(fields: Partial<AssetListQuery> = {}): AssetListQuery {
  return { page: 1, size: 100, order: 'desc', ...fields };
}

export const idsOf = (items: readonly { id: string }[]): string[] => items.map((i) => i.id);

/**
 * Lets the clock move on (2 ms) so timestamps written next differ from the last ones. A spin: core
 * has no timer types, and the wait is short.
 */
export function clockTick(): void {
  const until = Date.now() + 2;
  while (Date.now() < until) { /* spin */ }
}

/** A store's "now" is close to this machine's (a remote database server's clock may differ a little). */
export function expectRecent(iso: string | null | undefined, since: number): boolean {
  if (!iso) return false;
  const t = Date.parse(iso);
  return t >= since - 5 * 60_000 && t <= Date.now() + 5 * 60_000;
}

/** Resolves with the value, or with the error when the call throws or rejects. */
export async function settle<T>(call: () => T | Promise<T>): Promise<T | Error> {
  try {
    return await call();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
