import { describe, expect, it } from 'vitest';
import type { RunOutcome } from './outcome.js';
import { backPressureOf } from './accounting.js';
import { Aggregator } from './aggregate.js';
import { addCounters, zeroCounters } from './counters.js';
import { addEncoded, createHistogram, encodeHistogram, recordMs } from './histogram.js';
import { mergeResults } from './merge.js';
import { publishVerdict } from './qosVerdict.js';
import { buildResults } from './results.js';
import { SeqBitmap } from './seqBitmap.js';
import type { Counters, LatencySummary, Results, Summary } from './types.js';
import { settleUnacked, UNACKED_FIELDS, UnackedLog, type UnackedSink } from './unacked.js';

/** A results file built from counters, an in-flight window and the waits of the messages left waiting (ms). */
function results(c: Partial<Counters>, window = 0, waits: number[] = [], segment?: number): Results {
  const agg = new Aggregator(0);
  addCounters(agg.measured, { ...zeroCounters(), ...c });
  agg.inflightWindow = window;
  const h = createHistogram();
  for (const ms of waits) recordMs(h, ms);
  addEncoded(agg.histograms.unsentWait, encodeHistogram(h));
  const o = { status: 'complete', agg, startedAt: new Date(0), publishStart: 1, measureFrom: 1000, measureEnd: 6000, workers: 1 } as RunOutcome;
  const seg =
    segment === undefined
      ? {}
      : {
          segment: {
            index: segment,
            count: 2,
            runId: 'r',
            scenarioHash: 'x',
            host: 'h',
            clockSource: 'system',
            startAt: '2030-01-01T00:00:00.000Z',
            clockOffset: null,
            clockOffsetReason: 't',
          },
        };
  return buildResults(o, { mqbenchVersion: 't', scenario: { name: 'acc' }, targetUrl: 'mqtt://a:1883', embedded: false, ...seg } as Parameters<
    typeof buildResults
  >[1]);
}

// 5,000 planned QoS 1 slots to one subscriber each: 2,703 written (20 of them unacked but delivered),
// 2,296 still waiting at the end; one more written message reached nobody and was never acked.
const pressed: Partial<Counters> = {
  planned: 5000,
  sent: 2704,
  acked: 2683,
  deliveredUnacked: 20,
  unconfirmed: 1,
  unsent: 2296,
  waitingAtEnd: 2296,
  waitedSends: 2600,
  lateSends: 2650,
  expected: 2704,
  q1Expected: 2704,
  q1Unconfirmed: 1,
  received: 2703,
  q1Unique: 2703,
};

describe('summary accounting', () => {
  const r = results(pressed, 20, [5, 900, 1800]);
  const m = r.summary.messages;

  it('planned = sent + missed + unsent; the unconfirmed message is not expected, so nothing is lost', () => {
    expect(m).toMatchObject({
      planned: 5000,
      sent: 2704,
      unsent: 2296,
      missedSends: 0,
      unconfirmed: 1,
      accepted: 2703,
      refused: 0,
      expected: 2703,
      lost: 0,
      inflightWindow: 20,
    });
    expect(m.planned).toBe(m.sent + m.missedSends + (m.unsent ?? 0));
    expect(r.summary.byQos['1']).toMatchObject({ expected: 2703, received: 2703, lost: 0, unsent: 0, unconfirmed: 1, refused: 0, ok: true });
  });

  it('says in words what the broker accepted, and marks back-pressure apart from saturation', () => {
    expect(r.summary.verdicts[0]).toBe(
      'Publishing: the broker accepted 2,703 of 5,000 planned messages: it acknowledged more slowly than the planned rate (2,296 still waiting for room when the run or their connection ended); 1 was written but never acknowledged (the connection or session ended) and reached no subscriber; nothing it accepted was lost',
    );
    expect(r.summary.verdicts[1]).toBe('QoS 1: no loss, no duplicates');
    expect(r.summary.backPressure?.reason).toBe(
      'planned rate not reached (broker back-pressure): 2,600 sends left late because they waited for room in the in-flight window (20) or the socket; 2,296 messages were still waiting when the run or their connection ended, the longest for 1,800 ms',
    );
    // 2,650 late sends, but 2,600 of them waited for the broker: the generator was late for 50 (1.8%) only,
    // and without a busy or stalled thread that is not saturation.
    expect(r.generator.saturated).toBe(false);
  });

  it('back-pressure seen by a busy generator says the waits may be its own', () => {
    const agg = new Aggregator(0);
    addCounters(agg.measured, { ...zeroCounters(), ...pressed });
    agg.maxBusyPercent = 95;
    const o = { status: 'complete', agg, startedAt: new Date(0), publishStart: 1, measureFrom: 1000, measureEnd: 6000, workers: 1 } as RunOutcome;
    const busy = buildResults(o, { mqbenchVersion: 't', scenario: { name: 'acc' }, targetUrl: 'mqtt://a:1883', embedded: false });
    expect(busy.summary.backPressure?.reason).toMatch(
      /^planned rate not reached \(broker back-pressure\): .* \(but a worker was busy or stalled: some of the waits may be the generator's\)$/,
    );
  });

  it('a NotSent message is unsent, not sent, and its deliveries are not expected', () => {
    const n = results({
      planned: 10,
      sent: 10,
      notWritten: 2,
      unsent: 0,
      waitingAtEnd: 2,
      expected: 10,
      q0Expected: 10,
      q0Unsent: 2,
      received: 8,
      q0Unique: 8,
    }).summary;
    expect(n.messages).toMatchObject({ planned: 10, sent: 8, unsent: 2, expected: 8, lost: 0 });
    expect(n.byQos['0']).toMatchObject({ expected: 8, unsent: 2, lost: 0 });
  });

  it('no back-pressure mark for a few short waits, and a generator late on its own is still saturated', () => {
    const few = results({
      planned: 1000,
      sent: 1000,
      waitedSends: 5,
      lateSends: 5,
      expected: 1000,
      q1Expected: 1000,
      received: 1000,
      q1Unique: 1000,
      acked: 1000,
    });
    expect(few.summary.backPressure).toBeUndefined();
    expect(few.summary.verdicts.some((v) => v.startsWith('Publishing:'))).toBe(false);
    const missed = results({ planned: 1000, sent: 900, missedSends: 100, lateSends: 600, acked: 900 });
    expect(missed.generator.saturated).toBe(true);
    expect(missed.summary.backPressure).toBeUndefined();
    expect(missed.summary.verdicts[0]).toBe(
      'Publishing: the broker accepted 900 of 1,000 planned messages: the generator missed 100 slots; nothing it accepted was lost',
    );
  });

  it('merges across segments by adding, the window by taking the largest, the longest wait from the histograms', () => {
    const half = (k: keyof Counters) => Math.floor((pressed[k] ?? 0) / 2);
    const a: Partial<Counters> = Object.fromEntries(Object.keys(pressed).map((k) => [k, half(k as keyof Counters)]));
    const b: Partial<Counters> = Object.fromEntries(Object.keys(pressed).map((k) => [k, (pressed[k as keyof Counters] ?? 0) - half(k as keyof Counters)]));
    const merged = mergeResults([
      { path: 'a.json', results: results(a, 20, [5, 900], 0) },
      { path: 'b.json', results: results(b, 10, [1800], 1) },
    ]);
    expect(merged.summary.messages).toEqual(r.summary.messages);
    expect(merged.summary.byQos).toEqual(r.summary.byQos);
    expect(merged.summary.verdicts).toEqual(r.summary.verdicts);
    expect(merged.summary.backPressure).toEqual(r.summary.backPressure);
    expect(merged.summary.latencyMs.unsentWait.max).toBe(r.summary.latencyMs.unsentWait.max);
  });
});

describe('publishVerdict', () => {
  const base: Summary['messages'] = {
    sent: 0,
    acked: 0,
    received: 0,
    expected: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    lateSends: 0,
    missedSends: 0,
    publishErrors: 0,
    foreign: 0,
    unexpected: 0,
    retainedExpected: 0,
    retainedReceived: 0,
    responsesSent: 0,
    responsesReceived: 0,
    notOffered: 0,
    retainedNotOffered: 0,
    notEntitled: 0,
    awayAtEnd: 0,
    extraCopies: 0,
    unverifiable: 0,
  };
  it('is silent when everything planned went out (and was accepted), or when nothing was planned', () => {
    expect(publishVerdict({ ...base, planned: 10, sent: 10, accepted: 10, unsent: 0, unconfirmed: 0, refused: 0 }, {})).toBeNull();
    expect(publishVerdict(base, {})).toBeNull();
  });
  it('names loss of accepted messages, and mixes of QoS 0 and QoS 1/2', () => {
    const q1 = { expected: 10, received: 7, lost: 3, duplicated: 0, outOfOrder: 0, ok: false, verdict: '' };
    expect(publishVerdict({ ...base, planned: 12, sent: 10, accepted: 10, unsent: 2, unconfirmed: 0, refused: 0 }, { '1': q1 })).toBe(
      'Publishing: the broker accepted 10 of 12 planned messages: 2 were due while their client was not connected (or its backlog was full); 3 deliveries of messages it accepted were lost',
    );
    expect(publishVerdict({ ...base, planned: 20, sent: 18, accepted: 8, unsent: 2, waitingAtEnd: 2, unconfirmed: 0, refused: 0 }, {})).toBe(
      'Publishing: of 20 planned messages, 10 were sent at QoS 0 and the broker accepted 8: it acknowledged more slowly than the planned rate (2 still waiting for room when the run or their connection ended); nothing it accepted was lost',
    );
  });
});

describe('backPressureOf', () => {
  const none: LatencySummary = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  it('reads older files (no accounting fields) as no back-pressure', () => {
    expect(backPressureOf({ sent: 100 } as Summary['messages'], undefined)).toBeUndefined();
    expect(backPressureOf({ sent: 100, waitingAtEnd: 1 } as Summary['messages'], none)?.reason).toBe(
      'planned rate not reached (broker back-pressure): 1 message was still waiting when the run or their connection ended',
    );
  });
});

describe('UnackedLog and settleUnacked', () => {
  const layout = { clientBase: [0], counts: [2], base: [0], perClient: [1000], bits: 2000 };
  const sinkLog = () => {
    const calls: string[] = [];
    const sink: UnackedSink = {
      unconfirmed: (measured, e0, e1, e2, at) => calls.push(`unconfirmed ${measured} ${e0}/${e1}/${e2} @${at}`),
      deliveredUnacked: (measured) => calls.push(`delivered ${measured}`),
    };
    return { calls, sink };
  };

  it('settles each row against the bitmap: delivered → accepted, otherwise unconfirmed with its expected deliveries', () => {
    const bitmap = new SeqBitmap(layout);
    bitmap.testAndSet(1, 7);
    const { calls, sink } = sinkLog();
    const log = new UnackedLog(bitmap, sink);
    log.add(1, 7, 0, 2, 0, 1500, true);
    log.add(0, 3, 1, 0, 1, 900, false);
    log.add(0, 5000, 0, 1, 0, 1600, true); // past the layout: no record of a delivery, so not shown accepted
    expect(calls).toEqual([]);
    const rows = log.take();
    expect(rows.length).toBe(3 * UNACKED_FIELDS);
    settleUnacked(rows, bitmap, sink);
    expect(calls).toEqual(['delivered true', 'unconfirmed false 1/0/1 @900', 'unconfirmed true 0/1/0 @1600']);
  });

  it('stays bounded: past its size the oldest row is settled at once, the newest are kept in order', () => {
    const bitmap = new SeqBitmap(layout);
    const { calls, sink } = sinkLog();
    const log = new UnackedLog(bitmap, sink, 100);
    for (let s = 0; s < 250; s++) log.add(0, s, 0, 1, 0, s, true);
    expect(log.size).toBe(100);
    expect(calls).toHaveLength(150);
    expect(calls[0]).toBe('unconfirmed true 0/1/0 @0');
    expect(calls[149]).toBe('unconfirmed true 0/1/0 @149');
    const rows = log.take();
    expect(Array.from({ length: 100 }, (_, k) => rows[k * UNACKED_FIELDS + 1])).toEqual(Array.from({ length: 100 }, (_, k) => 150 + k));
  });
});
