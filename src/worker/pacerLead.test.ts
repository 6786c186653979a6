import { describe, expect, it } from 'vitest';
import { DEFAULT_LEAD_MS, leadBefore, MAX_IDLE_LEAD_MS, MAX_LEAD_MS, MIN_LEAD_MS, nextLeadMs } from './pacerLead.js';

describe('the precise wake-up lead', () => {
  it('nextLeadMs: fixed steps toward the 75th percentile of the wake-ups’ lateness, within its bounds', () => {
    expect(nextLeadMs(0.1, 0.2)).toBeCloseTo(0.103, 12);
    expect(nextLeadMs(0.1, 50)).toBeCloseTo(0.103, 12); // an outlier: one step
    expect(nextLeadMs(0.1, 0.05)).toBeCloseTo(0.099, 12);
    expect(nextLeadMs(MIN_LEAD_MS, 0)).toBe(MIN_LEAD_MS);
    expect(nextLeadMs(MAX_LEAD_MS, 5)).toBe(MAX_LEAD_MS);
    let lead = 0.1;
    for (let i = 0; i < 4000; i++) lead = nextLeadMs(lead, [0.02, 0.04, 0.06, 0.08][i % 4]);
    expect(lead).toBeGreaterThan(0.059);
    expect(lead).toBeLessThan(0.081);
  });

  it('leadBefore: after a long idle wait at least 1% of it, up to MAX_IDLE_LEAD_MS; else the adaptive lead', () => {
    expect(leadBefore(DEFAULT_LEAD_MS, 0.9)).toBe(DEFAULT_LEAD_MS); // 1,000 slots/s
    expect(leadBefore(DEFAULT_LEAD_MS, 9.9)).toBe(DEFAULT_LEAD_MS); // 100 slots/s
    expect(leadBefore(DEFAULT_LEAD_MS, 30)).toBeCloseTo(0.3, 12);
    expect(leadBefore(DEFAULT_LEAD_MS, 999.9)).toBe(MAX_IDLE_LEAD_MS); // 1 slot/s
    expect(leadBefore(0.25, 10)).toBe(0.25);
  });
});
