// Core's port-conformance suites against the desktop's SQLite adapters.
import { describePortConformance } from '@shoebox/core/testing';
import { sqliteConformanceFixture } from './helpers/sqlite-conformance.fixture.ts';

// The desktop catalog has one owner: owner isolation is the sync server's to prove.
describePortConformance('sqlite', sqliteConformanceFixture, { owners: 'one' });
