/**
 * Per-second series of a distributed run. Every segment counts `t` from the same shared publishing start
 * (--start-at), so rows with the same `t` cover the same wall-clock second and add up. Rows of the connect
 * phase (t ≤ 0) count from each segment's own connect barrier and are only aligned to the nearest second.
 */
import { addEncoded, createHistogram, encodeHistogram, summarize } from './histogram.js';
import type { IntervalRow } from './resultsFile.js';
import type { Phase } from './snapshot.js';

const PHASE_ORDER: Phase[] = ['connect', 'warmup', 'measure', 'drain', 'close'];

export function mergeIntervals(series: IntervalRow[][]): IntervalRow[] {
  const byT = new Map<number, IntervalRow[]>();
  for (const rows of series) for (const r of rows) byT.set(r.t, [...(byT.get(r.t) ?? []), r]);
  let lostSoFar = 0;
  return [...byT.keys()]
    .sort((a, b) => a - b)
    .map((t) => {
      const row = mergeRows(t, byT.get(t)!);
      lostSoFar += row.lost;
      row.lostSoFar = lostSoFar;
      return row;
    });
}

const sum = (rows: IntervalRow[], pick: (r: IntervalRow) => number) => rows.reduce((n, r) => n + (pick(r) ?? 0), 0);

function mergeRows(t: number, rows: IntervalRow[]): IntervalRow {
  let phase: Phase = 'connect';
  for (const r of rows) if (PHASE_ORDER.indexOf(r.phase) > PHASE_ORDER.indexOf(phase)) phase = r.phase;
  // Loss per second is exact only from the raw counts (a publisher's expected and a subscriber's
  // arrivals are in different shards); older shards without them fall back to adding `lost`.
  const raw = rows.every((r) => r.intendedExpected !== undefined && r.intendedUnique !== undefined);
  const expectedIntended = raw ? sum(rows, (r) => r.intendedExpected!) : 0;
  const uniqueIntended = raw ? sum(rows, (r) => r.intendedUnique!) : 0;
  const out: IntervalRow = {
    t,
    phase,
    sent: sum(rows, (r) => r.sent),
    received: sum(rows, (r) => r.received),
    acked: sum(rows, (r) => r.acked),
    expected: sum(rows, (r) => r.expected),
    lateSends: sum(rows, (r) => r.lateSends),
    connections: sum(rows, (r) => r.connections),
    endToEndP50: null,
    endToEndP99: null,
    lost: raw ? Math.max(0, expectedIntended - uniqueIntended) : sum(rows, (r) => r.lost),
    lostSoFar: 0,
  };
  const withLatency = rows.filter((r) => r.endToEndP50 !== null);
  if (rows.every((r) => r.endToEndHdr !== undefined)) {
    const h = createHistogram();
    for (const r of rows) addEncoded(h, r.endToEndHdr!);
    if (h.totalCount > 0) {
      const s = summarize(h);
      out.endToEndP50 = s.p50;
      out.endToEndP99 = s.p99;
    }
    out.endToEndHdr = encodeHistogram(h);
  } else if (withLatency.length === 1) {
    // Only one shard had samples this second: its percentiles are the merged ones.
    out.endToEndP50 = withLatency[0].endToEndP50;
    out.endToEndP99 = withLatency[0].endToEndP99;
  }
  const otherRuns = sum(rows, (r) => r.otherRuns ?? 0);
  if (otherRuns > 0) out.otherRuns = otherRuns;
  if (raw) {
    out.intendedExpected = expectedIntended;
    out.intendedUnique = uniqueIntended;
  }
  return out;
}
