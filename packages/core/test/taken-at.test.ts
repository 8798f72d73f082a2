// Capture-time rendering and ordering.
import { describe, expect, it } from 'vitest';
import { formatOffset, formatTakenAt, monthOf, takenAtFromMtime, takenAtUtcMs } from '../src/domain/taken-at.ts';

describe('capture time', () => {
  it('renders the offset when it is known, and nothing when it is not', () => {
    expect(formatTakenAt({ local: '2020-04-17T10:03:42.144', offsetMinutes: -360, source: 'offset' })).toBe('2020-04-17T10:03:42.144-06:00');
    expect(formatTakenAt({ local: '2008-05-30T15:56:01', offsetMinutes: null, source: 'local' })).toBe('2008-05-30T15:56:01');
    expect(formatTakenAt({ local: '2023-09-22T16:35:02', offsetMinutes: 0, source: 'utc' })).toBe('2023-09-22T16:35:02Z');
    expect(formatTakenAt({ local: '2018-02-21T12:08:56', offsetMinutes: 0, source: 'offset' })).toBe('2018-02-21T12:08:56+00:00');
    expect(formatOffset(330)).toBe('+05:30');
    expect(formatOffset(-570)).toBe('-09:30');
  });

  it('orders by the UTC instant, reading unzoned local time as UTC', () => {
    expect(takenAtUtcMs({ local: '2020-04-17T10:00:00', offsetMinutes: -360 })).toBe(Date.parse('2020-04-17T16:00:00Z'));
    expect(takenAtUtcMs({ local: '2020-04-17T10:00:00', offsetMinutes: null })).toBe(Date.parse('2020-04-17T10:00:00Z'));
  });

  it('buckets by local month and falls back to the mtime, flagged', () => {
    expect(monthOf('2019-12-31T23:59:59')).toBe('2019-12-01');
    const t = takenAtFromMtime(Date.parse('2021-03-04T05:06:07Z'));
    expect(t.source).toBe('mtime');
    expect(takenAtUtcMs(t)).toBe(Date.parse('2021-03-04T05:06:07Z'));
  });
});
