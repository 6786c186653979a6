import { describe, expect, it } from 'vitest';
import { cpuPerMessages, crossCheck, linearFit, memoryPerConnection } from './costs.js';
import type { TimedReading } from './types.js';

describe('linearFit', () => {
  it.each([
    ['exact line', [0, 1, 2, 3], [5, 7, 9, 11], { slope: 2, intercept: 5, r2: 1 }],
    ['flat y', [1, 2, 3], [4, 4, 4], { slope: 0, intercept: 4, r2: 1 }],
    // by hand: sxx = 5, sxy = 9.5, syy = 18.75, SSres = 18.75 - 1.9 * 9.5 = 0.7
    ['noisy', [1, 2, 3, 4], [2, 4, 5, 8], { slope: 1.9, intercept: 0, r2: 1 - 0.7 / 18.75 }],
  ])('%s', (_n, xs, ys, want) => {
    const fit = linearFit(xs, ys)!;
    expect(fit.slope).toBeCloseTo(want.slope, 9);
    expect(fit.intercept).toBeCloseTo(want.intercept, 9);
    expect(fit.r2).toBeCloseTo(want.r2, 4);
  });

  it('is null with fewer than 2 points or no spread in x', () => {
    expect(linearFit([1], [1])).toBeNull();
    expect(linearFit([2, 2, 2], [1, 2, 3])).toBeNull();
  });
});

describe('memoryPerConnection', () => {
  it('is the slope of RSS against open connections, with the points and R² behind it', () => {
    const points = [0, 1000, 2000, 3000, 4000].map((c) => ({ connections: c, rssBytes: 8_000_000 + c * 5_120 }));
    expect(memoryPerConnection(points)).toEqual({
      bytesPerConnection: 5_120,
      interceptBytes: 8_000_000,
      points: 5,
      r2: 1,
      fromConnections: 0,
      toConnections: 4000,
    });
  });

  it('says why when it cannot be had', () => {
    expect(
      memoryPerConnection([
        { connections: 1, rssBytes: 1 },
        { connections: 2, rssBytes: 2 },
      ]),
    ).toMatch(/at least 3 seconds .* \(had 2\)/);
    expect(memoryPerConnection([1, 2, 3].map((r) => ({ connections: 10, rssBytes: r })))).toMatch(/did not change/);
  });
});

describe('cpuPerMessages', () => {
  it.each([
    // 2 CPU-s over 10 s (200 ms/s) at 10,000 in/s and 50,000 out/s → 20 ms per 1k in, 4 ms per 1k out
    ['broker counters over the same span', { delta: 2, spanSec: 10 }, { in: 100_000, out: 500_000, spanSec: 10 }, 20, 4],
    // CPU read over 10 s, messages over 12 s ($SYS every 2 s): rates keep them comparable
    ['different spans', { delta: 2, spanSec: 10 }, { in: 120_000, out: 0, spanSec: 12 }, 20, null],
  ])('%s', (_n, cpu, msgs, wantIn, wantOut) => {
    const got = cpuPerMessages(cpu, msgs, 'broker')!;
    expect(got.in).toBeCloseTo(wantIn, 9);
    expect(got.out === null ? null : got.out).toEqual(wantOut === null ? null : expect.closeTo(wantOut, 9));
    expect(got).toMatchObject({ cpuMs: 2000, messagesIn: msgs.in, messagesOut: msgs.out, basis: 'broker', seconds: 10 });
  });

  it('is null over an empty span', () => {
    expect(cpuPerMessages({ delta: 1, spanSec: 0 }, { in: 1, out: 1, spanSec: 1 }, 'mqbench')).toBeNull();
  });
});

const r = (t: number, counters: TimedReading['counters']): TimedReading => ({ t, atMs: 1e12 + t * 1000, gauges: {}, counters });

describe('crossCheck', () => {
  const readings = [
    r(-2, { messagesReceived: 100, messagesSent: 500, observerDeliveries: 30 }),
    r(0, { messagesReceived: 100, messagesSent: 520, observerDeliveries: 50 }),
    r(10, { messagesReceived: 10_100, messagesSent: 20_620, observerDeliveries: 150 }),
    r(12, { messagesReceived: 10_100, messagesSent: 20_640, observerDeliveries: 170 }),
  ];

  it("shows the broker's deltas (its $SYS deliveries to the observer taken out) against mqbench's counts", () => {
    expect(crossCheck(readings, 'sys', { fromT: 1, toT: 9 }, { sent: 10_000, received: 19_990 })).toEqual({
      receivedDelta: 10_000,
      sentDelta: 20_000,
      mqbenchSent: 10_000,
      mqbenchReceived: 19_990,
      difference: { received: 0, sent: 10 },
      fromT: 0,
      toT: 10,
      source: 'sys',
      observerDeliveries: 100,
    });
  });

  it('is null without both counters', () => {
    expect(crossCheck([r(0, { messagesReceived: 1 }), r(5, { messagesReceived: 2 })], 'prometheus', { fromT: 1, toT: 4 }, { sent: 1, received: 1 })).toBeNull();
  });
});
