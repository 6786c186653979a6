import { describe, expect, it } from 'vitest';
import { COUNTER_KEYS } from './catalogue.js';
import type { Counters } from './counterFields.js';
import { addCounters, zeroCounters } from './counters.js';
import { HISTOGRAM_KEYS, type HistogramKey } from './histogramKeys.js';
import { mergeResults, type Shard } from './merge.js';
import type { IntervalRow, Results } from './resultsFile.js';
import { resultsOf, segmentInfo, snapshot } from './snapshots.test-helper.js';
import type { Snapshot } from './snapshot.js';

/** A small deterministic generator (mulberry32), so the snapshots are the same on every run. */
function random(seed: number): (below: number) => number {
  let a = seed >>> 0;
  return (below) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const WORKERS = 6;
const SECONDS = 5;

/** Every worker snapshots every second: every counter, every histogram, failure reasons, windows and loss per intended second. */
function workload(seed: number): Snapshot[] {
  const rnd = random(seed);
  const snaps: Snapshot[] = [];
  for (let s = 1; s <= SECONDS; s++) {
    for (let w = 0; w < WORKERS; w++) {
      const counters: Partial<Counters> = {};
      for (const k of COUNTER_KEYS) counters[k] = rnd(500);
      const latencyMs: Partial<Record<HistogramKey, number[]>> = {};
      for (const k of HISTOGRAM_KEYS) latencyMs[k] = Array.from({ length: rnd(20) }, () => rnd(100_000) / 37);
      const expected = rnd(300);
      snaps.push(
        snapshot({
          workerIndex: w,
          at: s * 1000 + rnd(200) - 100,
          phase: s === SECONDS ? 'drain' : 'measure',
          counters,
          latencyMs,
          connectErrors: rnd(3) === 0 ? { ECONNREFUSED: rnd(5) + 1, [`CONNACK: reason ${rnd(3)}`]: 1 } : {},
          inflightWindow: rnd(64),
          open: 10 + rnd(5),
          byIntendedSecond: [[s - 1, expected, expected - rnd(3)]],
        }),
      );
    }
  }
  return snaps;
}

/** The segments of a distributed run: worker w ran in segment w mod n (each segment its own process). */
function segments(snaps: Snapshot[], n: number): Shard[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `segment-${i}.json`,
    results: resultsOf(
      snaps.filter((s) => s.workerIndex % n === i),
      segmentInfo(i, n),
    ),
  }));
}

/** The per-second figures a reader sees (a merged row also carries the raw fields behind them). */
const seen = (rows: IntervalRow[]) =>
  rows.map(({ t, phase, sent, received, acked, expected, lateSends, connections, endToEndP50, endToEndP99, lost, lostSoFar }) => ({
    t,
    phase,
    sent,
    received,
    acked,
    expected,
    lateSends,
    connections,
    endToEndP50,
    endToEndP99,
    lost,
    lostSoFar,
  }));

function withoutCounters(s: Shard): Shard {
  const results: Results = { ...s.results };
  delete results.counters;
  return { ...s, results };
}

describe('one merge model: segments merged equal the same snapshots aggregated in one process', () => {
  for (const [seed, n] of [
    [1, 2],
    [7, 3],
    [42, 6],
  ] as const) {
    it(`seed ${seed}, ${n} segments: summary, histograms, counters and per-second rows are exactly equal`, () => {
      const snaps = workload(seed);
      const whole = resultsOf(snaps);
      const merged = mergeResults(segments(snaps, n));
      expect(merged.summary).toEqual(whole.summary);
      expect(merged.histograms).toEqual(whole.histograms);
      expect(merged.durationSec).toBe(whole.durationSec);
      expect(seen(merged.intervals)).toEqual(seen(whole.intervals));
      expect(merged.generator.maxEventLoopDelayMs).toBe(whole.generator.maxEventLoopDelayMs);
      expect(merged.generator.workers).toBe(whole.generator.workers);
      const total = snaps.reduce((c, s) => addCounters(c, s.measured), zeroCounters());
      expect(merged.counters).toEqual(total);
      // Not a vacuous equality: the run has loss, duplicates, failure reasons and every latency histogram.
      expect(whole.summary.messages.duplicated).toBeGreaterThan(0);
      expect(Object.keys(whole.summary.connections.errors).length).toBeGreaterThan(0);
      for (const k of HISTOGRAM_KEYS) expect(whole.summary.latencyMs[k].count).toBeGreaterThan(0);
    });
  }

  it('still merges segment files written before results recorded their counters (rates read back rounded)', () => {
    const snaps = workload(3);
    const whole = resultsOf(snaps);
    const merged = mergeResults(segments(snaps, 3).map(withoutCounters));
    const { throughput, ...rest } = merged.summary;
    const { throughput: wholeThroughput, ...wholeRest } = whole.summary;
    expect(rest).toEqual(wholeRest);
    expect(throughput.sentPerSec).toBeCloseTo(wholeThroughput.sentPerSec, 6);
    expect(throughput.receivedPerSec).toBeCloseTo(wholeThroughput.receivedPerSec, 6);
  });

  it('reads a segment file that lacks a counter a newer mqbench added as 0', () => {
    const snaps = workload(5);
    const shards = segments(snaps, 2);
    const older = { ...shards[0], results: { ...shards[0].results, counters: { ...shards[0].results.counters! } } };
    delete (older.results.counters as Partial<Counters>).unverifiable;
    const merged = mergeResults([older, shards[1]]);
    expect(merged.counters?.unverifiable).toBe(shards[1].results.counters!.unverifiable);
  });
});
