import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/fakeClock.js';
import { Pacer, type ScheduleSpec } from './pacer.js';
import { MAX_IDLE_LEAD_MS } from './pacerLead.js';

type Slot = { schedule: number; client: number; seq: number; due: number; now: number };

function run(specs: ScheduleSpec[], advanceMs: number, lagMs = 0, maxBurst?: number) {
  const clock = new FakeClock(0);
  const slots: Slot[] = [];
  const pacer = new Pacer(clock, specs, (schedule, client, seq, due, now) => slots.push({ schedule, client, seq, due, now }), { maxBurst });
  pacer.start();
  clock.advance(advanceMs, lagMs);
  return { slots, pacer };
}

const spec = (over: Partial<ScheduleSpec>): ScheduleSpec => ({
  groupCount: 1,
  first: 0,
  count: 1,
  rate: 1000,
  t0: 0,
  endAt: 1000,
  cycles: Infinity,
  ...over,
});

describe('Pacer (open model)', () => {
  it('emits the k-th slot at t0 + k/rate and stops before endAt', () => {
    const { slots } = run([spec({ rate: 100 })], 2000);
    expect(slots).toHaveLength(100);
    expect(slots[0].due).toBe(0);
    expect(slots[37].due).toBeCloseTo(370, 9);
    expect(slots.every((s) => s.now >= s.due)).toBe(true);
    expect(slots.map((s) => s.seq)).toEqual([...Array(100).keys()]);
  });

  it('gives each client its own sequence and every slot exactly once across workers', () => {
    // 3 clients over 2 "workers" (ranges [0,2) and [2,3)): together they are the group's schedule.
    const a = run([spec({ groupCount: 3, first: 0, count: 2, rate: 30 })], 1000).slots;
    const b = run([spec({ groupCount: 3, first: 2, count: 1, rate: 30 })], 1000).slots;
    const dues = [...a, ...b].map((s) => Math.round(s.due * 1000)).sort((x, y) => x - y);
    expect(dues).toEqual([...Array(30).keys()].map((k) => Math.round((k * 1000_000) / 30)));
    expect(b.map((s) => s.client)).toEqual(Array(10).fill(2));
    expect(b.map((s) => s.seq)).toEqual([...Array(10).keys()]);
  });

  it('when the loop lags it catches up without re-basing: slots keep their due times', () => {
    const { slots } = run([spec({ rate: 1000 })], 1100, 50);
    expect(slots).toHaveLength(1000);
    expect(slots[500].due).toBeCloseTo(500, 9);
    expect(slots.some((s) => s.now - s.due >= 49)).toBe(true);
  });

  it('bursts at most maxBurst slots per turn when far behind', () => {
    const clock = new FakeClock(0);
    const perTurn: number[] = [];
    let current = 0;
    const pacer = new Pacer(clock, [spec({ rate: 10_000, endAt: 100 })], () => current++, { maxBurst: 100 });
    // Start 100 ms late: all 1000 slots are due at once.
    clock.advance(100);
    const origImmediate = clock.setImmediate.bind(clock);
    clock.setImmediate = (fn) =>
      origImmediate(() => {
        perTurn.push(current);
        current = 0;
        fn();
      });
    pacer.start();
    clock.advance(1);
    perTurn.push(current);
    expect(perTurn.reduce((x, y) => x + y, 0)).toBe(1000);
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(100);
  });

  it('a single-cycle schedule (connecting) gives each client one slot then ends', async () => {
    const { slots, pacer } = run([spec({ groupCount: 10, count: 10, rate: 100, cycles: 1, endAt: Infinity })], 5000);
    expect(slots.map((s) => s.client)).toEqual([...Array(10).keys()]);
    await expect(pacer.done).resolves.toBeUndefined();
  });
});

describe('Pacer giving up', () => {
  it('says how many of the slots it gave up were due in the measured window (the rest: warm-up)', async () => {
    const clock = new FakeClock(0);
    const given: [number, number][] = [];
    let emitted = 0;
    // 1,000 slots over 1 s, the window from 500 ms; the thread stalls after the first slot until after giveUpAt.
    const pacer = new Pacer(
      clock,
      [spec({ rate: 1000, endAt: 1000, giveUpAt: 1100, measureFrom: 500 })],
      () => emitted++,
      {},
      (_s, n, m) => given.push([n, m]),
    );
    pacer.start();
    clock.advance(1200, 1200);
    await pacer.done;
    expect(emitted).toBe(1);
    expect(given).toEqual([[999, 500]]);
  });

  it('reports the slots it could not send by giveUpAt as missed, and ends', async () => {
    const clock = new FakeClock(0);
    let emitted = 0;
    let missed = 0;
    const pacer = new Pacer(
      clock,
      [spec({ rate: 1000, endAt: 1000, giveUpAt: 1100 })],
      () => emitted++,
      { maxBurst: 10 },
      (_s, n) => (missed += n),
    );
    pacer.start();
    // A loop so slow that each turn comes 40 ms late: it falls further and further behind.
    clock.advance(2000, 40);
    await pacer.done;
    expect(emitted + missed).toBe(1000);
    expect(missed).toBeGreaterThan(0);
    expect(emitted).toBeLessThan(1000);
  });
});

/** Timers fire 0.9 ms late (as Node's often do); a loop turn takes 0.01 ms. */
class LateTimerClock extends FakeClock {
  override setTimeout(fn: () => void, delayMs: number): unknown {
    return super.setTimeout(fn, delayMs + 0.9);
  }
  override setImmediate(fn: () => void): unknown {
    return super.setTimeout(fn, 0.01);
  }
}

describe('Pacer hybrid pacing (timer, then poll)', () => {
  function lateness(spinMs: number, rate: number, ms: number, pollShare = 1) {
    const clock = new LateTimerClock(0);
    const late: number[] = [];
    const pacer = new Pacer(clock, [spec({ rate, endAt: ms })], (_s, _c, _q, due, now) => late.push(now - due), { spinMs, pollShare });
    pacer.start();
    clock.advance(ms + 10);
    return { late, spun: pacer.takeSpunMs(), pacer };
  }

  it('sends within a loop turn of the intended time even when timers fire late (polling uncapped)', () => {
    const { late } = lateness(2, 1000, 1000);
    expect(late).toHaveLength(1000);
    expect(Math.max(...late)).toBeLessThanOrEqual(0.011);
    // The timer alone leaves the timers' lateness in every send.
    const timerOnly = lateness(0, 1000, 1000).late;
    expect(timerOnly).toHaveLength(1000);
    const sorted = [...timerOnly].sort((a, b) => a - b);
    expect(sorted[500]).toBeGreaterThanOrEqual(0.9);
  });

  it('polls only within spinMs of a slot: the polling time is reported and small at low rates', () => {
    // 10 slots per second: polling covers at most ~spinMs + the timer's lateness per slot.
    const low = lateness(2, 10, 1000);
    expect(low.late).toHaveLength(10);
    expect(Math.max(...low.late)).toBeLessThanOrEqual(0.011);
    expect(low.spun).toBeGreaterThan(0);
    expect(low.spun).toBeLessThan(10 * 3);
    expect(low.pacer.takeSpunMs()).toBe(0); // taken
    // Timer only: no polling at all.
    expect(lateness(0, 10, 1000).spun).toBe(0);
  });

  it('caps polling at pollShare of the time: dense slots are then sent on timers, none lost or reordered', () => {
    const capped = lateness(2, 1000, 1000, 0.1);
    expect(capped.late).toHaveLength(1000);
    // 10% of each 100 ms window, plus at most one poll turn past the cap per window.
    expect(capped.spun).toBeLessThanOrEqual(0.1 * 1000 + 10 * 0.011);
    expect(capped.spun).toBeGreaterThan(0.05 * 1000);
    const sorted = [...capped.late].sort((a, b) => a - b);
    expect(sorted[0]).toBeGreaterThanOrEqual(0);
    // Most slots now come on late timers: the cap is what it costs.
    expect(sorted[500]).toBeGreaterThan(0.011);
  });
});

describe('Pacer with a precise timer (Clock.precise: sub-ms wake-ups)', () => {
  /** Timers fire 0.9 ms late; a loop turn takes 0.01 ms; precise wake-ups come `lagMs` late. */
  function run(rate: number, ms: number, lagMs: number, opts: { leadMs?: number; pollShare?: number } = {}) {
    const clock = new LateTimerClock(0).withPrecise(lagMs);
    let wakes = 0;
    const slot = clock.precise!.slot.bind(clock.precise);
    clock.precise!.slot = (fn) => {
      const s = slot(fn);
      return { arm: (at) => (wakes++, s.arm(at)), disarm: () => s.disarm() };
    };
    const late: number[] = [];
    const pacer = new Pacer(clock, [spec({ rate, endAt: ms })], (_s, _c, _q, due, now) => late.push(now - due), opts);
    pacer.start();
    clock.advance(ms + 10);
    return { late, spun: pacer.takeSpunMs(), wakes, pacer, clock };
  }

  it('wakes leadMs before each slot and polls only the rest: every slot within a loop turn', () => {
    const { late, spun, wakes } = run(1000, 1000, 0.05, { leadMs: 0.1 });
    expect(late).toHaveLength(1000);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...late)).toBeLessThanOrEqual(0.011);
    expect(wakes).toBeGreaterThanOrEqual(999);
    // Polling covers lead − lag (0.05 ms) per slot, not the ~1 ms a timer would leave: ~5% of the time.
    expect(spun).toBeGreaterThan(1000 * 0.04);
    expect(spun).toBeLessThan(1000 * 0.07);
  });

  it('a wake-up later than the lead sends the slot at once: late by lag − lead, no polling', () => {
    const { late, spun } = run(100, 1000, 0.3, { leadMs: 0.1 });
    expect(late).toHaveLength(100);
    expect(late[0]).toBe(0); // due at start()
    for (const l of late.slice(1)) expect(l).toBeCloseTo(0.2, 6);
    expect(spun).toBe(0);
  });

  it('the adaptive lead follows the wake-ups’ lateness: little polling when they come early, on time when late', () => {
    // Wake-ups 0.03 ms late: the lead comes down from 0.1 ms to about that, so polling shrinks with it.
    const quick = run(1000, 2000, 0.03);
    expect(quick.late).toHaveLength(2000);
    expect(Math.max(...quick.late)).toBeLessThanOrEqual(0.011);
    expect(quick.spun).toBeLessThan(2000 * 0.04); // a fixed 0.1 ms lead would poll ~0.07 ms per slot
    // Wake-ups 0.25 ms late: the lead rises to cover them (within MAX_LEAD_MS) and slots are on time again.
    const slow = run(1000, 2000, 0.25);
    expect(slow.late.slice(-500).every((l) => l <= 0.011)).toBe(true);
    expect(slow.late[1]).toBeCloseTo(0.15, 6); // before it adapted: late by lag − 0.1
  });

  it('after a long idle wait the lead is at least 1% of it (to 1 ms): slow wake-ups after idling are covered at once', () => {
    // 1 slot/s, wake-ups 0.6 ms late: the adaptive lead (one step per wake-up) alone would leave them late.
    const { late, spun, wakes } = run(1, 10_000, 0.6);
    expect(late).toHaveLength(10);
    expect(Math.max(...late)).toBeLessThanOrEqual(0.011);
    expect(wakes).toBe(9);
    // Polling: lead 1 − lag 0.6 (+ a loop turn) per slot, 0.04% of the time.
    expect(spun).toBeLessThan(9 * (MAX_IDLE_LEAD_MS - 0.6 + 0.011));
    // A fixed lead of 0.1 ms: each slot 0.5 ms late.
    const fixed = run(1, 10_000, 0.6, { leadMs: 0.1 });
    for (const l of fixed.late.slice(1)) expect(l).toBeCloseTo(0.5, 6);
  });

  it('idle between sparse slots: one wake-up per slot, polling only around it', () => {
    const { late, spun, wakes } = run(1, 10_000, 0.05);
    expect(late).toHaveLength(10);
    expect(Math.max(...late)).toBeLessThanOrEqual(0.011);
    expect(wakes).toBe(9); // the first slot is due at start()
    // At most the lead after a long idle wait (MAX_IDLE_LEAD_MS) − the lag per slot, ~0.1% of the time at 1/s.
    expect(spun).toBeLessThan(9 * (MAX_IDLE_LEAD_MS - 0.05 + 0.011)); // + one loop turn
  });

  it('dense slots (10,000/s) stay within the polling cap and do not take a wake-up per slot', () => {
    const { late, spun, wakes } = run(10_000, 1000, 0.05);
    expect(late).toHaveLength(10_000);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(0);
    expect(spun).toBeLessThanOrEqual(0.1 * 1000 + 10 * 0.011);
    expect(wakes).toBeLessThan(10_000 / 2);
  });

  it('precise: false (the connect pacer) takes no wake-up slot, so no helper thread starts for it', () => {
    const clock = new FakeClock(0).withPrecise();
    let slots = 0;
    clock.precise!.slot = () => (slots++, { arm: () => {}, disarm: () => {} });
    let emitted = 0;
    new Pacer(clock, [spec({ rate: 100, endAt: 100 })], () => emitted++, { precise: false }).start();
    clock.advance(200);
    expect(emitted).toBe(10);
    expect(slots).toBe(0);
  });

  it('stop() disarms the pending wake-up', () => {
    const clock = new FakeClock(0).withPrecise();
    let emitted = 0;
    const pacer = new Pacer(clock, [spec({ rate: 10, endAt: 1000 })], () => emitted++);
    pacer.start();
    clock.advance(150);
    expect(emitted).toBe(2);
    pacer.stop();
    clock.advance(1000);
    expect(emitted).toBe(2);
  });

  it('without its timer ready (helper thread still starting) it paces on timer and poll', () => {
    const clock = new LateTimerClock(0).withPrecise();
    Object.assign(clock.precise!, { ready: false });
    let armed = 0;
    clock.precise!.slot = () => ({ arm: () => armed++, disarm: () => {} });
    const late: number[] = [];
    const pacer = new Pacer(clock, [spec({ rate: 100, endAt: 500 })], (_s, _c, _q, due, now) => late.push(now - due));
    pacer.start();
    clock.advance(600);
    expect(late).toHaveLength(50);
    expect(armed).toBe(0);
    expect(Math.max(...late)).toBeLessThanOrEqual(0.011);
  });
});

/** A loop turn takes 3 ms: the thread is preempted while it polls (more runnable threads than cores). */
class PreemptedClock extends FakeClock {
  override setImmediate(fn: () => void): unknown {
    return super.setTimeout(fn, 3);
  }
}

describe('Pacer under CPU contention', () => {
  it('stops polling for a while when a poll turn was preempted, and sends on timers alone', () => {
    const clock = new PreemptedClock(0);
    let polls = 0;
    const orig = clock.setImmediate.bind(clock);
    clock.setImmediate = (fn) => {
      polls++;
      return orig(fn);
    };
    const slots: number[] = [];
    const pacer = new Pacer(clock, [spec({ rate: 100, endAt: 900 })], (_s, _c, _q, due) => slots.push(due), { spinMs: 2 });
    pacer.start();
    clock.advance(1000);
    expect(slots).toHaveLength(90);
    // One preempted poll, then 1 s of timers only: no further polling within the run.
    expect(polls).toBe(1);
  });
});
