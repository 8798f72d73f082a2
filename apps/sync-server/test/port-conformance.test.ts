// Core's port-conformance suites against the server's Postgres adapters, on embedded PGlite and
// on the machine's Postgres server (a fresh database per suite, dropped afterwards). The server
// adds no library folders (uploads replace them): its fixture says so, and the roots suite checks
// that `add` refuses.
import { vi } from 'vitest';
import { describePortConformance } from '@shoebox/core/testing';
import { pgConformanceFixture } from './helpers/pg-conformance.fixture.ts';
import { DATABASE_KINDS } from './helpers/fresh-postgres.ts';

// Opening PGlite (a WebAssembly Postgres) takes seconds, more while other test files run beside it.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

for (const kind of DATABASE_KINDS) describePortConformance(kind, () => pgConformanceFixture(kind));
