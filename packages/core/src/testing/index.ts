// @shoebox/core/testing: the port-conformance suites both apps run against their adapters (test
// code only: it imports vitest). Each app supplies a ConformanceFixture (conformance-fixture.ts);
// describePortConformance runs every suite, or an app picks suites one by one.
import { describe } from 'vitest';
import type { MakeFixture } from './conformance-harness.ts';
import { describeAlbumRepositoryConformance } from './album.conformance.ts';
import { describeAssetRepositoryConformance } from './asset.conformance.ts';
import { describeLibraryRootRepositoryConformance } from './library-root.conformance.ts';
import { describeOwnerIsolationConformance } from './owner-isolation.conformance.ts';
import { describePeopleRepositoryConformance } from './people.conformance.ts';
import { describeSmartSearchConformance } from './smart-search.conformance.ts';
import { describeTimelineConformance } from './timeline.conformance.ts';
import { describeTrashRepositoryConformance } from './trash.conformance.ts';

export type * from './conformance-fixture.ts';
export type { MakeFixture } from './conformance-harness.ts';
export * from './seed-builders.ts';
export {
  describeAlbumRepositoryConformance,
  describeAssetRepositoryConformance,
  describeLibraryRootRepositoryConformance,
  describeOwnerIsolationConformance,
  describePeopleRepositoryConformance,
  describeSmartSearchConformance,
  describeTimelineConformance,
  describeTrashRepositoryConformance,
};

/**
 * Every port suite against one app's adapters. Each suite makes its own fixture (once) and resets
 * it before every test. Smart search is skipped without `smartSearch`. An adapter with a single
 * owner (the desktop) says so, and the owner-isolation suite is not part of its run.
 */
export function describePortConformance(name: string, makeFixture: MakeFixture, opts: { owners: 'one' | 'many' } = { owners: 'many' }): void {
  describe(`${name} port conformance`, () => {
    describeAssetRepositoryConformance(name, makeFixture);
    describeTimelineConformance(name, makeFixture);
    describeAlbumRepositoryConformance(name, makeFixture);
    describeTrashRepositoryConformance(name, makeFixture);
    describePeopleRepositoryConformance(name, makeFixture);
    describeSmartSearchConformance(name, makeFixture);
    describeLibraryRootRepositoryConformance(name, makeFixture);
    if (opts.owners === 'many') describeOwnerIsolationConformance(name, makeFixture);
  });
}
