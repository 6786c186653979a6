/**
 * Results fixtures with real HDR histograms, per-second intervals, delivery per QoS and thresholds, for the
 * HTML report tests. Deterministic: the same seed gives the same file. Not a test file itself.
 */
import { createHistogram, encodeHistogram, recordMs, summarize } from '../metrics/histogram.js';
import type { IntervalRow, Results } from '../metrics/types.js';
import type { CapacityResult } from './capacityPoints.js';
import { makeResults } from './fixture.test-helper.js';

/** A small linear congruential generator: uniform numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Log-normal-ish latencies around `medianMs`, with a rare slow tail. */
function latencies(rand: () => number, n: number, medianMs: number, spread: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const normal = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const tail = rand() < 0.002 ? 10 + rand() * 40 : 1;
    out.push(medianMs * Math.exp(spread * normal) * tail);
  }
  return out;
}

function histogramOf(values: number[]): { encoded: string; summary: ReturnType<typeof summarize> } {
  const h = createHistogram();
  for (const v of values) recordMs(h, v);
  return { encoded: encodeHistogram(h), summary: summarize(h) };
}

export interface ReportFixtureOptions {
  seed: number;
  url: string;
  /** Median end-to-end latency in ms. */
  medianMs: number;
  samples?: number;
  seconds?: number;
  lost?: number;
  capacity?: CapacityResult;
}

export function makeReportResults(o: ReportFixtureOptions): Results & { capacity?: CapacityResult } {
  const rand = random(o.seed);
  const n = o.samples ?? 20_000;
  const seconds = o.seconds ?? 20;
  const e2e = histogramOf(latencies(rand, n, o.medianMs, 0.5));
  const e2eRaw = histogramOf(latencies(rand, n, o.medianMs * 0.9, 0.45));
  const ack = histogramOf(latencies(rand, n, o.medianMs * 0.6, 0.4));
  const connect = histogramOf(latencies(rand, 200, 2, 0.3));
  const lost = o.lost ?? 0;
  const r = makeResults({
    target: { url: o.url },
    messages: { sent: n, acked: n, expected: n, received: n - lost, lost },
    latencyMs: { endToEnd: e2e.summary, endToEndUncorrected: e2eRaw.summary, publishAck: ack.summary, connect: connect.summary },
  });
  const rows: IntervalRow[] = [];
  for (let t = -2; t <= seconds; t++) {
    const phase = t < 0 ? 'connect' : t < 2 ? 'warmup' : 'measure';
    const sent = t < 0 ? 0 : Math.round(n / seconds + (rand() - 0.5) * 80);
    const p99 = t < 0 ? null : Number((o.medianMs * (3 + rand() * 2)).toFixed(3));
    rows.push({
      t,
      phase,
      sent,
      received: Math.max(0, sent - (t === 7 ? lost : 0)),
      acked: sent,
      expected: sent,
      lateSends: 0,
      connections: t < 0 ? 100 * (t + 3) : 300,
      endToEndP50: p99 === null ? null : Number((o.medianMs * 1.02).toFixed(3)),
      endToEndP99: p99,
      lost: t === 7 ? lost : 0,
      lostSoFar: t >= 7 ? lost : 0,
    });
  }
  r.intervals = rows;
  r.histograms = {
    connect: connect.encoded,
    publishAck: ack.encoded,
    endToEnd: e2e.encoded,
    endToEndUncorrected: e2eRaw.encoded,
    reconnect: '',
    requestResponse: '',
    unsentWait: '',
    connectFromSlot: '',
  };
  const ok = lost === 0;
  r.summary.byQos = {
    '1': {
      expected: n,
      received: n - lost,
      lost,
      duplicated: 0,
      outOfOrder: 0,
      ok,
      verdict: ok ? 'QoS 1: at least once held: every message arrived' : `QoS 1: at least once BROKEN: ${lost} lost`,
    },
  };
  r.summary.verdicts = [r.summary.byQos['1']?.verdict ?? ''];
  r.thresholds = [
    { expression: 'endToEnd.p99 < 5ms', actual: e2e.summary.p99, ok: e2e.summary.p99 < 5 },
    { expression: 'messages.lost == 0', actual: lost, ok },
  ];
  return o.capacity ? { ...r, capacity: o.capacity } : r;
}

/** A capacity search that met the SLO up to 4,000/s. */
export const CAPACITY_FIXTURE: CapacityResult = {
  slo: ['endToEnd.p99 < 20ms', 'messages.lost == 0'],
  steps: [1000, 2000, 3000, 4000, 5000, 6000].map((rate) => ({
    rate,
    p99: rate <= 3000 ? 2 + rate / 1000 : rate === 4000 ? 12 : rate === 5000 ? 35 : 90,
    lost: rate === 6000 ? 120 : 0,
    ok: rate <= 4000,
  })),
  maxRate: 4000,
  knee: 3500,
};
