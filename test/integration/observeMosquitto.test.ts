import { execFileSync } from 'node:child_process';
import mqtt, { type MqttClient } from 'mqtt';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { driverByName } from '../../src/driver/registry.js';
import { startObserver } from '../../src/observe/observer.js';
import { pidSource } from '../../src/observe/pidSource.js';
import { brokerResults } from '../../src/observe/summary.js';
import { systemClock } from '../../src/shared/clock.js';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { loadInChild } from '../helpers/mqttLoad.js';
import { procTicks } from '../helpers/procfs.js';

const ticksOf = (path: number | string) => procTicks(path).total;

/** Broker observation against a real mosquitto, each figure checked against an independent reading. */

const connect = (url: string, id: string): Promise<MqttClient> =>
  new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { clientId: id, reconnectPeriod: 0 });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });

describe('observing mosquitto', () => {
  const mosq = useMosquitto(['sys_interval 1']);

  it('the pid source reads what ps and procfs read: RSS, threads, open fds', async () => {
    const pid = mosq.process.pid!;
    const src = pidSource({ pid, clock: systemClock });
    const r = await src.read();
    const [rssKb, nlwp] = execFileSync('ps', ['-o', 'rss=,nlwp=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .map(Number);
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    expect(r!.gauges.rssBytes).toBe(rssKb * 1024);
    expect(r!.gauges.threads).toBe(nlwp);
    expect(r!.gauges.fds).toBe(fds);
    expect(r!.counters.cpuSeconds).toBeCloseTo(ticksOf(pid) / 100, 1);
    // Readable as root here; where it is not, the source leaves disk I/O out with a note.
    expect(r!.counters.diskReadBytes !== undefined || src.notes.some((n) => n.includes('/io'))).toBe(true);
  });

  it("what one pid read costs the coordinator's thread (CPU and wall time, 50 reads in a row)", async () => {
    const src = pidSource({ pid: mosq.process.pid!, clock: systemClock });
    await src.read();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < 50; i++) await src.read();
    const used = process.cpuUsage(cpu0);
    const cpuMs = (used.user + used.system) / 1000 / 50;
    const wallMs = (performance.now() - wall0) / 50;
    console.log(`pid source: ${cpuMs.toFixed(3)} CPU-ms and ${wallMs.toFixed(3)} ms wall per read (this process, all threads)`);
    // Once a second: under 0.2 % of a core (measured ~0.1-0.2 CPU-ms per read for single-threaded mosquitto).
    expect(cpuMs).toBeLessThan(2);
  });

  it('under load: CPU in cores (> 0.2, ≤ 1.05 for its single thread) matches procfs, and $SYS counts match what was sent and received', async () => {
    const pid = mosq.process.pid!;
    const t0 = Date.now();
    const intervalOf = (ms: number) => Math.floor((ms - t0) / 1000);
    const ticksAtStart = ticksOf(pid);
    const obs = await startObserver({ pid, sys: { url: mosq.url, driver: driverByName('mqttjs') }, clock: systemClock, intervalOf });
    // The load runs in its own process, as mqbench's workers run off the coordinator's thread.
    const load = await loadInChild(mosq.url, { topic: 'obs/load', qos: 0, seconds: 3, max: 400_000 });
    // mosquitto publishes its $SYS counters once per sys_interval: wait for an update after the last message.
    await new Promise((r) => setTimeout(r, 2500));
    const o = await obs.stop();
    const ticksAtEnd = ticksOf(pid);

    expect(o.sources.map((s) => [s.kind, s.ok, s.error])).toEqual([
      ['pid', true, undefined],
      ['sys', true, undefined],
    ]);
    expect(o.brokerVersion).toMatch(/^mosquitto version 2\./);
    const ts = o.intervals.map((r) => r.t);
    const { broker } = brokerResults(o, { measured: { fromT: ts[0], toT: ts[ts.length - 1] }, mqbench: { sent: load.sent, received: load.received } });

    const cpu = broker.resources.cpuCores!;
    const busiest = broker.resources.maxThreadCpuCores!;
    const procfsCpu = (ticksAtEnd - ticksAtStart) / 100;
    // Per-second cores × the part of each second observed (the first and last seconds are partial) = CPU-s.
    const pidReadings = o.readings[0];
    const [first, last] = [pidReadings[0].atMs, pidReadings[pidReadings.length - 1].atMs];
    const covered = (t: number) => (Math.min(last, t0 + (t + 1) * 1000) - Math.max(first, t0 + t * 1000)) / 1000;
    const integrated = o.intervals.reduce((a, r) => a + (r.cpuCores ?? 0) * covered(r.t), 0);
    console.log(
      `mosquitto under ${Math.round(load.sent / load.seconds)} msg/s: cpu avg ${cpu.avg.toFixed(3)} max ${cpu.max.toFixed(3)} cores, busiest thread max ${busiest.max.toFixed(3)}; ` +
        `per-second cores add up to ${integrated.toFixed(2)} CPU-s, procfs says ${procfsCpu} CPU-s; sampling cost (ms per read) pid ${JSON.stringify(o.sources[0].costMs)}, sys ${JSON.stringify(o.sources[1].costMs)}`,
    );
    expect(cpu.max).toBeGreaterThan(0.2);
    expect(busiest.max).toBeLessThanOrEqual(1.05);
    expect(cpu.max).toBeLessThanOrEqual(1.05); // mosquitto is single-threaded
    // The per-second figures add up to what procfs counted from start to stop (±0.05 CPU-s and 5 %; ticks are 10 ms).
    expect(Math.abs(integrated - procfsCpu)).toBeLessThanOrEqual(0.05 + 0.05 * procfsCpu);
    // The readings themselves: the first and last bracket procfs's own figures.
    expect(pidReadings[0].counters.cpuSeconds!).toBeGreaterThanOrEqual(ticksAtStart / 100);
    expect(pidReadings[pidReadings.length - 1].counters.cpuSeconds!).toBeLessThanOrEqual(ticksAtEnd / 100);

    // Counts: $SYS received/sent deltas against exactly what the load's clients sent and received.
    expect(load.received).toBe(load.sent);
    expect(broker.counters).toMatchObject({ receivedDelta: load.sent, sentDelta: load.received, difference: { received: 0, sent: 0 }, source: 'sys' });
    expect(broker.counters!.observerDeliveries).toBeGreaterThan(0);
    expect(broker.costs.cpuMsPer1kMessages).toMatchObject({ basis: 'broker', messagesIn: load.sent, messagesOut: load.received });
  });

  it('memory per connection: RSS against open connections over a connect phase of 1,500 connections in 5 bursts', async () => {
    const pid = mosq.process.pid!;
    const t0 = Date.now();
    const intervalOf = (ms: number) => Math.floor((ms - t0) / 1000);
    const obs = await startObserver({ pid, sys: { url: mosq.url, driver: driverByName('mqttjs') }, clock: systemClock, intervalOf });
    const clients: MqttClient[] = [];
    const connectPhase: { t: number; connections: number }[] = [];
    // Each burst opens mid-second, so the count is settled when the next second starts and RSS is read.
    for (let burst = 0; burst < 5; burst++) {
      const next = t0 + (intervalOf(Date.now()) + 1) * 1000;
      connectPhase.push({ t: intervalOf(next), connections: clients.length });
      await new Promise((r) => setTimeout(r, next + 400 - Date.now()));
      clients.push(...(await Promise.all(Array.from({ length: 300 }, (_, i) => connect(mosq.url, `mem-${burst}-${i}`)))));
    }
    const last = t0 + (intervalOf(Date.now()) + 1) * 1000;
    connectPhase.push({ t: intervalOf(last), connections: clients.length });
    await new Promise((r) => setTimeout(r, last + 300 - Date.now()));
    const o = await obs.stop();
    await Promise.all(clients.map((c) => new Promise<void>((r) => c.end(true, {}, () => r()))));

    const { broker } = brokerResults(o, {
      measured: { fromT: 0, toT: connectPhase[connectPhase.length - 1].t },
      mqbench: { sent: 0, received: 0 },
      connectPhase,
    });
    const fit = broker.costs.bytesPerConnection!;
    const heap = o.intervals.filter((r) => r.heapBytes !== undefined);
    const heapPerConn = (heap[heap.length - 1].heapBytes! - heap[0].heapBytes!) / 1500;
    console.log(
      `mosquitto memory per connection: RSS slope ${Math.round(fit.bytesPerConnection)} B (R² ${fit.r2.toFixed(3)}, ${fit.points} points, ${fit.fromConnections}..${fit.toConnections}); $SYS heap grew ${Math.round(heapPerConn)} B per connection`,
    );
    expect(fit.points).toBeGreaterThanOrEqual(5);
    expect(fit.fromConnections).toBe(0);
    expect(fit.toConnections).toBe(1500);
    expect(fit.bytesPerConnection).toBeGreaterThan(0);
    expect(fit.bytesPerConnection).toBeLessThan(100_000);
    expect(fit.r2).toBeGreaterThan(0.9);
    // mosquitto's own allocation counter grew too: RSS per connection is at least a good part of it.
    expect(heapPerConn).toBeGreaterThan(0);
    expect(fit.bytesPerConnection).toBeGreaterThan(heapPerConn * 0.5);
  });

  it("an embedded-broker style source (pid + main thread) counts that thread's CPU only", async () => {
    const thread = `${process.pid}/task/${process.pid}`;
    const src = pidSource({ pid: process.pid, tid: process.pid, clock: systemClock });
    const a = await src.read();
    const [ticks0, at0] = [ticksOf(thread), Date.now()];
    const spinUntil = Date.now() + 500;
    while (Date.now() < spinUntil) Math.sqrt(Math.random());
    const r = await src.read();
    const [ticks1, at1] = [ticksOf(thread), Date.now()];
    // The main thread spun: it used CPU (how much depends on what else runs on this shared machine).
    expect(r!.counters.cpuSeconds! - a!.counters.cpuSeconds!).toBeGreaterThan(0.05);
    expect(r!.gauges.maxThreadCpuCores).toBeLessThanOrEqual(1.05);
    // Same figure as an independent read of the thread's ticks over about the same span.
    expect(Math.abs(r!.gauges.maxThreadCpuCores! - (ticks1 - ticks0) / 100 / ((at1 - at0) / 1000))).toBeLessThan(0.1);
    expect(Math.abs(r!.counters.cpuSeconds! - ticks1 / 100)).toBeLessThanOrEqual(0.02);
    expect(r!.counters.cpuSeconds!).toBeLessThanOrEqual(ticksOf(process.pid) / 100);
    expect(src.notes.join(' ')).toMatch(/CPU is thread \d+'s only; RSS, threads, fds and disk I\/O are the whole process/);
  });
});
