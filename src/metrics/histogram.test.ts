import { describe, expect, it } from 'vitest';
import { addEncoded, createHistogram, decodeHistogram, encodeHistogram, recordMs, summarize } from './histogram.js';

describe('histograms', () => {
  it('summarizes in milliseconds within HDR precision', () => {
    const h = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(h, i / 10); // 0.1 .. 100 ms
    const s = summarize(h);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(50, 0);
    expect(s.p99).toBeCloseTo(99, 0);
    expect(s.max).toBeCloseTo(100, 0);
    expect(s.min).toBeCloseTo(0.1, 3);
    expect(s.mean).toBeCloseTo(50.05, 0);
  });

  it('merges encoded histograms by adding counts, not by averaging percentiles', () => {
    const fast = createHistogram();
    const slow = createHistogram();
    for (let i = 0; i < 990; i++) recordMs(fast, 1);
    for (let i = 0; i < 10; i++) recordMs(slow, 500);
    const merged = createHistogram();
    addEncoded(merged, encodeHistogram(fast));
    addEncoded(merged, encodeHistogram(slow));
    const s = summarize(merged);
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(1, 2);
    expect(s.p99).toBeCloseTo(1, 2); // 99% of values are 1 ms
    expect(s.p999).toBeCloseTo(500, -1);
    expect(s.max).toBeCloseTo(500, -1);
  });

  it('round-trips through base64 and grows past its initial range', () => {
    const h = createHistogram();
    recordMs(h, 3_600_000); // one hour
    const back = decodeHistogram(encodeHistogram(h));
    expect(summarize(back).max).toBeGreaterThan(3_590_000);
  });

  it('an empty histogram summarizes to zeros', () => {
    expect(summarize(decodeHistogram(encodeHistogram(createHistogram()))).count).toBe(0);
  });
});
