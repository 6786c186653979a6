import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startObserver } from '../../src/observe/observer.js';
import { brokerResults } from '../../src/observe/summary.js';
import { systemClock } from '../../src/shared/clock.js';
import { loadInChild } from '../helpers/mqttLoad.js';
import { procFds, procRssBytes, procsInGroup, procTicks } from '../helpers/procfs.js';
import { RABBITMQ_MISSING, rabbitmqAvailable, startRabbitMQ, type RabbitHandle } from '../helpers/rabbitmq.js';

/** The rabbitmq preset against a live RabbitMQ (its Prometheus plugin), checked against the Erlang VM's procfs. */

const available = rabbitmqAvailable();
if (!available) console.warn(RABBITMQ_MISSING);

describe.skipIf(!available)('observing RabbitMQ through rabbitmq_prometheus', () => {
  let rabbit: RabbitHandle;
  let beam = 0;
  beforeAll(async () => {
    rabbit = await startRabbitMQ();
    [beam] = procsInGroup(rabbit.process.pid!, 'beam.smp');
  }, 60_000);
  afterAll(async () => {
    await rabbit?.stop();
  });

  it('memory, fds and message counters agree with procfs and with what was sent and received; its CPU figure is user time only', async () => {
    expect(beam).toBeGreaterThan(0);
    const t0 = Date.now();
    const intervalOf = (ms: number) => Math.floor((ms - t0) / 1000);
    const before = procTicks(beam);
    // RabbitMQ may still be serving figures it read before the observer started: keep procfs's view from then too.
    const [rssBefore, fdsBefore] = [procRssBytes(beam), procFds(beam)];
    const obs = await startObserver({
      pid: beam,
      prometheus: { url: `http://127.0.0.1:${rabbit.prometheusPort}/metrics`, preset: 'rabbitmq' },
      clock: systemClock,
      intervalOf,
    });
    const load = await loadInChild(rabbit.url, { topic: 'obs/rabbit', qos: 1, seconds: 3, max: 20_000 });
    const o = await obs.stop();
    const after = procTicks(beam);
    const [rss, fds] = [procRssBytes(beam), procFds(beam)];

    expect(o.sources.map((s) => [s.kind, s.ok, s.error])).toEqual([
      ['pid', true, undefined],
      ['prometheus', true, undefined],
    ]);
    const prom = o.readings[1];
    const last = prom[prom.length - 1];
    const pid = o.readings[0];
    // RabbitMQ's own figures come from the same kernel but are refreshed only every few seconds (its memory
    // monitor, its fd count): each lies within what procfs read over the run, not necessarily at the same moment.
    const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)];
    const [rssLo, rssHi] = range([rssBefore, ...pid.map((r) => r.gauges.rssBytes!)]);
    const [fdLo, fdHi] = range([fdsBefore, ...pid.map((r) => r.gauges.fds!)]);
    for (const r of prom) {
      expect(r.gauges.rssBytes!).toBeGreaterThanOrEqual(rssLo * 0.95);
      expect(r.gauges.rssBytes!).toBeLessThanOrEqual(rssHi * 1.05);
      expect(r.gauges.fds!).toBeGreaterThanOrEqual(fdLo - 4);
      expect(r.gauges.fds!).toBeLessThanOrEqual(fdHi + 4);
    }
    expect(Math.abs(pid[pid.length - 1].gauges.rssBytes! - rss) / rss).toBeLessThan(0.05);
    expect(Math.abs(pid[pid.length - 1].gauges.fds! - fds)).toBeLessThanOrEqual(3);

    // Erlang's runtime statistic follows utime, not utime + stime.
    const erlangCpu = last.counters.cpuSeconds! - prom[0].counters.cpuSeconds!;
    const utime = (after.utime - before.utime) / 100;
    const total = (after.total - before.total) / 100;
    console.log(
      `RabbitMQ under ${Math.round(load.sent / load.seconds)} QoS 1 msg/s: Erlang runtime ${erlangCpu.toFixed(2)} CPU-s, procfs utime ${utime.toFixed(2)} s, utime+stime ${total.toFixed(2)} s`,
    );
    expect(Math.abs(erlangCpu - utime)).toBeLessThan(0.1 + 0.1 * utime);
    expect(erlangCpu).toBeLessThan(total);

    // Counts: the broker's global counters against the load's own.
    expect(load.received).toBe(load.sent);
    const ts = o.intervals.map((r) => r.t);
    const { broker } = brokerResults(o, { measured: { fromT: ts[0], toT: ts[ts.length - 1] }, mqbench: { sent: load.sent, received: load.received } });
    expect(broker.counters).toMatchObject({ receivedDelta: load.sent, sentDelta: load.received, difference: { received: 0, sent: 0 }, source: 'prometheus' });
    // The pid source comes first: the summary's CPU is user + system.
    expect(broker.costs.cpuMsPer1kMessages).toMatchObject({ basis: 'broker', messagesIn: load.sent });
    expect(broker.resources.cpuCores!.max).toBeGreaterThan(0);
    expect(o.sources[1].notes.join(' ')).toMatch(/user time only/);
  });
});
