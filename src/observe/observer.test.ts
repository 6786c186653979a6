import { describe, expect, it } from 'vitest';
import { FakeClock } from '../shared/fakeClock.js';
import type { Driver } from '../driver/driver.js';
import { startObserver } from './observer.js';
import type { Reading, Source } from './types.js';

const T0 = 1_000_000;
const intervalOf = (ms: number) => Math.floor((ms - T0) / 1000);
const flush = () => new Promise<void>((r) => setImmediate(r));

/** A source that counts 1 CPU-second per second of fake time and remembers when it was read. */
function fakeSource(clock: FakeClock, over: Partial<Source> = {}): Source & { readsAt: number[] } {
  const readsAt: number[] = [];
  return {
    kind: 'pid',
    target: 'fake',
    notes: ['a note'],
    readsAt,
    async read(): Promise<Reading> {
      readsAt.push(clock.now());
      return { atMs: clock.now(), gauges: { rssBytes: 1000 }, counters: { cpuSeconds: (clock.now() - T0) / 1000 } };
    },
    close: async () => {},
    ...over,
  };
}

async function advance(clock: FakeClock, ms: number) {
  for (let i = 0; i < ms / 100; i++) {
    clock.advance(100);
    await flush();
  }
}

describe('startObserver', () => {
  it('reads at start, then just after each second of the run begins, and merges per second', async () => {
    const clock = new FakeClock(T0 + 300);
    const src = fakeSource(clock);
    const obs = await startObserver({ clock, intervalOf, sources: [src] });
    await advance(clock, 3000);
    const o = await obs.stop();
    [T0 + 300, T0 + 1005, T0 + 2005, T0 + 3005].forEach((want, i) => expect(src.readsAt[i]).toBeCloseTo(want, 2));
    for (const r of o.intervals.filter((x) => x.t >= 1 && x.t <= 2)) expect(r.cpuCores).toBeCloseTo(1, 9);
    expect(o.sources[0]).toMatchObject({
      kind: 'pid',
      target: 'fake',
      ok: true,
      failures: 0,
      skipped: 0,
      notes: ['a note'],
      fields: ['cpuSeconds', 'rssBytes'],
    });
    expect(o.readings[0].map((r) => r.t).slice(0, 4)).toEqual([0, 1, 2, 3]);
  });

  it("keeps a failing source's first error and goes on with the others; never throws", async () => {
    const clock = new FakeClock(T0);
    let n = 0;
    const bad = fakeSource(clock, { kind: 'prometheus', target: 'bad', read: async () => Promise.reject(new Error(`scrape ${++n} failed`)) });
    const good = fakeSource(clock);
    const obs = await startObserver({ clock, intervalOf, sources: [bad, good] });
    await advance(clock, 2000);
    const o = await obs.stop();
    expect(o.sources[0]).toMatchObject({ ok: false, error: 'scrape 1 failed', readings: 0 });
    expect(o.sources[0].failures).toBeGreaterThanOrEqual(3);
    expect(o.sources[1]).toMatchObject({ ok: true });
    expect(o.sources[1].readings).toBeGreaterThanOrEqual(3);
  });

  it('reports sources that cannot start (bad Prometheus options, a refused $SYS connection) without throwing', async () => {
    const clock = new FakeClock(T0);
    const refused: Driver = {
      name: 'refusing',
      connect: () => Promise.reject(new Error('ECONNREFUSED')),
      newSession: () => {
        throw new Error('the $SYS source keeps no outbound session');
      },
    };
    const obs = await startObserver({
      clock,
      intervalOf,
      prometheus: { url: 'http://u:secret@127.0.0.1:1/metrics', preset: 'nope' },
      sys: { url: 'mqtt://u:secret@127.0.0.1:1', driver: refused },
    });
    const o = await obs.stop();
    expect(o.sources.map((s) => [s.kind, s.ok])).toEqual([
      ['prometheus', false],
      ['sys', false],
    ]);
    expect(o.sources[0].error).toMatch(/unknown metrics preset "nope"; available: emqx, rabbitmq, node_exporter, process/);
    expect(o.sources[1].error).toBe('ECONNREFUSED');
    expect(JSON.stringify(o.sources)).not.toContain('secret');
  });

  it('skips a tick while the previous read of a source still runs, and measures what reads cost', async () => {
    const clock = new FakeClock(T0);
    const slow = fakeSource(clock, {
      read: () => new Promise<Reading>((resolve) => clock.setTimeout(() => resolve({ atMs: clock.now(), gauges: { fds: 1 }, counters: {} }), 1500)),
    });
    const started = startObserver({ clock, intervalOf, sources: [slow] });
    await advance(clock, 1600);
    const obs = await started;
    await advance(clock, 3000);
    const stopping = obs.stop();
    await advance(clock, 5000); // the read in progress, then the last one
    const o = await stopping;
    expect(o.sources[0].skipped).toBeGreaterThan(0);
    // the fake clock moves in 100 ms steps, so the loop sees a 1,500 ms read end up to 100 ms late
    expect(o.sources[0].costMs.max).toBeGreaterThanOrEqual(1500);
    expect(o.sources[0].costMs.max).toBeLessThan(1600);
  });

  it('waits at stop for a last reading from a source that has nothing new yet (e.g. the next $SYS batch)', async () => {
    const clock = new FakeClock(T0);
    let ready = true;
    const sys = fakeSource(clock, {
      kind: 'sys',
      read: async () => (ready ? ((ready = false), { atMs: clock.now(), gauges: {}, counters: { messagesReceived: clock.now() } }) : null),
    });
    const obs = await startObserver({ clock, intervalOf, sources: [sys] });
    const stopping = obs.stop();
    await advance(clock, 500);
    ready = true;
    await advance(clock, 200);
    const o = await stopping;
    // polled every 100 ms after stop: the values that came between 500 and 600 ms are read at 600
    expect(o.readings[0].map((r) => r.counters.messagesReceived)).toEqual([T0, T0 + 600]);
  });

  it('says a source that never gave values is not ok', async () => {
    const clock = new FakeClock(T0);
    const silent = fakeSource(clock, { kind: 'sys', read: async () => null });
    const started = startObserver({ clock, intervalOf, sources: [silent], readyWithinMs: 500, finalWithinMs: 500 });
    await advance(clock, 600);
    const obs = await started;
    const stopping = obs.stop();
    await advance(clock, 1000);
    const o = await stopping;
    expect(o.sources[0]).toMatchObject({ ok: false, readings: 0, failures: 0 });
    expect(o.sources[0].error).toMatch(/gave no values \(does the broker publish \$SYS topics/);
  });
});
