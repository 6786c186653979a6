import { describe, expect, it } from 'vitest';
import { fmtInt, fmtMs, fmtPercent, fmtRate, fmtSec } from './format.js';

describe('fmtInt', () => {
  it('groups thousands and rounds', () => {
    expect(fmtInt(0)).toBe('0');
    expect(fmtInt(999)).toBe('999');
    expect(fmtInt(1000)).toBe('1,000');
    expect(fmtInt(1234567)).toBe('1,234,567');
    expect(fmtInt(-1234.6)).toBe('-1,235');
    expect(fmtInt(Number.NaN)).toBe('–');
  });
});

describe('fmtMs', () => {
  it('keeps about three significant digits', () => {
    expect(fmtMs(0)).toBe('0.000');
    expect(fmtMs(0.1234)).toBe('0.123');
    expect(fmtMs(1.2449)).toBe('1.24');
    expect(fmtMs(12.34)).toBe('12.3');
    expect(fmtMs(123.456)).toBe('123');
    expect(fmtMs(12345.6)).toBe('12,346');
  });
  it('picks the precision after rounding, so a boundary value is not over-precise', () => {
    expect(fmtMs(0.9996)).toBe('1.00');
    expect(fmtMs(9.996)).toBe('10.0');
    expect(fmtMs(99.96)).toBe('100');
  });
  it('shows a dash for missing values', () => {
    expect(fmtMs(null)).toBe('–');
    expect(fmtMs(undefined)).toBe('–');
    expect(fmtMs(Number.POSITIVE_INFINITY)).toBe('–');
  });
});

describe('fmtRate / fmtSec / fmtPercent', () => {
  it('formats rates with their unit', () => {
    expect(fmtRate(0)).toBe('0/s');
    expect(fmtRate(0.5)).toBe('0.50/s');
    expect(fmtRate(12.34)).toBe('12.3/s');
    expect(fmtRate(1999.6)).toBe('2,000/s');
  });
  it('formats durations', () => {
    expect(fmtSec(30)).toBe('30.0 s');
    expect(fmtSec(0.25)).toBe('0.25 s');
    expect(fmtSec(125.4)).toBe('125 s');
  });
  it('never rounds a non-zero share down to 0%', () => {
    expect(fmtPercent(0, 10)).toBe('0%');
    expect(fmtPercent(1, 3)).toBe('33.3%');
    expect(fmtPercent(12, 60000)).toBe('0.02%');
    expect(fmtPercent(1, 1_000_000)).toBe('0.0001%');
    expect(fmtPercent(1, 0)).toBe('–');
  });
});
