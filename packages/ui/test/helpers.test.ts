// Small pure helpers: the folder tree, selection ranges, labels people read, and plain errors.
import { describe, expect, it } from 'vitest';
import { ancestors, buildFolderTree } from '../src/folders/folder-tree.ts';
import { rangeBetween } from '../src/timeline/selection.ts';
import { bytesLabel, coordinateLabel, dayLabel, durationLabel, exposureLabel, monthLabel, takenLabel } from '../src/timeline/format.ts';
import { plainError } from '../src/api/errors.ts';
import { ApiError } from '../src/api/client.ts';
import { filterFromParams } from '../src/pages/search-page.tsx';

const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';

describe('buildFolderTree', () => {
  it('nests folders under their root, adds the folders in between and totals the counts', () => {
    const tree = buildFolderTree(
      [{ id: R1, path: '/photos' }, { id: R2, path: '/other' }],
      [
        { path: '/photos', rootId: R1, assetCount: 2 },
        { path: '/photos/2020/summer', rootId: R1, assetCount: 5 },
        { path: '/photos/2020/winter', rootId: R1, assetCount: 1 },
        { path: '/photos/2021', rootId: R1, assetCount: 3 },
        { path: '/other/a', rootId: R2, assetCount: 4 },
      ],
    );
    expect(tree.map((t) => [t.path, t.count, t.total])).toEqual([['/photos', 2, 11], ['/other', 0, 4]]);
    const y2020 = tree[0]!.children[0]!;
    expect([y2020.path, y2020.count, y2020.total]).toEqual(['/photos/2020', 0, 6]);
    expect(y2020.children.map((c) => c.name)).toEqual(['summer', 'winter']);
    expect(ancestors(tree, '/photos/2020/winter')).toEqual(['/photos', '/photos/2020', '/photos/2020/winter']);
  });
});

describe('rangeBetween', () => {
  const order = ['a', 'b', 'c', 'd', 'e'];
  it('selects both ways and falls back to one item', () => {
    expect(rangeBetween(order, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(rangeBetween(order, 'e', 'c')).toEqual(['c', 'd', 'e']);
    expect(rangeBetween(order, null, 'c')).toEqual(['c']);
    expect(rangeBetween(order, 'zz', 'c')).toEqual(['c']);
  });
});

describe('labels', () => {
  it('reads dates with their offsets and never shifts the local day', () => {
    expect(monthLabel('2008-10-01')).toBe('October 2008');
    expect(dayLabel('2008-10-22')).toBe('Wed, 22 Oct 2008');
    expect(takenLabel('2008-10-22T23:59:01+14:00')).toEqual({ date: 'Wed, 22 Oct 2008', time: '23:59:01', offset: 'UTC+14:00' });
    expect(takenLabel('2008-10-22T16:29:49').offset).toBeNull();
    expect(takenLabel('2019-01-01T00:00:00.000Z').offset).toBe('UTC');
  });
  it('formats sizes, durations, coordinates and exposure', () => {
    expect(bytesLabel(512)).toBe('512 B');
    expect(bytesLabel(3_500_000)).toBe('3.3 MB');
    expect(durationLabel(65.4)).toBe('1:05');
    expect(durationLabel(3725)).toBe('1:02:05');
    expect(coordinateLabel(43.46745, -11.88)).toBe('43.46745° N, 11.88000° W');
    expect(exposureLabel({ fNumber: 2.8, exposureTime: '1/125', iso: 200, focalLength: 35 })).toBe('ƒ/2.8 · 1/125 s · 35 mm · ISO 200');
  });
});

describe('plainError', () => {
  it('speaks plainly for each kind of failure', () => {
    expect(plainError(new ApiError(404, 'ASSET_NOT_FOUND', 'no asset with id x'))).toBe('No asset with id x');
    expect(plainError(new ApiError(401, 'UNAUTHORIZED', 'x'))).toMatch(/access token/);
    expect(plainError(new TypeError('Failed to fetch'))).toMatch(/not answering/);
  });
});

describe('search filters from the URL', () => {
  it('keeps only valid values', () => {
    const f = filterFromParams(new URLSearchParams('from=2008-01-01&to=bad&make=Canon&type=video&favorite=true&hasLocation=false&folder=/p'));
    expect(f).toEqual({ from: '2008-01-01', make: 'Canon', type: 'video', favorite: true, hasLocation: false, folder: '/p', recursive: true });
  });
});
