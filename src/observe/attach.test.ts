import { describe, expect, it } from 'vitest';
import { makeResults } from '../report/fixture.test-helper.js';
import type { IntervalRow, Results } from '../metrics/types.js';
import { runFacts, withBroker } from './attach.js';
import type { BrokerObservation, SourceReport, TimedReading } from './types.js';
import { intervalAt } from './runObserver.js';

const ORIGIN = 1_000_000;
const row = (t: number, phase: IntervalRow['phase'], sent: number, connections: number): IntervalRow => ({
  t,
  phase,
  sent,
  received: sent,
  acked: 0,
  expected: sent,
  lateSends: 0,
  connections,
  endToEndP50: null,
  endToEndP99: null,
  lost: 0,
  lostSoFar: 0,
});
/** connect (t −2…0), measure (1…3), close (4). */
const ROWS = [
  row(-2, 'connect', 0, 100),
  row(-1, 'connect', 0, 200),
  row(0, 'connect', 0, 300),
  row(1, 'measure', 50, 300),
  row(2, 'measure', 50, 300),
  row(3, 'measure', 50, 300),
  row(4, 'close', 0, 0),
];
const results = (): Results => ({ ...makeResults(), intervals: ROWS });

const source = (kind: SourceReport['kind'], target: string): SourceReport => ({
  kind,
  target,
  ok: true,
  readings: 8,
  failures: 0,
  skipped: 0,
  costMs: { avg: 0, max: 0 },
  fields: [],
  notes: [],
});

/** A pid source read just after each second begins: RSS grows 4,096 B per connection; 0.5 core. */
function observation(target: string, connections: number[]): BrokerObservation {
  const readings: TimedReading[] = connections.map((c, k) => {
    const atMs = ORIGIN + (k - 4) * 1000 + 5;
    return { atMs, t: intervalAt(ORIGIN, atMs), gauges: { rssBytes: 1_000_000 + 4096 * c }, counters: { cpuSeconds: k * 0.5 } };
  });
  const intervals = readings.map((r, k) => ({ t: r.t, rssBytes: r.gauges.rssBytes!, ...(k > 0 ? { cpuCores: 0.5 } : {}) }));
  return { sources: [source('pid', target)], readings: [readings], intervals, notes: [], intervalOf: (ms) => intervalAt(ORIGIN, ms) };
}

describe('runFacts', () => {
  it('measures over the measure phase, counts over the whole run, fits memory over the connect phase', () => {
    expect(runFacts(results())).toEqual({
      measured: { fromT: 1, toT: 3 },
      counted: { fromT: -2, toT: 4 },
      mqbench: { sent: 150, received: 150 },
      connectPhase: [
        { t: -2, connections: 100 },
        { t: -1, connections: 200 },
        { t: 0, connections: 300 },
      ],
    });
  });
});

describe('withBroker', () => {
  it("adds results.broker and each second's broker values, without changing the results given", () => {
    const r = results();
    const out = withBroker(r, observation('pid 7', [0, 0, 100, 200, 300, 300, 300, 300, 0]));
    expect(r.broker).toBeUndefined();
    expect(out.broker!.resources.cpuCores).toEqual({ avg: 0.5, max: 0.5 });
    expect(out.broker!.costs.bytesPerConnection!.bytesPerConnection).toBeCloseTo(4096, 6);
    expect(out.intervals.find((i) => i.t === 2)!.broker).toMatchObject({ cpuCores: 0.5, rssBytes: 1_000_000 + 4096 * 300 });
  });

  it("leaves memory per connection out for the embedded broker (its process holds mqbench's clients too), with a note", () => {
    const out = withBroker(results(), observation("embedded broker: mqbench's main thread (pid 7)", [0, 0, 100, 200, 300, 300, 300, 300, 0]));
    expect(out.broker!.costs.bytesPerConnection).toBeNull();
    expect(out.broker!.notes).toContain("memory per connection left out: the embedded broker shares its process (and its RSS) with mqbench's own clients");
  });
});
