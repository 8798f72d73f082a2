// Client file names become one safe path segment with an extension that matches the content;
// the layout day comes from the capture time, the client's date or the upload time.
import { describe, expect, it } from 'vitest';
import type { ExtractedMetadata, MetadataResult } from '@shoebox/core';
import { captureDateFromMetadata, captureDay, clientDay, uploadDay } from '../src/uploads/upload-dates.ts';
import { candidateName, isAudioContainer, MAX_STEM_BYTES, storedName } from '../src/uploads/upload-names.ts';

describe('stored file names', () => {
  it.each([
    ['../../etc/passwd.jpg', 'passwd.jpg'],
    ['..\\..\\x.jpg', 'x.jpg'],
    ['/abs/path/p.jpg', 'p.jpg'],
    ['a\u0000b.jpg', 'a_b.jpg'],
    ['a\nb\r.jpg', 'a_b_.jpg'],
    ['', 'upload.jpg'],
    ['..', 'upload.jpg'],
    ['.', 'upload.jpg'],
    ['.bashrc', 'bashrc.jpg'],
    ['..jpg', 'upload.jpg'],
    ['a..b...c.jpg', 'a.b.c.jpg'],
    ['  spaced  out  .jpg', 'spaced out.jpg'],
    ['trailing dots....', 'trailing dots.jpg'],
    ['CON', '_CON.jpg'],
    ['com1.txt', '_com1.jpg'],
    ['Lpt9.tar.jpg', '_Lpt9.tar.jpg'],
    ['console.jpg', 'console.jpg'],
    ['a:b*c?d"e<f>g|h.jpg', 'a_b_c_d_e_f_g_h.jpg'],
    ['zero\u200bwidth.jpg', 'zero_width.jpg'],
    ['evil\u202egpj.exe', 'evil_gpj.jpg'],
    ['IMG_0001.JPG', 'IMG_0001.jpg'],
    ['photo.JPEG', 'photo.jpeg'],
    ['picture.png', 'picture.jpg'],
    ['noext', 'noext.jpg'],
    ['lone\ud800surrogate.jpg', 'lone\ufffdsurrogate.jpg'],
    ['--help.jpg', 'help.jpg'],
  ])('%j → %j', (input, expected) => {
    expect(storedName(input, 'jpeg').fileName).toBe(expected);
  });

  it('caps long names by UTF-8 bytes without splitting a character', () => {
    const name = storedName(`${'😀'.repeat(300)}.jpg`, 'jpeg');
    expect(Buffer.byteLength(name.stem)).toBeLessThanOrEqual(MAX_STEM_BYTES);
    expect(name.stem).toMatch(/^(😀)+$/u);
    expect(Buffer.byteLength(candidateName(name, 999))).toBeLessThan(255);
    expect(storedName('a'.repeat(10_000), 'png').fileName).toBe(`${'a'.repeat(MAX_STEM_BYTES)}.png`);
  });

  it('keeps the client extension only when it names the same content', () => {
    expect(storedName('DSC_1.NEF', 'tiff')).toMatchObject({ fileName: 'DSC_1.nef', format: 'nef', mimeType: 'image/x-nikon-nef' });
    expect(storedName('scan.tiff', 'tiff')).toMatchObject({ fileName: 'scan.tiff', format: 'tiff', mimeType: 'image/tiff' });
    expect(storedName('x.nef', 'jpeg')).toMatchObject({ fileName: 'x.jpg', format: 'jpeg' });
    expect(storedName('clip.MP4', 'mov')).toMatchObject({ fileName: 'clip.mov', mimeType: 'video/quicktime' });
    expect(storedName('clip.m4v', 'mp4')).toMatchObject({ fileName: 'clip.m4v', mimeType: 'video/x-m4v' });
    expect(storedName('pic.heif', 'heic')).toMatchObject({ fileName: 'pic.heif', mimeType: 'image/heif' });
    expect(storedName('x.jpg', 'mpeg-ts').fileName).toBe('x.mts');
  });

  it('numbers collisions', () => {
    const name = storedName('IMG.jpg', 'jpeg');
    expect([0, 1, 2].map((n) => candidateName(name, n))).toEqual(['IMG.jpg', 'IMG (1).jpg', 'IMG (2).jpg']);
  });

  it('recognises audio-only ISO BMFF files', () => {
    const m4a = Buffer.from('\0\0\0\x20ftypM4A \0\0\0\0', 'latin1');
    const mp4 = Buffer.from('\0\0\0\x20ftypisom\0\0\0\0', 'latin1');
    expect(isAudioContainer(m4a)).toBe(true);
    expect(isAudioContainer(mp4)).toBe(false);
  });
});

describe('layout day', () => {
  const now = new Date('2025-06-01T12:00:00Z');

  it('uses the capture time at its offset', () => {
    expect(captureDay({ takenAt: new Date('2021-01-01T02:00:00Z'), offsetMinutes: -300 }, now)?.day).toEqual({ year: '2020', day: '2020-12-31' });
    expect(captureDay({ takenAt: new Date('2021-01-01T02:00:00Z') }, now)?.day).toEqual({ year: '2021', day: '2021-01-01' });
  });

  it('ignores missing, invalid and implausible capture times', () => {
    expect(captureDay(null, now)).toBeNull();
    expect(captureDay({ takenAt: new Date('nope') }, now)).toBeNull();
    expect(captureDay({ takenAt: new Date('1700-01-01T00:00:00Z') }, now)).toBeNull();
    expect(captureDay({ takenAt: new Date('2090-01-01T00:00:00Z') }, now)).toBeNull();
  });

  it("files the client's date under the day it names", () => {
    expect(clientDay('2021-06-15T23:30:00-07:00', now)).toMatchObject({ day: { year: '2021', day: '2021-06-15' }, source: 'client' });
    expect(clientDay('2021-06-15T23:30:00-07:00', now)?.takenAt.toISOString()).toBe('2021-06-16T06:30:00.000Z');
    expect(clientDay('2020-02-29T10:00:00', now)?.takenAt.toISOString()).toBe('2020-02-29T10:00:00.000Z');
    expect(clientDay(undefined, now)).toBeNull();
    expect(clientDay('2021-02-30T10:00:00Z', now)).toBeNull();
  });

  it('falls back to the upload day', () => {
    const day = uploadDay(now);
    expect(day.source).toBe('upload');
    expect(day.day.day).toMatch(/^2025-(05-31|06-01|06-02)$/);
  });

  it('reads the capture day from the media worker metadata', async () => {
    const result = (takenAt: ExtractedMetadata['takenAt']): MetadataResult =>
      ({ ok: true, problem: null, metadata: { takenAt } as ExtractedMetadata });
    const read = (r: MetadataResult) => captureDateFromMetadata(async () => r)('/tmp/x.jpg');
    const late = await read(result({ local: '2019-03-21T23:30:00', offsetMinutes: -300, source: 'offset' }));
    expect(late?.takenAt.toISOString()).toBe('2019-03-22T04:30:00.000Z');
    expect(captureDay(late, now)?.day.day).toBe('2019-03-21');
    const noZone = await read(result({ local: '2012-08-05T23:39:59', offsetMinutes: null, source: 'local' }));
    expect(captureDay(noZone, now)?.day.day).toBe('2012-08-05');
    expect(await read(result({ local: '2025-01-01T00:00:00', offsetMinutes: 0, source: 'mtime' }))).toBeNull();
    expect(await read(result(null))).toBeNull();
    expect(await read({ ok: false, error: 'unreadable' })).toBeNull();
  });
});
