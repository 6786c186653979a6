import { describe, expect, it } from 'vitest';
import { knee, nextStep, type CapacityStep } from './capacity.js';

/** Runs the search against a fake system whose SLO holds up to `limit` and whose generator tops out at `genMax`. */
function search(limit: number, from = 1000, to = 1_000_000, genMax = Infinity) {
  const steps: CapacityStep[] = [];
  for (;;) {
    const n = nextStep(steps, { from, to });
    if (n.done) return { ...n, loads: steps.map((s) => s.load) };
    steps.push({ load: n.load, ok: n.load <= limit, saturated: n.load > genMax, failed: n.load <= limit ? [] : ['endToEnd.p99 < 20ms'] });
  }
}

describe('capacity search', () => {
  it('doubles, then bisects to within 10% of the true limit', () => {
    const r = search(45_000);
    expect(r.loads.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000]);
    expect(r.maxLoad).toBeLessThanOrEqual(45_000);
    expect(r.maxLoad!).toBeGreaterThan(45_000 * 0.9);
    expect(r.reason).toMatch(/breaks between/);
    expect(r.loads.length).toBeLessThanOrEqual(12);
  });

  it('reports the ceiling when nothing fails', () => {
    const r = search(Infinity, 1000, 5000);
    expect(r.loads).toEqual([1000, 2000, 4000, 5000]);
    expect(r.maxLoad).toBe(5000);
    expect(r.reason).toMatch(/held up to the ceiling 5,000/);
  });

  it('says so when the first step already fails', () => {
    const r = search(500);
    expect(r.maxLoad).toBeNull();
    expect(r.reason).toMatch(/already failed at 1,000/);
  });

  it('stops with a clear message when the generator saturates instead of naming a wrong limit', () => {
    const r = search(1_000_000, 1000, 1_000_000, 20_000);
    expect(r.loads.at(-1)).toBe(32_000);
    expect(r.maxLoad).toBe(16_000);
    expect(r.reason).toMatch(/generator saturated at 32,000/);
  });
});

describe('knee', () => {
  it('is the last load before p99 more than doubles from the baseline', () => {
    expect(
      knee([
        { load: 1000, p99: 1 },
        { load: 2000, p99: 1.2 },
        { load: 4000, p99: 1.5 },
        { load: 8000, p99: 9 },
      ]),
    ).toBe(4000);
    expect(
      knee([
        { load: 1000, p99: 1 },
        { load: 2000, p99: 1.1 },
      ]),
    ).toBeUndefined();
  });
});
