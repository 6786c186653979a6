import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatProgress, type ProgressInfo } from './progress.js';

function info(over: Partial<ProgressInfo> = {}): ProgressInfo {
  return {
    phase: 'measure', elapsedSec: 12.7, totalSec: 30,
    connections: { open: 1000, planned: 1000, failed: 0 },
    sentPerSec: 2000, receivedPerSec: 1999.8, awaiting: 0, lateSends: 0, endToEndP99Ms: 1.2449,
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
    expect(formatProgress(info())).toBe(
      '[12s/30s measure] conn 1,000/1,000 (0 failed) | sent 2,000/s recv 2,000/s | e2e p99 1.24 ms | awaiting 0 | late 0',
    );
  });
  it('pads elapsed seconds to the width of the total', () => {
    expect(formatProgress(info({ elapsedSec: 3, totalSec: 120 }))).toMatch(/^\[ {2}3s\/120s measure\]/);
  });
  it('shows failures, losses, late sends and a missing p99', () => {
    const line = formatProgress(info({
      phase: 'connect', elapsedSec: 0, connections: { open: 480, planned: 2000, failed: 20 },
      sentPerSec: 0, receivedPerSec: 0, awaiting: 1234, lateSends: 5, endToEndP99Ms: null,
    }));
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
