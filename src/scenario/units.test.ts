import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate, parseDuration, parseRate, parseSize, UnitError } from './units.js';

function errorOf(fn: () => unknown): UnitError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UnitError) return err;
    throw err;
  }
  throw new Error('expected a UnitError');
}

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['0.1s', 100],
    ['1.1s', 1100],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['1m 30s', 90_000],
    ['  10s ', 10_000],
    ['0s', 0],
    ['0.5ms', 0.5],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['30', 'add a unit, e.g. 30s'],
    ['1.5', 'add a unit, e.g. 30s'],
    ['fast', 'durations look like 500ms, 30s, 2m, 1h or 1m30s'],
    ['', 'durations look like 500ms, 30s, 2m, 1h or 1m30s'],
    ['-5s', 'a duration cannot be negative'],
    ['10d', 'durations look like 500ms, 30s, 2m, 1h or 1m30s'],
    ['30S', 'durations look like 500ms, 30s, 2m, 1h or 1m30s'],
    ['1m30', 'durations look like 500ms, 30s, 2m, 1h or 1m30s'],
    ['30s1m', 'write each unit once, largest first, e.g. 1m30s'],
    ['1s1s', 'write each unit once, largest first, e.g. 1m30s'],
  ])('rejects %j', (text, hint) => {
    const err = errorOf(() => parseDuration(text));
    expect(err.message).toBe(`expected a duration like 30s, got '${text}'`);
    expect(err.hint).toBe(hint);
  });
});

describe('parseRate', () => {
  it.each([
    ['500/s', 500],
    ['10/m', 10 / 60],
    ['2/h', 2 / 3600],
    ['5/sec', 5],
    ['120/min', 2],
    ['1/hour', 1 / 3600],
    ['0.5/s', 0.5],
    ['100 / s', 100],
    ['100/S', 100],
    ['0/s', 0],
  ])('%s → %d per second', (text, perSec) => {
    expect(parseRate(text)).toBeCloseTo(perSec, 6);
  });

  it('a bare number needs a unit', () => {
    const err = errorOf(() => parseRate('500'));
    expect(err.message).toBe("expected a rate like 500/s, got '500'");
    expect(err.hint).toBe('a rate needs a unit, e.g. 500/s');
  });

  it('a negative rate gets its own hint', () => {
    expect(errorOf(() => parseRate('-1/s')).hint).toBe('a rate cannot be negative');
  });

  it.each(['fast', '500/d', '/s', '500/', '-1/s', '5 per s'])('rejects %j', (text) => {
    expect(errorOf(() => parseRate(text)).message).toBe(`expected a rate like 500/s, got '${text}'`);
  });
});

describe('parseSize', () => {
  it.each<[string | number, number]>([
    [64, 64],
    ['64', 64],
    ['64B', 64],
    ['64b', 64],
    ['1KB', 1024],
    ['1kb', 1024],
    ['4KiB', 4096],
    ['4kib', 4096],
    ['1.5KB', 1536],
    ['1MB', 1024 * 1024],
    ['2MiB', 2 * 1024 * 1024],
    ['256 mib', 256 * 1024 * 1024],
  ])('%j → %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each<[string | number, string]>([
    [64.5, 'expected a whole number of bytes, got 64.5'],
    [-1, 'expected a whole number of bytes, got -1'],
    ['1GB', "expected a size like 4KiB, got '1GB'"],
    ['big', "expected a size like 4KiB, got 'big'"],
    ['0.5B', "size '0.5B' is not a whole number of bytes"],
  ])('rejects %j', (input, message) => {
    expect(errorOf(() => parseSize(input)).message).toBe(message);
  });

  it('names the allowed units for an unknown one', () => {
    expect(errorOf(() => parseSize('1GB')).hint).toBe('size units are B, KB (or KiB) and MB (or MiB)');
  });
});

describe('formatDuration / formatRate', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [3_723_004, '1h2m3.004s'],
    [7_200_000 + 5000, '2h5s'],
  ])('formatDuration(%d) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([0, 1, 999, 1000, 1500, 59_999, 90_000, 3_600_000, 3_723_004])('round-trips %d ms', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it.each([
    [500, '500/s'],
    [1, '1/s'],
    [1234.5678, '1234.568/s'],
    [0.5, '30/m'],
    [1 / 60, '1/m'],
    [2 / 3600, '2/h'],
    [0, '0/s'],
  ])('formatRate(%d) = %s', (perSec, text) => {
    expect(formatRate(perSec)).toBe(text);
  });

  it.each([500, 0.5, 2 / 3600, 12])('formatRate round-trips %d', (perSec) => {
    expect(parseRate(formatRate(perSec))).toBeCloseTo(perSec, 9);
  });
});
