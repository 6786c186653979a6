import { describe, expect, it } from 'vitest';
import { mergeIntervals, sourceIntervals } from './derive.js';
import { brokerResults } from './summary.js';
import type { BrokerObservation, Reading, SourceReport } from './types.js';

const T0 = 1_700_000_000_000;
const intervalOf = (ms: number) => Math.floor((ms - T0) / 1000);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * A run of 10 measured seconds (t = 0..9) after a 5 s connect phase: 1,000 connections opened at 250 a second,
 * RSS growing 5,000 B per connection; then 10,000 msg/s in, 20,000 out, the broker at 0.2 cores.
 * procfs is read every second just after each second starts (as the observer schedules it), $SYS every 2 s
 * (at odd seconds + 0.1, as a broker publishes it), with 10 deliveries to the observer each.
 */
function observation(): BrokerObservation {
  const connections = (x: number) => 250 * clamp(x + 5, 0, 4);
  const pid: Reading[] = [];
  for (let s = -6; s <= 12; s++) {
    const x = s + 0.005;
    pid.push({
      atMs: T0 + x * 1000,
      gauges: {
        rssBytes: 10_000_000 + 5_000 * connections(s),
        threads: 1,
        fds: 10 + connections(s),
        hostCpus: 4,
        maxThreadCpuCores: s >= 1 && s <= 10 ? 0.2 : 0,
      },
      counters: { cpuSeconds: 1 + 0.2 * clamp(x, 0, 10), diskWriteBytes: 4096 * clamp(x, 0, 10) },
    });
  }
  const sys: Reading[] = [];
  for (let s = -7; s <= 13; s += 2) {
    const x = s + 0.1;
    const k = (s + 7) / 2;
    sys.push({
      atMs: T0 + x * 1000,
      gauges: { connections: connections(Math.floor(x)) },
      counters: { messagesReceived: 10_000 * clamp(x, 0, 10), messagesSent: 20_000 * clamp(x, 0, 10) + 10 * k, observerDeliveries: 10 * k },
    });
  }
  const report = (kind: SourceReport['kind'], n: number): SourceReport => ({
    kind,
    target: kind,
    ok: true,
    readings: n,
    failures: 0,
    skipped: 0,
    costMs: { avg: 1, max: 2 },
    fields: [],
    notes: [],
  });
  const all = [pid, sys];
  return {
    sources: [report('pid', pid.length), report('sys', sys.length)],
    readings: all.map((rs) => rs.map((r) => ({ ...r, t: intervalOf(r.atMs) }))),
    intervals: mergeIntervals(all.map((rs) => sourceIntervals(rs, intervalOf))),
    notes: [],
    intervalOf,
  };
}

describe('brokerResults', () => {
  const obs = observation();
  const connectPhase = [-5, -4, -3, -2, -1].map((t) => ({ t, connections: 250 * (t + 5) }));
  const { broker, intervals } = brokerResults(obs, {
    measured: { fromT: 0, toT: 9 },
    mqbench: { sent: 100_000, received: 199_990 },
    counted: { fromT: -5, toT: 11 },
    connectPhase,
  });

  it('summarises the measured window: CPU in cores and as a share of the host, the busiest thread, RSS, fds', () => {
    expect(broker.resources.window).toEqual({ fromT: 0, toT: 9, seconds: 10 });
    // t = 9 is read 5 ms after the load stopped: 0.199 cores there.
    expect(broker.resources.cpuCores!.avg).toBeCloseTo(0.2, 3);
    expect(broker.resources.cpuPercentOfHost!.max).toBeCloseTo(5, 9);
    expect(broker.resources.maxThreadCpuCores!.avg).toBeCloseTo(0.2, 9);
    expect(broker.resources.rssBytes).toEqual({ avg: 15_000_000, max: 15_000_000 });
    expect(broker.resources.fds).toEqual({ avg: 1010, max: 1010 });
    // 4,096 B/s for 10 s; the readings 5 ms past the load's start and end cost the interpolation ~40 B
    expect(Math.abs(broker.resources.diskWriteBytes! - 40_960)).toBeLessThan(50);
  });

  it('spreads a 2 s $SYS span over both its seconds: the edges of the window read half the traffic', () => {
    // t=0 gets (-0.9 s, 1.1 s]: 11,000 messages in 2 s; t=9 gets (9.1 s, 11.1 s]: 9,000; the 8 seconds between 10,000 each.
    expect(broker.resources.receivedPerSec).toEqual({ avg: 9_000, max: 10_000 });
    expect(broker.resources.sentPerSec).toEqual({ avg: 18_000, max: 20_000 });
  });

  it("costs: CPU-ms per 1,000 messages in and out, from the broker's own counters over the same span", () => {
    // 0.2 cores = 200 CPU-ms/s; 10,000 in/s → 20 ms per 1k; 20,000 out/s → 10 ms per 1k
    const c = broker.costs.cpuMsPer1kMessages!;
    expect(c.basis).toBe('broker');
    // (the CPU readings 5 ms past each second shift the interpolated CPU by 0.1 ms out of 2,000)
    expect(c.in).toBeCloseTo(20, 2);
    expect(c.out).toBeCloseTo(10, 2);
    // messages between the $SYS readings just outside the window (-0.9 s and 11.1 s), CPU over that same span
    expect(c).toMatchObject({ messagesIn: 100_000, messagesOut: 200_000, seconds: 12 });
    expect(c.cpuMs).toBeCloseTo(2000, 0);
  });

  it('costs: memory per connection from the connect phase, with its fit', () => {
    expect(broker.costs.bytesPerConnection).toMatchObject({ points: 5, r2: 1, fromConnections: 0, toConnections: 1000 });
    expect(broker.costs.bytesPerConnection!.bytesPerConnection).toBeCloseTo(5000, 6);
  });

  it("cross-checks the broker's counts with mqbench's and shows the difference", () => {
    expect(broker.counters).toMatchObject({
      receivedDelta: 100_000,
      sentDelta: 200_000,
      mqbenchSent: 100_000,
      mqbenchReceived: 199_990,
      difference: { received: 0, sent: 10 },
      source: 'sys',
    });
  });

  it('gives every second its broker values', () => {
    expect(intervals.get(-3)).toMatchObject({ rssBytes: 10_000_000 + 5_000 * 500, connections: 500 });
    expect(intervals.get(5)!.cpuCores).toBeCloseTo(0.2, 9);
    expect(intervals.get(5)!.sentPerSec).toBeCloseTo(20_000, 6);
  });

  it('notes that $SYS values are 2-second averages', () => {
    expect(broker.notes.join('\n')).toMatch(/sys: values arrive every ~2.0 s/);
  });

  it("falls back to mqbench's counts over `counted` without broker counters, and says what is missing", () => {
    const pidOnly: BrokerObservation = {
      ...obs,
      sources: [obs.sources[0]],
      readings: [obs.readings[0]],
      intervals: mergeIntervals([sourceIntervals(obs.readings[0], intervalOf)]),
    };
    const { broker: b } = brokerResults(pidOnly, {
      measured: { fromT: 0, toT: 9 },
      mqbench: { sent: 100_000, received: 200_000 },
      counted: { fromT: 0, toT: 9 },
    });
    expect(b.costs.cpuMsPer1kMessages).toMatchObject({ basis: 'mqbench', messagesIn: 100_000 });
    // CPU over t = 0..9 exactly, interpolated between readings 5 ms past each second's start: 1.998 CPU-s
    expect(b.costs.cpuMsPer1kMessages!.in).toBeCloseTo(19.98, 3);
    expect(b.counters).toBeNull();
    expect(b.costs.bytesPerConnection).toBeNull();
    expect(b.notes.join('\n')).toMatch(/cross-check of counts: no source/);
  });
});
