import { describe, expect, it } from 'vitest';
import type { RunOutcome } from './outcome.js';
import { Aggregator } from './aggregate.js';
import { addCounters, zeroCounters } from './counters.js';
import { addEncoded, createHistogram, encodeHistogram, recordMs } from './histogram.js';
import { mergeResults, type Shard } from './merge.js';
import { mergeIntervals } from './mergeIntervals.js';
import { buildResults } from './results.js';
import { SeqBitmap, type SeqLayout } from './seqBitmap.js';
import { allocateShareRecords, ShareLedger } from './shareLedger.js';
import { dumpShareLedger } from './shareMerge.js';
import type { SegmentInfo } from './segmentTypes.js';
import type { Counters, IntervalRow, Results, RunStatus } from './types.js';

const scenario = { name: 'merge-test', target: { url: 'mqtt://a:1883', mqttVersion: 4 }, durationMs: 2000, thresholds: [] };

function segment(index: number, o: Partial<SegmentInfo> = {}): SegmentInfo {
  return {
    index,
    count: 3,
    runId: 'run1',
    scenarioHash: 'x',
    host: 'h1',
    clockSource: 'system',
    startAt: '2030-01-01T00:00:00.000Z',
    clockOffset: null,
    clockOffsetReason: 'test',
    ...o,
  };
}

/** A results file built the way `run` builds one, from counters and e2e samples (ms). */
function results(c: Partial<Counters>, e2e: number[], seg?: SegmentInfo, status: RunStatus = 'complete', sc: Record<string, unknown> = scenario): Results {
  const agg = new Aggregator(0);
  addCounters(agg.measured, { ...zeroCounters(), ...c });
  // As in a run: workers record, and their histograms reach the aggregator encoded.
  const h = createHistogram();
  for (const ms of e2e) recordMs(h, ms);
  addEncoded(agg.histograms.endToEnd, encodeHistogram(h));
  // A plan without $share groups: an empty delivery bitmap and no share records (so no shareLedger is written).
  const layout: SeqLayout = { clientBase: [0], counts: [1], base: [0], perClient: [0], bits: 0 };
  const ledger = { shares: allocateShareRecords(new Map(), layout, true) };
  const o: RunOutcome = {
    status,
    reason: status === 'complete' ? undefined : 'broke',
    agg,
    startedAt: new Date(0),
    connectAt: 0,
    connectedAt: 0,
    publishStart: 1,
    measureFrom: 1000,
    measureEnd: 3000,
    workers: 1,
    delivered: new SeqBitmap(layout),
    ledger,
  };
  return buildResults(o, {
    mqbenchVersion: 't',
    scenario: sc as Results['scenario'],
    targetUrl: 'mqtt://a:1883',
    embedded: false,
    ...(seg ? { segment: seg } : {}),
  });
}

const shard = (r: Results, i = r.segment?.index ?? 0): Shard => ({ path: `shard-${i}.json`, results: r });
const samples = (n: number, from: number) => Array.from({ length: n }, (_, k) => from + (k % 97) * 0.013);

describe('mergeResults', () => {
  // Segment 0 publishes (counts expected), segments 1 and 2 hold the subscribers (count received).
  const pub = { connAttempted: 1, connSucceeded: 1, sent: 100, acked: 100, expected: 200, q1Expected: 200, sentInWindow: 100 };
  const subA = { connAttempted: 30, connSucceeded: 30, received: 101, duplicated: 1, q1Unique: 100, q1Duplicated: 1, receivedInWindow: 101 };
  const subB = { connAttempted: 30, connSucceeded: 30, received: 100, q1Unique: 100, receivedInWindow: 100 };
  const parts = [pub, subA, subB];
  const e2e = [samples(0, 0), samples(101, 0.2), samples(100, 0.9)];
  const shards = parts.map((c, i) => shard(results(c, e2e[i], segment(i))));
  const whole = results(
    parts.reduce<Partial<Counters>>((acc, c) => addCounters({ ...zeroCounters(), ...acc }, { ...zeroCounters(), ...c }), {}),
    e2e.flat(),
  );

  it('adds counters and recomputes loss, percentiles and verdicts exactly as one run would', () => {
    const m = mergeResults(shards);
    expect(m.summary.messages).toEqual(whole.summary.messages);
    expect(m.summary.messages).toMatchObject({ expected: 200, received: 201, duplicated: 1, lost: 0 });
    expect(m.summary.connections).toEqual(whole.summary.connections);
    expect(m.summary.latencyMs).toEqual(whole.summary.latencyMs);
    expect(m.summary.byQos).toEqual(whole.summary.byQos);
    expect(m.summary.verdicts).toEqual(['QoS 1: no loss, 1 duplicate (allowed)']);
    expect(m.summary.throughput.sentPerSec).toBeCloseTo(whole.summary.throughput.sentPerSec, 9);
    expect(m.summary.throughput.receivedPerSec).toBeCloseTo(whole.summary.throughput.receivedPerSec, 9);
    expect(m.histograms.endToEnd).toBe(whole.histograms.endToEnd);
    expect(m.status).toBe('complete');
    expect(m.generator.workers).toBe(3);
    expect(m.merged).toMatchObject({ runId: 'run1', missing: [], hosts: ['h1'], clockUncertaintyMs: 0 });
    // Each shard alone says nothing about loss: the publisher's shard alone "lost" everything.
    expect(shards[0].results.summary.messages.lost).toBe(200);
  });

  it('is independent of the order of the files', () => {
    expect(mergeResults([...shards].reverse())).toEqual(mergeResults(shards));
  });

  it('refuses (exit 2) shards of different runs, different scenarios, the same segment twice, or no segment', () => {
    const other = shard(results(subB, [], segment(2, { runId: 'run2' })));
    expect(() => mergeResults([shards[0], other])).toThrow(/from run "run2".*only segments of one run/);
    const otherScenario = shard(results(subB, [], segment(2), 'complete', { ...scenario, durationMs: 9000 }));
    expect(() => mergeResults([shards[0], otherScenario])).toThrow(/different scenarios/);
    expect(() => mergeResults([shards[1], { ...shards[1], path: 'again.json' }])).toThrow(/both segment 1\/3/);
    expect(() => mergeResults([shards[0], shard(results(subB, []), 9)])).toThrow(/not a segment/);
    try {
      mergeResults([shards[0], other]);
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it('a different broker address alone is the same scenario', () => {
    const elsewhere = shard(results(subB, [], segment(2), 'complete', { ...scenario, target: { ...scenario.target, url: 'mqtt://10.0.0.1:1883' } }));
    expect(() => mergeResults([shards[0], shards[1], elsewhere])).not.toThrow();
  });

  it('combines statuses: any failed → failed, any partial or missing segment → partial', () => {
    const failed = shard(results(subB, [], segment(2), 'failed'));
    expect(mergeResults([shards[0], shards[1], failed]).status).toBe('failed');
    const partial = shard(results(subB, [], segment(2), 'partial'));
    const p = mergeResults([shards[0], shards[1], partial]);
    expect(p.status).toBe('partial');
    expect(p.statusReason).toMatch(/segment 2\/3 partial: broke/);
    const missing = mergeResults([shards[0], shards[1]]);
    expect(missing.status).toBe('partial');
    expect(missing.merged!.missing).toEqual([2]);
    expect(missing.statusReason).toMatch(/segment 2\/3 missing/);
  });

  it('marks e2e figures across hosts: unknown without offsets, bounded with them', () => {
    const hosts = parts.map((c, i) => shard(results(c, e2e[i], segment(i, { host: `node-${i}` }))));
    const u = mergeResults(hosts).merged!;
    expect(u.clockUncertaintyMs).toBeNull();
    expect(u.clockNote).toMatch(/^unknown: clocks not compared/);
    const known = parts.map((c, i) =>
      shard(results(c, e2e[i], segment(i, { host: `node-${i}`, clockOffset: { offsetMs: i * 0.5, maxErrorMs: 0.25, source: 'chronyc tracking' } }))),
    );
    expect(mergeResults(known).merged!.clockUncertaintyMs).toBeCloseTo(1 + 0.5, 9);
  });

  it('a message a $share group received in two segments is a duplicate of the merged run (loss recomputed)', () => {
    const layout = { clientBase: [0], counts: [1], base: [0], perClient: [100], bits: 100 };
    const record = (seqs: number[]) => {
      const buffers = allocateShareRecords(new Map([['$share/g/t', 2]]), layout, true);
      const rec = new ShareLedger(buffers, layout).records.get('$share/g/t')!;
      for (const s of seqs) rec.measured(0, s, 1);
      return dumpShareLedger(buffers, layout);
    };
    const withShares = shards.map((s, i) =>
      shard({ ...s.results, ...(i === 1 ? { shareLedger: record([3, 4]) } : i === 2 ? { shareLedger: record([4, 5]) } : {}) }),
    );
    const m = mergeResults(withShares);
    expect(m.summary.messages).toMatchObject({ expected: 200, received: 201, duplicated: 2, lost: 1 });
    expect(m.summary.byQos['1']).toMatchObject({ expected: 200, received: 201, duplicated: 2, lost: 1 });
    expect(m.merged?.shares).toEqual({
      crossSegmentDuplicates: 1,
      note: expect.stringMatching(/^\$share groups: 1 message received by a group in more than one segment/),
    });
    expect(mergeResults(shards).merged?.shares).toBeUndefined();
  });
});

describe('mergeResults: late or lost across segments (tail.ts)', () => {
  const row = (t: number, intendedExpected: number, intendedUnique: number): IntervalRow => ({
    t,
    phase: 'measure',
    sent: 0,
    received: 0,
    acked: 0,
    expected: 0,
    lateSends: 0,
    connections: 1,
    endToEndP50: null,
    endToEndP99: null,
    lost: Math.max(0, intendedExpected - intendedUnique),
    lostSoFar: 0,
    intendedExpected,
    intendedUnique,
  });
  const withRows = (r: Results, rows: IntervalRow[], tailFromSec?: number): Results => ({
    ...r,
    intervals: rows,
    summary: { ...r.summary, messages: { ...r.summary.messages, ...(tailFromSec !== undefined ? { tailFromSec } : {}) } },
  });
  // Segment 0 publishes 100 + 100 messages (intended seconds 0 and 1); segments 1 and 2 each receive half.
  const pub = withRows(results({ sent: 200, acked: 200, expected: 200, q1Expected: 200 }, [], segment(0)), [row(1, 200 / 2, 0), row(2, 100, 0)]);
  const sub = (i: number, unique: [number, number], tailFromSec?: number) =>
    withRows(
      results({ received: unique[0] + unique[1], q1Unique: unique[0] + unique[1] }, [], segment(i)),
      [row(1, 0, unique[0]), row(2, 0, unique[1])],
      tailFromSec,
    );

  it('recomputes lostAtTail from the merged per-second loss and the oldest horizon of the segments', () => {
    // 1 missing in second 0 (behind later arrivals: proven), 10 in second 1; both subscriber segments got into second 1.
    const m = mergeResults([pub, sub(1, [50, 45], 1), sub(2, [49, 45], 1)].map((r) => shard(r))).summary;
    expect(m.messages).toMatchObject({ expected: 200, lost: 11, lostAtTail: 10, tailFromSec: 1 });
    expect(m.byQos['1']?.verdict).toBe(
      'QoS 1: 11 lost, no duplicates — at-least-once broken (10 of all 11 lost may have been still queued when the drain ended)',
    );
    // A segment whose subscribers received nothing (horizon 0): nothing is proven.
    const none = mergeResults([pub, sub(1, [50, 45], 1), sub(2, [49, 45], 0)].map((r) => shard(r))).summary;
    expect(none.messages).toMatchObject({ lost: 11, lostAtTail: 11, tailFromSec: 0 });
    // Segments written before the split (no tailFromSec anywhere): no split is claimed.
    const old = mergeResults([pub, sub(1, [50, 45]), sub(2, [49, 45])].map((r) => shard(r))).summary;
    expect(old.messages.lost).toBe(11);
    expect(old.messages.lostAtTail).toBeUndefined();
  });
});

describe('mergeIntervals', () => {
  const row = (t: number, o: Partial<IntervalRow>): IntervalRow => ({
    t,
    phase: 'measure',
    sent: 0,
    received: 0,
    acked: 0,
    expected: 0,
    lateSends: 0,
    connections: 0,
    endToEndP50: null,
    endToEndP99: null,
    lost: 0,
    lostSoFar: 0,
    ...o,
  });

  it('adds rows with the same t and computes loss from the raw counts of all shards', () => {
    const publisher = [
      row(1, { sent: 10, expected: 20, connections: 1, lost: 20, intendedExpected: 20, intendedUnique: 0 }),
      row(2, { sent: 10, expected: 20, connections: 1, lost: 20, intendedExpected: 20, intendedUnique: 0 }),
    ];
    const subscriber = [
      row(1, { received: 20, connections: 20, intendedExpected: 0, intendedUnique: 20 }),
      row(2, { received: 19, connections: 20, intendedExpected: 0, intendedUnique: 19 }),
      row(3, { phase: 'drain', connections: 20, intendedExpected: 0, intendedUnique: 0 }),
    ];
    const m = mergeIntervals([publisher, subscriber]);
    expect(m.map((r) => [r.t, r.sent, r.received, r.connections, r.lost, r.lostSoFar, r.phase])).toEqual([
      [1, 10, 20, 21, 0, 0, 'measure'],
      [2, 10, 19, 21, 1, 1, 'measure'],
      [3, 0, 0, 20, 0, 1, 'drain'],
    ]);
  });
});
