import { describe, expect, it } from 'vitest';
import { Aggregator } from '../metrics/aggregate.js';
import { zeroCounters } from '../metrics/counters.js';
import { createHistogram, encodeHistogram, recordMs } from '../metrics/histogram.js';
import type { IntervalView } from '../metrics/outcome.js';
import { HISTOGRAM_KEYS, type Counters, type Snapshot } from '../metrics/types.js';
import { createProgressReporter, formatProgress, progressInfo, progressReporter, type ProgressInfo } from './progress.js';

function info(over: Partial<ProgressInfo> = {}): ProgressInfo {
  return {
    phase: 'measure',
    elapsedSec: 12.7,
    totalSec: 30,
    connections: { open: 1000, planned: 1000, failed: 0 },
    sentPerSec: 2000,
    receivedPerSec: 1999.8,
    awaiting: 0,
    lateSends: 0,
    endToEndP99Ms: 1.2449,
    ...over,
  };
}

class Sink {
  chunks: string[] = [];
  write(s: string): boolean {
    this.chunks.push(s);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

describe('formatProgress', () => {
  it('renders one compact line', () => {
    expect(formatProgress(info())).toBe('[12s/30s measure] conn 1,000/1,000 (0 failed) | sent 2,000/s recv 2,000/s | e2e p99 1.24 ms | awaiting 0 | late 0');
  });
  it('pads elapsed seconds to the width of the total', () => {
    expect(formatProgress(info({ elapsedSec: 3, totalSec: 120 }))).toMatch(/^\[ {2}3s\/120s measure\]/);
  });
  it('shows failures, losses, late sends and a missing p99', () => {
    const line = formatProgress(
      info({
        phase: 'connect',
        elapsedSec: 0,
        connections: { open: 480, planned: 2000, failed: 20 },
        sentPerSec: 0,
        receivedPerSec: 0,
        awaiting: 1234,
        lateSends: 5,
        endToEndP99Ms: null,
      }),
    );
    expect(line).toBe('[ 0s/30s connect] conn 480/2,000 (20 failed) | sent 0/s recv 0/s | e2e p99 – | awaiting 1,234 | late 5');
    expect(line).not.toContain('\n');
  });
});

describe('createProgressReporter', () => {
  it('rewrites one line in place on a TTY and ends it on done()', () => {
    const out = new Sink();
    const r = createProgressReporter(out, { tty: true, quiet: false, now: () => 0 });
    r.update(info({ elapsedSec: 1 }));
    r.update(info({ elapsedSec: 2 }));
    r.update(info({ elapsedSec: 3 }));
    expect(out.chunks).toHaveLength(3);
    for (const chunk of out.chunks) {
      expect(chunk.startsWith('\r\x1b[2K')).toBe(true);
      expect(chunk).not.toContain('\n');
    }
    expect(out.chunks[2]).toContain('[ 3s/30s measure]');
    r.done();
    expect(out.text.endsWith('\n')).toBe(true);
    r.update(info());
    r.done();
    expect(out.chunks).toHaveLength(4);
  });

  it('cuts in-place lines to the terminal width', () => {
    const out = new Sink();
    const r = createProgressReporter(out, { tty: true, quiet: false, columns: 40 });
    r.update(info());
    expect(out.chunks[0].length - '\r\x1b[2K'.length).toBeLessThan(40);
    expect(out.chunks[0].endsWith('…')).toBe(true);
  });

  it('writes full lines at most every 5 s without a TTY (first update always)', () => {
    let clock = 1_000_000;
    const out = new Sink();
    const r = createProgressReporter(out, { tty: false, quiet: false, now: () => clock });
    r.update(info({ elapsedSec: 0 }));
    for (let s = 1; s <= 12; s++) {
      clock += 1000;
      r.update(info({ elapsedSec: s }));
    }
    r.done();
    expect(out.chunks.map((c) => c.slice(0, 5))).toEqual(['[ 0s/', '[ 5s/', '[10s/']);
    for (const chunk of out.chunks) {
      expect(chunk.endsWith('\n')).toBe(true);
      expect(chunk).not.toContain('\r');
      expect(chunk).not.toContain('\x1b');
    }
  });

  it('behaves like a log on a TTY when quiet', () => {
    let clock = 0;
    const out = new Sink();
    const r = createProgressReporter(out, { tty: true, quiet: true, now: () => clock });
    r.update(info());
    clock = 4999;
    r.update(info());
    clock = 5000;
    r.update(info());
    r.done();
    expect(out.chunks).toHaveLength(2);
    expect(out.text).not.toContain('\x1b');
  });
});

/** A worker snapshot at `at` with these cumulative (all) counters and e2e samples (ms). */
function snap(at: number, workerIndex: number, all: Partial<Counters>, e2eMs: number[] = [], open = 5): Snapshot {
  const hs = Object.fromEntries(
    HISTOGRAM_KEYS.map((k) => {
      const h = createHistogram();
      if (k === 'endToEnd') for (const v of e2eMs) recordMs(h, v);
      return [k, encodeHistogram(h)];
    }),
  ) as Snapshot['measuredHistograms'];
  const c = { ...zeroCounters(), ...all };
  return {
    workerIndex,
    at,
    phase: 'measure',
    all: c,
    measured: c,
    intervalHistograms: hs,
    measuredHistograms: hs,
    connectErrors: {},
    eventLoopDelayMaxMs: 1,
    eventLoopDelayP99Ms: 1,
    busyMs: 100,
    intervalMs: 1000,
    openConnections: open,
    byIntendedSecond: [],
  };
}

describe('progressInfo: the progress line from an interval view', () => {
  it("adds up the workers: open connections, the last second's rates, awaiting = expected (less withdrawn) − unique received", () => {
    const agg = new Aggregator(0);
    agg.add(snap(1000, 0, { sent: 100, q1Expected: 320, q1Unsent: 20, received: 250, duplicated: 10, lateSends: 2, connFailed: 1 }, [1, 2, 3]));
    agg.add(snap(1000, 1, { sent: 50, received: 40 }, [], 7));
    const view: IntervalView = { at: 1000, phase: 'measure', elapsedSec: 1, totalSec: 3, plannedClients: 13, agg, final: false };
    const p = progressInfo(view);
    expect(p).toMatchObject({ phase: 'measure', elapsedSec: 1, totalSec: 3, sentPerSec: 150, receivedPerSec: 290, awaiting: 300 - (290 - 10), lateSends: 2 });
    expect(p.connections).toEqual({ open: 12, planned: 13, failed: 1 });
    expect(p.endToEndP99Ms).toBeCloseTo(3, 1);
  });

  it("a subscriber of other runs' messages (mqbench sub) shows them in its receive rate", () => {
    const agg = new Aggregator(0);
    agg.add(snap(1000, 0, { otherRuns: 70, received: 5 }, [1]));
    const view: IntervalView = { at: 1000, phase: 'measure', elapsedSec: 1, totalSec: 3, plannedClients: 1, agg, final: false };
    expect(progressInfo(view)).toMatchObject({ receivedPerSec: 75, awaiting: 0 });
    expect(agg.intervals()[0]).toMatchObject({ received: 5, otherRuns: 70 });
  });

  it("before any snapshot: the view's phase, nothing sent, no p99", () => {
    const view: IntervalView = { at: 0, phase: 'connect', elapsedSec: 0, totalSec: 3, plannedClients: 4, agg: new Aggregator(0), final: false };
    expect(progressInfo(view)).toMatchObject({ phase: 'connect', sentPerSec: 0, endToEndP99Ms: null, connections: { open: 0, planned: 4, failed: 0 } });
  });

  it('as a Reporter: a line per view, ended by the final view', () => {
    const out = new Sink();
    const r = progressReporter(out, { tty: true, quiet: false });
    const agg = new Aggregator(0);
    const view = (final: boolean): IntervalView => ({ at: 0, phase: 'connect', elapsedSec: 0, totalSec: 3, plannedClients: 4, agg, final });
    r.onInterval!(view(false));
    expect(out.text).toMatch(/^\r\x1b\[2K\[0s\/3s connect\] conn 0\/4/);
    r.onInterval!(view(true));
    expect(out.text.endsWith('\n')).toBe(true);
    r.onInterval!(view(false)); // nothing after the end
    expect(out.chunks).toHaveLength(2);
  });
});
