/**
 * A Prometheus histogram fed from HDR histograms (integer microseconds) instead of one observe() per
 * value: prom-client's Histogram has no weighted observe, and calling it once per message would cost
 * the coordinator ~200k calls a second at 50k msg/s. Here each update walks the HDR's counts array once
 * (~1 ms for one spanning 20 µs to seconds, whatever the message rate) and adds whole counts to `le` buckets.
 *
 * The metric object follows prom-client's registry contract (name, help, type, get(), reset()), so it is
 * rendered by the same Registry as the library's own counters and gauges.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from '../metrics/histogram.js';

/** Upper bounds in seconds, 100 µs … 10 s (1-2.5-5 steps): latencies above 10 s land in +Inf. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Non-cumulative counts per bucket (the last one is +Inf), the total and the sum of values in µs. */
export interface BucketCounts {
  counts: number[];
  count: number;
  sumUs: number;
}

export function emptyBuckets(bounds: readonly number[]): BucketCounts {
  return { counts: new Array<number>(bounds.length + 1).fill(0), count: 0, sumUs: 0 };
}

/**
 * Lowest and median value of each counts-array index, per histogram layout. hdr-histogram-js computes
 * them with Math.pow on every call (~1 µs each: 15 ms for a wide histogram, every second, per key); the
 * mapping depends only on the layout, so it is worked out once, with the library's own functions.
 */
const layouts = new Map<string, { low: number[]; mid: number[] }>();

function indexValues(h: hdr.JsHistogram): { low: number[]; mid: number[] } {
  const key = `${h.unitMagnitude}/${h.subBucketHalfCountMagnitude}`;
  let t = layouts.get(key);
  if (!t) layouts.set(key, (t = { low: [], mid: [] }));
  for (let i = t.low.length; i < h.countsArrayLength; i++) {
    t.low.push(h.valueFromIndex(i));
    t.mid.push(h.medianEquivalentValue(t.low[i]));
  }
  return t;
}

/**
 * Distributes an HDR histogram over `boundsSec`. A recorded value goes to the first bucket whose bound
 * is at or above the lowest value it stands for (HDR keeps 3 significant digits, so a value within 0.1 %
 * of a bound may land on either side of it); the sum uses each value's median equivalent, as HDR's mean.
 * A plain walk over the counts array (hdr-histogram-js's RecordedValuesIterator is ~50x slower).
 */
export function hdrBuckets(h: Histogram, boundsSec: readonly number[]): BucketCounts {
  const out = emptyBuckets(boundsSec);
  if (h.totalCount === 0) return out;
  if (!(h instanceof hdr.JsHistogram)) throw new Error('hdrBuckets needs a JavaScript HDR histogram (useWebAssembly: false)');
  const boundsUs = boundsSec.map((b) => Math.round(b * 1e6));
  const { low, mid } = indexValues(h);
  let b = 0;
  for (let i = 0; i < h.countsArrayLength; i++) {
    const n = h.getCountAtIndex(i);
    if (n === 0) continue;
    while (b < boundsUs.length && low[i] > boundsUs[b]) b++; // indices ascend in value
    out.counts[b] += n;
    out.count += n;
    out.sumUs += mid[i] * n;
  }
  return out;
}

/** `now − before` (both cumulative views of the same growing histogram). */
export function bucketDelta(now: BucketCounts, before: BucketCounts | undefined): BucketCounts {
  if (!before) return now;
  return { counts: now.counts.map((c, i) => c - before.counts[i]), count: now.count - before.count, sumUs: now.sumUs - before.sumUs };
}

interface Sample {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/** A histogram metric with one label, whose series only ever grow by the bucket counts added to them. */
export class HdrFedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private series = new Map<string, BucketCounts>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelName: string,
    readonly bounds: readonly number[] = LATENCY_BUCKETS_SECONDS,
  ) {}

  /** Adds counts (e.g. the growth of a cumulative HDR since the last update) to the series `labelValue`. */
  add(labelValue: string, delta: BucketCounts): void {
    if (delta.count <= 0) {
      if (!this.series.has(labelValue)) this.series.set(labelValue, emptyBuckets(this.bounds));
      return;
    }
    const s = this.series.get(labelValue) ?? emptyBuckets(this.bounds);
    delta.counts.forEach((c, i) => (s.counts[i] += Math.max(0, c)));
    s.count += delta.count;
    s.sumUs += Math.max(0, delta.sumUs);
    this.series.set(labelValue, s);
  }

  /** prom-client calls this when it renders the registry. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    for (const [labelValue, s] of this.series) {
      let cumulative = 0;
      s.counts.forEach((c, i) => {
        cumulative += c;
        const le = i < this.bounds.length ? this.bounds[i] : '+Inf';
        values.push({ metricName: `${this.name}_bucket`, labels: { [this.labelName]: labelValue, le }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_sum`, labels: { [this.labelName]: labelValue }, value: s.sumUs / 1e6 });
      values.push({ metricName: `${this.name}_count`, labels: { [this.labelName]: labelValue }, value: s.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}
