import { describe, expect, it } from 'vitest';
import { counterDelta, mergeIntervals, sourceIntervals } from './derive.js';
import type { Reading } from './types.js';

const T0 = 1_700_000_000_000;
const intervalOf = (ms: number) => Math.floor((ms - T0) / 1000);
const at = (sec: number, r: Omit<Reading, 'atMs'>): Reading => ({ atMs: T0 + sec * 1000, ...r });

describe('counterDelta', () => {
  it('is the increase, or null when missing or when the counter went down (broker restart)', () => {
    const a = at(0, { gauges: {}, counters: { cpuSeconds: 5 } });
    expect(counterDelta(a, at(1, { gauges: {}, counters: { cpuSeconds: 7.5 } }), 'cpuSeconds')).toBe(2.5);
    expect(counterDelta(a, at(1, { gauges: {}, counters: { cpuSeconds: 1 } }), 'cpuSeconds')).toBeNull();
    expect(counterDelta(a, at(1, { gauges: {}, counters: {} }), 'cpuSeconds')).toBeNull();
  });
});

describe('sourceIntervals', () => {
  it('turns counters into per-second rates placed at the middle of their 1 s span; gauges in the second they were read', () => {
    const got = sourceIntervals(
      [
        at(0.5, { gauges: { rssBytes: 100 }, counters: { cpuSeconds: 10, diskWriteBytes: 0 } }),
        at(1.5, { gauges: { rssBytes: 110 }, counters: { cpuSeconds: 10.5, diskWriteBytes: 4096 } }),
        at(2.5, { gauges: { rssBytes: 120 }, counters: { cpuSeconds: 11.5, diskWriteBytes: 4096 } }),
      ],
      intervalOf,
    );
    expect([...got.keys()]).toEqual([0, 1, 2]);
    expect(got.get(0)).toEqual({ rssBytes: 100 });
    expect(got.get(1)).toEqual({ rssBytes: 110, cpuCores: 0.5, diskWriteBytesPerSec: 4096 });
    expect(got.get(2)).toEqual({ rssBytes: 120, cpuCores: 1, diskWriteBytesPerSec: 0 });
  });

  it('fills every second a longer span covers with its average ($SYS every 2 s)', () => {
    const got = sourceIntervals(
      [
        at(0.2, { gauges: { connections: 1 }, counters: { messagesReceived: 0, messagesSent: 0, observerDeliveries: 0 } }),
        at(2.2, { gauges: { connections: 11 }, counters: { messagesReceived: 2000, messagesSent: 4040, observerDeliveries: 40 } }),
      ],
      intervalOf,
    );
    // The span 0.2..2.2 s covers t=0 and t=1; gauges stay in the second they were read in; $SYS deliveries to the observer leave the sent rate.
    expect(got.get(0)).toEqual({ connections: 1, receivedPerSec: 1000, sentPerSec: 2000 });
    expect(got.get(1)).toEqual({ receivedPerSec: 1000, sentPerSec: 2000 });
    expect(got.get(2)).toEqual({ connections: 11 });
  });

  it('gives no rate across a counter reset and turns host busy seconds into a share of the host', () => {
    const got = sourceIntervals(
      [
        at(0, { gauges: { hostCpus: 4 }, counters: { cpuSeconds: 100, hostCpuBusySeconds: 50 } }),
        at(1, { gauges: { hostCpus: 4 }, counters: { cpuSeconds: 3, hostCpuBusySeconds: 52 } }),
      ],
      intervalOf,
    );
    expect(got.get(0)).toEqual({ hostCpus: 4, hostCpuPercent: 50 });
  });

  it('turns extra counters into <name>PerSec and keeps extra gauges', () => {
    const got = sourceIntervals(
      [
        at(0.5, { gauges: {}, counters: {}, extra: { depth: 3 }, extraCounters: { drops: 10 } }),
        at(1.5, { gauges: {}, counters: {}, extra: { depth: 5 }, extraCounters: { drops: 13 } }),
      ],
      intervalOf,
    );
    expect(got.get(1)).toEqual({ extra: { depth: 5, dropsPerSec: 3 } });
  });
});

describe('mergeIntervals', () => {
  it('takes each field from the first source that has it and adds cpuPercentOfHost', () => {
    const pid = new Map([[3, { cpuCores: 0.5, rssBytes: 1000, hostCpus: 2 }]]);
    const prom = new Map([
      [3, { rssBytes: 999, connections: 7, extra: { a: 1 } }],
      [4, { connections: 8 }],
    ]);
    expect(mergeIntervals([pid, prom])).toEqual([
      { t: 3, cpuCores: 0.5, rssBytes: 1000, connections: 7, cpuPercentOfHost: 25, extra: { a: 1 } },
      { t: 4, connections: 8 },
    ]);
  });
});
