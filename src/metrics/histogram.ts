import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './summary.js';

/** HDR histograms of integer microseconds, 3 significant digits, growing as needed. */
export type Histogram = hdr.Histogram;

export function createHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
  });
}

/** Record a latency given in milliseconds (negative values, from clock steps, count as 0). */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(ms > 0 ? Math.round(ms * 1000) : 0);
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  const h = createHistogram();
  if (encoded) h.add(hdr.decodeFromCompressedBase64(encoded, 32, false));
  return h;
}

/** Merge by adding counts: the only correct way to combine percentiles from many sources. */
export function addEncoded(into: Histogram, encoded: string): void {
  if (encoded) into.add(hdr.decodeFromCompressedBase64(encoded, 32, false));
}

let warmed = false;

/**
 * Runs the codec once on a throw-away histogram (values from 1 µs to 60 s): its first use compiles the
 * encoder and decoder and sets up zlib (10-30 ms on this machine), which would otherwise land on the first
 * snapshot a run sends and reads, at the end of the connect phase. Start-up work: called before the
 * connect barrier (a worker before 'ready', the coordinator while its threads start).
 */
export function warmHistogramCodec(): void {
  if (warmed) return;
  warmed = true;
  const h = createHistogram();
  for (let us = 1; us < 60_000_000; us *= 3) h.recordValue(us);
  addEncoded(createHistogram(), encodeHistogram(h));
}

const ms = (us: number) => us / 1000;

export function summarize(h: Histogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    count,
    min: ms(h.getValueAtPercentile(0)),
    mean: ms(h.mean),
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
  };
}
