// The fan-out / fan-in search of the bench (bench/fan.js): after the first failing step it bisects between the
// highest rate that passed and the lowest that failed, and reports the highest that passed.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS bench module, no types
import { nextBisectRate, reachedAndLimit } from '../../bench/lib/fanSteps.js';
// @ts-expect-error plain JS bench module, no types
import { fanDetails, fanMethod } from '../../bench/lib/fanReport.js';
// @ts-expect-error plain JS bench module, no types
import { FIGURES } from '../../bench/lib/figures.js';

const step = (offered: number, passed: boolean, refine = false) => ({ offered, passed, refine, failedBecause: passed ? null : 'generator saturated' });

/** Runs the search of bench/fan.js against a broker whose ceiling is `ceiling` msg/s. */
function search(rates: number[], ceiling: number, refineSteps: number) {
  const steps: ReturnType<typeof step>[] = [];
  for (const r of rates) {
    steps.push(step(r, r <= ceiling));
    if (r > ceiling) break;
  }
  for (let i = 0; i < refineSteps; i++) {
    const r: number | null = nextBisectRate(steps);
    if (r === null) break;
    steps.push(step(r, r <= ceiling, true));
  }
  return steps;
}

describe('fan search: bisecting after the first failure', () => {
  it('narrows 40 (passed) … 60 (failed) to the highest passing rate below the ceiling in 3 more steps', () => {
    const steps = search([5, 10, 20, 40, 60, 80], 52, 3);
    expect(steps.map((s) => s.offered)).toEqual([5, 10, 20, 40, 60, 50, 55, 53]);
    expect(steps.filter((s) => s.refine).map((s) => s.offered)).toEqual([50, 55, 53]);
    const { reached, limit } = reachedAndLimit(steps);
    expect(reached.offered).toBe(50);
    expect(limit.offered).toBe(53);
  });

  it('does not bisect when no step passed, none failed, or the two are within 2%', () => {
    expect(nextBisectRate([step(5, false)])).toBeNull();
    expect(nextBisectRate([step(5, true), step(10, true)])).toBeNull();
    expect(nextBisectRate([step(50_000, true), step(50_900, false)])).toBeNull();
    expect(nextBisectRate([step(40, true), step(41, false)])).toBeNull();
    expect(nextBisectRate([step(20_000, true), step(30_000, false)])).toBe(25_000);
    expect(search([5, 10], 4, 3).map((s) => s.offered)).toEqual([5]);
  });

  it('the report marks the bisecting steps and the method says how the search ends', () => {
    const fig = FIGURES.find((f: { id: string }) => f.id === 'fanout');
    const cfg = fig.mqbench({ quick: false });
    expect(cfg.refineSteps).toBe(3);
    const steps = search(cfg.rates, 52, cfg.refineSteps);
    const rep = {
      drivers: ['lean'],
      runs: { fanout: { lean: [{ steps, rateReached: 50, limitRate: 53, limitReason: 'generator saturated', refineSteps: 3 }] } },
    };
    const text = fanDetails(rep, { id: 'fanout' });
    expect(text).toContain('reached 50 msg/s offered; lowest rate that failed 53 msg/s: generator saturated; 3 bisecting steps (marked "bisect")');
    expect(text).toContain('| 55 (bisect) |');
    expect(text).toContain('| 60 |');
    expect(fanMethod('fanout', cfg)).toContain('Then up to 3 more steps (marked "bisect")');
  });
});
