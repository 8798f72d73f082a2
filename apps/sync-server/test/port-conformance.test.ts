// Core's port-conformance suites against the server's Postgres adapters, on embedded PGlite and
// on the machine's Postgres server (a fresh database per suite, dropped afterwards).
//
// The library-root suite is left out: the server adds no folders by design (roots.add answers
// NOT_SUPPORTED), and the suite's "adds a root" test has no switch for that yet. Its other cases
// (list, get, remove; owner isolation) run in repositories.roots.test.ts and in the isolation
// suite below. Once core's fixture can say "roots cannot be added", run describePortConformance.
import { describe, vi } from 'vitest';
import {
  describeAlbumRepositoryConformance, describeAssetRepositoryConformance, describeOwnerIsolationConformance,
  describePeopleRepositoryConformance, describeSmartSearchConformance, describeTimelineConformance, describeTrashRepositoryConformance,
} from '@shoebox/core/testing';
import { pgConformanceFixture } from './helpers/pg-conformance.fixture.ts';
import { DATABASE_KINDS } from './helpers/fresh-postgres.ts';

// Opening PGlite (a WebAssembly Postgres) takes seconds, more while other test files run beside it.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

for (const kind of DATABASE_KINDS) {
  const make = () => pgConformanceFixture(kind);
  describe(`${kind} port conformance`, () => {
    describeAssetRepositoryConformance(kind, make);
    describeTimelineConformance(kind, make);
    describeAlbumRepositoryConformance(kind, make);
    describeTrashRepositoryConformance(kind, make);
    describePeopleRepositoryConformance(kind, make);
    describeSmartSearchConformance(kind, make);
    describeOwnerIsolationConformance(kind, make);
  });
}
