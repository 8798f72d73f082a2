// Core's port-conformance suites against the desktop's SQLite adapters.
import { describePortConformance } from '@shoebox/core/testing';
import { sqliteConformanceFixture } from './helpers/sqlite-conformance.fixture.ts';

describePortConformance('sqlite', sqliteConformanceFixture);
