import { describe, expect, it } from 'vitest';
import { nextWaitMs, trackOvershoot } from './preciseWait.js';

/** Waits like the helper thread does, against a model futex whose waits end `over + share × wait` late. */
function wakeUp(leftMs: number, overMs: number, share: number): { waits: number[]; endsAt: number } {
  const waits: number[] = [];
  let t = 0;
  for (let ms = nextWaitMs(leftMs, overMs, false); ms > 0; ms = nextWaitMs(leftMs - t, overMs, true)) {
    waits.push(ms);
    t += ms + overMs + share * ms;
  }
  return { waits, endsAt: t };
}

describe('nextWaitMs (the helper thread sleeps in stages)', () => {
  it('past the instant: no wait; within the overshoot after a wait that ended early: the time is checked instead', () => {
    expect(nextWaitMs(0, 0.1, false)).toBe(0);
    expect(nextWaitMs(-3, 0.1, false)).toBe(0);
    expect(nextWaitMs(0.1, 0.1, true)).toBe(0);
    expect(nextWaitMs(0.05, 0.1, true)).toBe(0);
  });

  it('an instant armed closer than the overshoot is waited for plainly (no busy check without a wait first)', () => {
    expect(nextWaitMs(0.05, 0.1, false)).toBe(0.05);
    expect(nextWaitMs(0.1, 0.1, false)).toBe(0.1);
  });

  it('a short wait is shortened by the overshoot, so it ends at the instant', () => {
    expect(nextWaitMs(1, 0.1, false)).toBeCloseTo(0.9, 12);
    expect(nextWaitMs(2, 0.25, true)).toBeCloseTo(1.75, 12);
  });

  it('a long wait ends 1/256 of it early, covering an overshoot that grows with the wait', () => {
    expect(nextWaitMs(1000, 0.1, false)).toBeCloseTo(1000 - 0.1 - 1000 / 256, 9);
    // 1 s with 0.05% proportional overshoot: a long stage, a short one, never past the instant.
    const { waits, endsAt } = wakeUp(1000, 0.1, 0.0005);
    expect(waits.length).toBeGreaterThan(1);
    expect(waits.length).toBeLessThanOrEqual(3);
    expect(endsAt).toBeLessThan(1000 + 0.001); // the last, short wait: its share is ~0.0001 ms
    expect(endsAt).toBeGreaterThan(1000 - 0.1);
  });

  it('at 1,000 slots/s (0.9 ms to the next wake-up) one wait lands on the instant', () => {
    const { waits, endsAt } = wakeUp(0.9, 0.1, 0.0005);
    expect(waits).toHaveLength(1);
    expect(endsAt).toBeCloseTo(0.9, 3);
  });
});

describe('trackOvershoot', () => {
  it('converges to the 25th percentile of short waits’ overshoot, by fixed steps', () => {
    let over = 0.1;
    // Overshoots 0.05, 0.12, 0.13, 0.14 in turn: the 25th percentile is between 0.05 and 0.12.
    const seen = [0.05, 0.12, 0.13, 0.14];
    for (let i = 0; i < 4000; i++) over = trackOvershoot(over, seen[i % 4], 1);
    expect(over).toBeGreaterThan(0.045);
    expect(over).toBeLessThan(0.125);
    // A steady overshoot: it settles within a step of it.
    for (let i = 0; i < 4000; i++) over = trackOvershoot(over, 0.09, 1);
    expect(over).toBeGreaterThan(0.086);
    expect(over).toBeLessThan(0.092);
  });

  it('an outlier (a preempted thread) moves it by one step only; long waits do not count', () => {
    expect(trackOvershoot(0.1, 50, 1)).toBeCloseTo(0.101, 12);
    expect(trackOvershoot(0.1, 0, 1)).toBeCloseTo(0.097, 12);
    expect(trackOvershoot(0.1, 0.6, 900)).toBe(0.1);
  });

  it('stays within [0, 0.2] ms (it also bounds the busy check after an early wait)', () => {
    expect(trackOvershoot(0, 0, 1)).toBe(0);
    expect(trackOvershoot(0.2, 5, 1)).toBe(0.2);
  });
});
