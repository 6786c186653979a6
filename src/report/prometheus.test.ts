import { describe, expect, it } from 'vitest';
import { Aggregator } from '../metrics/aggregate.js';
import { zeroCounters } from '../metrics/counters.js';
import { createHistogram, encodeHistogram, recordMs } from '../metrics/histogram.js';
import { HISTOGRAM_KEYS, type Counters, type HistogramKey, type Phase, type Snapshot } from '../metrics/types.js';
import { LATENCY_BUCKETS_SECONDS } from './promHistogram.js';
import { PrometheusExporter } from './prometheus.js';

/** A worker snapshot with the given counters and latencies (ms) per histogram key. */
function snap(at: number, phase: Phase, counts: Partial<Counters>, latMs: Partial<Record<HistogramKey, number[]>> = {}, open = 10): Snapshot {
  const hs = Object.fromEntries(
    HISTOGRAM_KEYS.map((k) => {
      const h = createHistogram();
      for (const v of latMs[k] ?? []) recordMs(h, v);
      return [k, encodeHistogram(h)];
    }),
  ) as Snapshot['measuredHistograms'];
  const c = { ...zeroCounters(), ...counts };
  return {
    workerIndex: 0,
    at,
    phase,
    all: c,
    measured: c,
    intervalHistograms: hs,
    measuredHistograms: hs,
    connectErrors: {},
    eventLoopDelayMaxMs: 12,
    eventLoopDelayP99Ms: 1,
    busyMs: 400,
    intervalMs: 1000,
    openConnections: open,
    byIntendedSecond: [],
  };
}

/** The sample value of one series in the exposition text, e.g. value(t, 'mqbench_messages_sent_total'). */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no series ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

const info = { scenario: 'unit', target: 'mqtt://127.0.0.1:1883', version: '0.0.0' };
const e2eFirst = [0.05, 0.2, 0.2, 0.7, 3, 40, 900]; // ms: spread over several buckets, none near a bound
const e2eSecond = [0.3, 0.3, 12_000]; // 12 s lands in +Inf

describe('PrometheusExporter', () => {
  it('exposes the cumulative counters and gauges of the aggregator', async () => {
    const agg = new Aggregator(0);
    agg.add(
      snap(1000, 'measure', {
        connAttempted: 12,
        connSucceeded: 10,
        connFailed: 2,
        sent: 500,
        acked: 490,
        expected: 500,
        received: 480,
        duplicated: 3,
        lateSends: 7,
        outOfOrder: 1,
      }),
    );
    const ex = new PrometheusExporter(info);
    ex.update(agg);
    const t = await ex.metrics();
    expect(value(t, 'mqbench_connections_attempted_total')).toBe(12);
    expect(value(t, 'mqbench_connections_failed_total')).toBe(2);
    expect(value(t, 'mqbench_messages_sent_total')).toBe(500);
    expect(value(t, 'mqbench_messages_received_total')).toBe(480);
    expect(value(t, 'mqbench_messages_out_of_order_total')).toBe(1);
    expect(value(t, 'mqbench_late_sends_total')).toBe(7);
    expect(value(t, 'mqbench_open_connections')).toBe(10);
    expect(value(t, 'mqbench_messages_awaiting')).toBe(500 - (480 - 3));
    expect(value(t, 'mqbench_generator_event_loop_delay_max_seconds')).toBeCloseTo(0.012, 6);
    expect(value(t, 'mqbench_run_phase{phase="measure"}')).toBe(1);
    expect(value(t, 'mqbench_run_phase{phase="connect"}')).toBe(0);
    expect(t).toContain('# TYPE mqbench_messages_sent_total counter');
    expect(t).toContain('mqbench_run_info{scenario="unit",target="mqtt://127.0.0.1:1883",version="0.0.0"} 1');

    agg.add(snap(2000, 'drain', { sent: 100, received: 117 }));
    ex.update(agg);
    ex.update(agg); // a tick without news adds nothing
    const t2 = await ex.metrics();
    expect(value(t2, 'mqbench_messages_sent_total')).toBe(600);
    expect(value(t2, 'mqbench_messages_received_total')).toBe(597);
    expect(value(t2, 'mqbench_run_phase{phase="drain"}')).toBe(1);
    ex.update(agg, 'done');
    expect(value(await ex.metrics(), 'mqbench_run_phase{phase="done"}')).toBe(1);
  });

  it('as a run Reporter: interval views feed it, the final view marks the run done', async () => {
    const agg = new Aggregator(0);
    agg.add(snap(1000, 'measure', { sent: 40 }));
    const ex = new PrometheusExporter(info);
    const view = (final: boolean) => ({ at: 1000, phase: 'measure' as const, elapsedSec: 1, totalSec: 2, plannedClients: 10, agg, final });
    ex.onInterval(view(false));
    let t = await ex.metrics();
    expect(value(t, 'mqbench_messages_sent_total')).toBe(40);
    expect(value(t, 'mqbench_run_phase{phase="measure"}')).toBe(1);
    agg.add(snap(2000, 'drain', { sent: 2 }));
    ex.onInterval(view(true));
    t = await ex.metrics();
    expect(value(t, 'mqbench_messages_sent_total')).toBe(42);
    expect(value(t, 'mqbench_run_phase{phase="done"}')).toBe(1);
    expect(value(t, 'mqbench_run_phase{phase="drain"}')).toBe(0);
  });

  it('turns the HDR data into consistent _bucket, _count and _sum series, tick after tick', async () => {
    const agg = new Aggregator(0);
    const ex = new PrometheusExporter(info);
    agg.add(snap(1000, 'measure', {}, { endToEnd: e2eFirst, connect: [1.5, 2.5] }));
    ex.update(agg);
    agg.add(snap(2000, 'measure', {}, { endToEnd: e2eSecond }));
    ex.update(agg);
    const t = await ex.metrics();
    const all = [...e2eFirst, ...e2eSecond];
    const kind = 'kind="end_to_end"';
    for (const le of LATENCY_BUCKETS_SECONDS) {
      const want = all.filter((ms) => ms / 1000 <= le).length;
      expect(value(t, `mqbench_latency_histogram_seconds_bucket{${kind},le="${le}"}`), `le ${le}`).toBe(want);
    }
    expect(value(t, `mqbench_latency_histogram_seconds_bucket{${kind},le="+Inf"}`)).toBe(all.length);
    expect(value(t, `mqbench_latency_histogram_seconds_count{${kind}}`)).toBe(agg.histograms.endToEnd.totalCount);
    const sum = value(t, `mqbench_latency_histogram_seconds_sum{${kind}}`);
    expect(sum).toBeCloseTo((agg.histograms.endToEnd.mean * all.length) / 1e6, 4);
    expect(sum).toBeCloseTo(all.reduce((a, b) => a + b, 0) / 1000, 1); // HDR keeps 3 significant digits
    expect(value(t, 'mqbench_latency_histogram_seconds_count{kind="connect"}')).toBe(2);
    expect(value(t, 'mqbench_latency_histogram_seconds_count{kind="publish_ack"}')).toBe(0);
    expect(t).toContain('# TYPE mqbench_latency_histogram_seconds histogram');
  });

  it('publishes quantile gauges from the cumulative HDR, only for kinds with samples', async () => {
    const agg = new Aggregator(0);
    const ex = new PrometheusExporter(info);
    agg.add(snap(1000, 'measure', {}, { endToEnd: Array.from({ length: 1000 }, (_, i) => (i + 1) / 10) })); // 0.1 … 100 ms
    ex.update(agg);
    const t = await ex.metrics();
    const q = (quantile: string) => value(t, `mqbench_latency_seconds{kind="end_to_end",quantile="${quantile}"}`);
    expect(q('0.5')).toBeCloseTo(0.05, 4);
    expect(q('0.9')).toBeCloseTo(0.09, 4);
    expect(q('0.99')).toBeCloseTo(0.099, 4);
    expect(q('0.999')).toBeCloseTo(0.0999, 4);
    expect(q('0.99')).toBe(agg.histograms.endToEnd.getValueAtPercentile(99) / 1e6);
    expect(t).not.toContain('mqbench_latency_seconds{kind="publish_ack"');
  });

  it('stays monotonic when the source aggregator is replaced (counts from zero again)', async () => {
    const ex = new PrometheusExporter(info);
    const a = new Aggregator(0);
    a.add(snap(1000, 'measure', { sent: 50 }, { endToEnd: [1, 2] }));
    ex.update(a);
    const b = new Aggregator(0);
    b.add(snap(1000, 'measure', { sent: 20 }, { endToEnd: [3] }));
    ex.update(b);
    const t = await ex.metrics();
    expect(value(t, 'mqbench_messages_sent_total')).toBe(70);
    expect(value(t, 'mqbench_latency_histogram_seconds_count{kind="end_to_end"}')).toBe(3);
  });
});
