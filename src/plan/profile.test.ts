import { describe, expect, it } from 'vitest';
import { RateProfile } from './profile.js';

/** Slot times of a group at `rate` msg/s under a profile (brute force via timeFor). */
const slots = (p: RateProfile, rate: number) => {
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const t = p.timeFor(k / rate);
    if (!(t < p.totalMs)) return out;
    out.push(t);
  }
};

describe('RateProfile (stages)', () => {
  it('a flat stage is the plain open model: slot k at k/rate', () => {
    const p = new RateProfile([
      { durationMs: 0, level: 1 },
      { durationMs: 10_000, level: 1 },
    ]);
    const s = slots(p, 100);
    expect(s.length).toBe(1000);
    expect(s[500]).toBeCloseTo(5000, 0);
  });

  it('a linear ramp 0 → 100% over 10 s sends half the messages of a flat 10 s, quadratically spaced', () => {
    const p = new RateProfile([{ durationMs: 10_000, level: 1 }]);
    const s = slots(p, 100);
    expect(s.length).toBe(500); // area = 0.5 × 10 s × 100/s
    // The area under the ramp reaches k/100 at t = sqrt(2 k / (100 × 0.1)) s.
    expect(s[200]).toBeCloseTo(Math.sqrt((2 * 200) / 10) * 1000, 3);
    expect(p.levelAt(2500)).toBeCloseTo(0.25, 9);
  });

  it('ramp up, hold, ramp down: total slots = rate × area, and all slots fall inside the stages', () => {
    const p = new RateProfile([
      { durationMs: 2000, level: 1 },
      { durationMs: 4000, level: 1 },
      { durationMs: 2000, level: 0 },
    ]);
    expect(p.totalArea).toBeCloseTo(6, 9);
    const s = slots(p, 1000);
    expect(s.length).toBe(6000);
    expect(s.every((t, i) => i === 0 || t >= s[i - 1])).toBe(true);
    expect(s.at(-1)!).toBeLessThan(8000);
  });
});
