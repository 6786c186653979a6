/**
 * A realistic `results.broker` for reporter tests: single-threaded mosquitto on a 4-CPU host at about one
 * core, observed by its pid and $SYS, with costs and a cross-check that found 10 deliveries fewer at the broker.
 */
import type { BrokerResults, IntervalBroker } from './types.js';

/** The pid source of a 31-second run of mosquitto (pid 4242). */
export const PID_SOURCE: BrokerResults['sources'][number] = {
  kind: 'pid',
  target: 'pid 4242',
  ok: true,
  readings: 31,
  failures: 0,
  skipped: 0,
  costMs: { avg: 0.2, max: 0.5 },
  fields: ['cpuSeconds', 'rssBytes'],
  notes: [],
};

export function makeBrokerResults(over: Partial<BrokerResults> = {}): BrokerResults {
  return {
    sources: [
      PID_SOURCE,
      {
        kind: 'sys',
        target: 'mqtt://127.0.0.1:1883 $SYS',
        ok: true,
        readings: 16,
        failures: 0,
        skipped: 0,
        costMs: { avg: 0, max: 0 },
        fields: ['messagesReceived', 'messagesSent'],
        notes: [],
      },
    ],
    resources: {
      cpuCores: { avg: 0.5, max: 0.99 },
      cpuPercentOfHost: { avg: 12.5, max: 24.75 },
      maxThreadCpuCores: { avg: 0.5, max: 0.99 },
      rssBytes: { avg: 5 * 2 ** 20, max: 6 * 2 ** 20 },
      fds: { avg: 1010, max: 1012 },
      threads: { avg: 1, max: 1 },
      receivedPerSec: { avg: 2000, max: 2100 },
      sentPerSec: { avg: 2000, max: 2100 },
      diskReadBytes: 0,
      diskWriteBytes: 12_288,
      window: { fromT: 1, toT: 30, seconds: 30 },
    },
    costs: {
      cpuMsPer1kMessages: { in: 250, out: 250.4, cpuMs: 15_000, messagesIn: 60_000, messagesOut: 59_990, basis: 'broker', seconds: 30 },
      bytesPerConnection: { bytesPerConnection: 5222, interceptBytes: 1_000_000, points: 5, r2: 0.98, fromConnections: 0, toConnections: 1000 },
    },
    counters: {
      receivedDelta: 60_000,
      sentDelta: 59_990,
      mqbenchSent: 60_000,
      mqbenchReceived: 60_000,
      difference: { received: 0, sent: -10 },
      fromT: -3,
      toT: 33,
      source: 'sys',
      observerDeliveries: 40,
    },
    notes: [],
    ...over,
  };
}

/** Per-second broker values for intervals 1..n: CPU ramping up to one core, RSS growing. */
export function brokerSeconds(n: number): IntervalBroker[] {
  return Array.from({ length: n }, (_, i) => ({
    cpuCores: Math.min(0.99, 0.1 * (i + 1)),
    maxThreadCpuCores: Math.min(0.99, 0.1 * (i + 1)),
    rssBytes: 5 * 2 ** 20 + i * 4096,
  }));
}
