/**
 * Live metrics in the Prometheus text format (prom-client, private Registry): the run's cumulative
 * counters, a few gauges, and the latency histograms, fed from the coordinator's Aggregator about once
 * a second. Knows nothing about HTTP: src/cli serves `metrics()` on a port.
 *
 * Counters come from the `all` counters (warm-up included), so rate() shows what is happening now; which
 * counters are exported, under which names, is the metrics catalogue's (metrics/catalogue.ts).
 * Latency histograms and quantiles come from the aggregator's HDR histograms, which hold the
 * *measured* messages only (after the warm-up), like the results' summary.
 */
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { Aggregator } from '../metrics/aggregate.js';
import { PROMETHEUS_COUNTERS } from '../metrics/catalogue.js';
import type { Counters } from '../metrics/counterFields.js';
import { zeroCounters } from '../metrics/counters.js';
import { HISTOGRAM_KEYS, type HistogramKey } from '../metrics/histogramKeys.js';
import type { IntervalView, RunResult } from '../metrics/outcome.js';
import type { Phase } from '../metrics/snapshot.js';
import { HISTOGRAM_CATALOGUE } from '../metrics/summaryCatalogue.js';
import { setBrokerGauges } from './promBroker.js';
import { bucketDelta, emptyBuckets, HdrFedHistogram, hdrBuckets, type BucketCounts } from './promHistogram.js';
import type { Reporter } from './reporter.js';

export type RunPhase = 'starting' | Phase | 'done';
export const RUN_PHASES: readonly RunPhase[] = ['starting', 'connect', 'warmup', 'measure', 'drain', 'close', 'done'];

/** HistogramKey → the `kind` label (Prometheus label values are snake_case by custom): from the catalogue. */
export const LATENCY_KINDS: Record<HistogramKey, string> = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, HISTOGRAM_CATALOGUE[k].prometheusKind])) as Record<
  HistogramKey,
  string
>;

const QUANTILES: [string, number][] = [
  ['0.5', 50],
  ['0.9', 90],
  ['0.99', 99],
  ['0.999', 99.9],
];

export interface RunInfo {
  scenario: string;
  /** Broker URL without credentials. */
  target: string;
  version: string;
}

export class PrometheusExporter implements Reporter {
  readonly registry = new Registry();
  private readonly counters: [Counter, keyof Counters][];
  private readonly open: Gauge;
  private readonly awaiting: Gauge;
  private readonly phase: Gauge<'phase'>;
  private readonly loopDelay: Gauge;
  private readonly busy: Gauge;
  private readonly quantiles: Gauge<'kind' | 'quantile'>;
  private readonly latency: HdrFedHistogram;
  /** The aggregator last seen and its cumulative figures then (deltas are taken against these). */
  private source: Aggregator | null = null;
  private lastCounters: Counters = zeroCounters();
  private lastBuckets = new Map<HistogramKey, BucketCounts>();

  constructor(info: RunInfo) {
    const registers = [this.registry];
    this.counters = PROMETHEUS_COUNTERS.map(({ name, key, help }) => [new Counter({ name: `mqbench_${name}_total`, help, registers }), key]);
    this.open = new Gauge({ name: 'mqbench_open_connections', help: 'Connections open now.', registers });
    this.awaiting = new Gauge({
      name: 'mqbench_messages_awaiting',
      help: 'Expected deliveries not received yet (expected - unique received): in flight plus lost while the run goes on; after the drain, the loss.',
      registers,
    });
    this.phase = new Gauge({ name: 'mqbench_run_phase', help: "The run's phase: 1 for the current one, 0 for the others.", labelNames: ['phase'], registers });
    this.loopDelay = new Gauge({
      name: 'mqbench_generator_event_loop_delay_max_seconds',
      help: 'Largest worker event-loop delay while publishing (generator self-check).',
      registers,
    });
    this.busy = new Gauge({
      name: 'mqbench_generator_busy_max_ratio',
      help: 'Largest share of one CPU a worker thread used in an interval while publishing (1 = saturated).',
      registers,
    });
    this.quantiles = new Gauge({
      name: 'mqbench_latency_seconds',
      help: 'Latency quantiles over the measured window so far (HDR histograms, warm-up excluded).',
      labelNames: ['kind', 'quantile'],
      registers,
    });
    const runInfo = new Gauge({
      name: 'mqbench_run_info',
      help: 'The run: scenario, broker URL and mqbench version.',
      labelNames: ['scenario', 'target', 'version'],
      registers,
    });
    runInfo.set({ scenario: info.scenario, target: info.target, version: info.version }, 1);
    this.latency = new HdrFedHistogram(
      'mqbench_latency_histogram_seconds',
      'Latency distribution over the measured window so far (warm-up excluded), from the HDR histograms.',
      'kind',
    );
    this.registry.registerMetric(this.latency as unknown as Metric);
    for (const key of HISTOGRAM_KEYS) this.latency.add(LATENCY_KINDS[key], emptyBuckets(this.latency.bounds)); // series exist from the start
    this.setPhase('starting');
  }

  /** As a run Reporter: every interval view; the final one (every last snapshot in) sets the phase to done. */
  onInterval(view: IntervalView): void {
    this.update(view.agg, view.final ? 'done' : undefined);
  }

  /** As a run Reporter: the results are built; the broker's figures (when the run watched it) become gauges. */
  onEnd(result: RunResult): void {
    if (result.results.broker) setBrokerGauges(this.registry, result.results.broker);
  }

  /** Takes the aggregator's growth since the last call; a new aggregator instance counts from zero. */
  update(agg: Aggregator, phase?: RunPhase): void {
    if (agg !== this.source) {
      this.source = agg;
      this.lastCounters = zeroCounters();
      this.lastBuckets.clear();
    }
    for (const [counter, key] of this.counters) {
      const delta = agg.all[key] - this.lastCounters[key];
      if (delta > 0) counter.inc(delta);
    }
    this.lastCounters = { ...agg.all };
    this.open.set(agg.openConnections());
    this.awaiting.set(Math.max(0, agg.all.expected - (agg.all.received - agg.all.duplicated)));
    this.loopDelay.set(agg.maxEventLoopDelayMs / 1000);
    this.busy.set(agg.maxBusyPercent / 100);
    for (const key of HISTOGRAM_KEYS) {
      const h = agg.histograms[key];
      const now = hdrBuckets(h, this.latency.bounds);
      this.latency.add(LATENCY_KINDS[key], bucketDelta(now, this.lastBuckets.get(key)));
      this.lastBuckets.set(key, now);
      if (h.totalCount === 0) continue;
      for (const [quantile, percentile] of QUANTILES) {
        this.quantiles.set({ kind: LATENCY_KINDS[key], quantile }, h.getValueAtPercentile(percentile) / 1e6);
      }
    }
    this.setPhase(phase ?? agg.latest()?.phase ?? 'connect');
  }

  setPhase(current: RunPhase): void {
    for (const p of RUN_PHASES) this.phase.set({ phase: p }, p === current ? 1 : 0);
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
