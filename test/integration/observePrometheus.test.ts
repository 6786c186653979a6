import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startObserver } from '../../src/observe/observer.js';
import { promSource } from '../../src/observe/promSource.js';
import { brokerResults } from '../../src/observe/summary.js';
import { PrometheusExporter } from '../../src/report/prometheus.js';
import { systemClock } from '../../src/shared/clock.js';
import { startNodeExporter, type NodeExporterHandle } from '../helpers/nodeExporter.js';

/** The Prometheus source against real exporters, each figure checked against an independent read of procfs. */

/** Host figures from /proc, read here independently of src/observe: busy = user+nice+system+irq+softirq (guest is inside user). */
function hostNow() {
  const mem = readFileSync('/proc/meminfo', 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(mem)![1]) * 1024;
  const stat = readFileSync('/proc/stat', 'utf8');
  const cpu = stat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return {
    memTotal: kb('MemTotal'),
    memUsed: kb('MemTotal') - kb('MemAvailable'),
    busySec: (cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6]) / 100,
    cpus: stat.split('\n').filter((l) => /^cpu\d+ /.test(l)).length,
  };
}

describe('observing through Prometheus exporters', () => {
  let ne: NodeExporterHandle;
  beforeAll(async () => {
    ne = await startNodeExporter();
  });
  afterAll(async () => {
    await ne?.stop();
  });

  it('node_exporter preset: host memory, CPUs and busy CPU seconds agree with /proc read around the scrape', async () => {
    const src = promSource({ url: ne.url, preset: 'node_exporter', clock: systemClock });
    const before = hostNow();
    const r = (await src.read())!;
    const after = hostNow();
    expect(r.gauges.hostMemTotalBytes).toBe(before.memTotal);
    expect(r.gauges.hostCpus).toBe(before.cpus);
    const [lo, hi] = [Math.min(before.memUsed, after.memUsed), Math.max(before.memUsed, after.memUsed)];
    expect(r.gauges.hostMemUsedBytes).toBeGreaterThanOrEqual(lo - 64 * 2 ** 20);
    expect(r.gauges.hostMemUsedBytes).toBeLessThanOrEqual(hi + 64 * 2 ** 20);
    // node_exporter sums per-CPU lines; /proc/stat's first line is the same sum (±1 tick per CPU of rounding).
    expect(r.counters.hostCpuBusySeconds).toBeGreaterThanOrEqual(before.busySec - 0.02 * before.cpus);
    expect(r.counters.hostCpuBusySeconds).toBeLessThanOrEqual(after.busySec + 0.02 * after.cpus);
    expect(src.notes.join(' ')).toMatch(/whole host/);
  });

  it("process preset and custom metrics on node_exporter's own process: RSS, fds, CPU against /proc/<pid>", async () => {
    const pid = ne.process.pid!;
    const src = promSource({
      url: ne.url,
      preset: 'process',
      custom: ['goroutines=go_goroutines', 'scrapes=promhttp_metric_handler_requests_total{code="200"}'],
      clock: systemClock,
    });
    const r = (await src.read())!;
    const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    expect(Math.abs(r.gauges.rssBytes! - rss)).toBeLessThan(4 * 2 ** 20);
    expect(Math.abs(r.gauges.fds! - fds)).toBeLessThanOrEqual(2);
    expect(r.counters.cpuSeconds).toBeLessThanOrEqual((Number(f[11]) + Number(f[12])) / 100 + 0.01);
    expect(r.extra!.goroutines).toBeGreaterThan(0);
    expect(r.extraCounters!.scrapes).toBeGreaterThanOrEqual(1);
  });

  it("an observer with node_exporter and node_exporter's pid: per-second host and process figures; the exporter counts our 1/s scrapes", async () => {
    const t0 = Date.now();
    const intervalOf = (ms: number) => Math.floor((ms - t0) / 1000);
    const obs = await startObserver({
      pid: ne.process.pid!,
      prometheus: { url: ne.url, preset: 'node_exporter', custom: ['scrapes=promhttp_metric_handler_requests_total{code="200"}'] },
      clock: systemClock,
      intervalOf,
    });
    await new Promise((r) => setTimeout(r, 4200));
    const o = await obs.stop();
    expect(o.sources.map((s) => [s.kind, s.ok, s.error])).toEqual([
      ['pid', true, undefined],
      ['prometheus', true, undefined],
    ]);
    const { broker, intervals } = brokerResults(o, { measured: { fromT: 1, toT: 3 }, mqbench: { sent: 0, received: 0 } });
    for (const t of [1, 2, 3]) {
      const row = intervals.get(t)!;
      // A rate between two scrapes stamped when they answered: the exporter read /proc/stat a few ms apart
      // from those stamps, so a fully busy host may read slightly over 100 %.
      expect(row.hostCpuPercent).toBeGreaterThanOrEqual(0);
      expect(row.hostCpuPercent).toBeLessThanOrEqual(105);
      expect(row.hostMemUsedBytes).toBeGreaterThan(0);
      expect(row.rssBytes).toBeGreaterThan(0);
      expect(row.cpuPercentOfHost).toBeCloseTo((row.cpuCores! / hostNow().cpus) * 100, 9);
      // One scrape per second by the observer itself (nothing else scrapes this exporter).
      expect(row.extra!.scrapesPerSec).toBeGreaterThan(0.7);
      expect(row.extra!.scrapesPerSec).toBeLessThan(1.3);
    }
    console.log(
      `node_exporter observed: host CPU ${JSON.stringify(broker.resources.hostCpuPercent)} %, exporter RSS ${JSON.stringify(broker.resources.rssBytes)}; sampling cost (ms per read) pid ${JSON.stringify(o.sources[0].costMs)}, prometheus ${JSON.stringify(o.sources[1].costMs)}`,
    );
    expect(broker.counters).toBeNull();
    expect(broker.notes.join('\n')).toMatch(/cross-check of counts: no source/);
  });

  describe('failures are reported with what happened', () => {
    let server: Server;
    let base = '';
    let auth: string | undefined;
    beforeAll(async () => {
      const exporter = new PrometheusExporter({ scenario: 's', target: 'mqtt://x', version: '0' });
      server = createServer((req, res) => {
        auth = req.headers.authorization;
        if (req.url === '/metrics') void exporter.metrics().then((text) => res.end(text));
        else if (req.url === '/html') res.end('<html><body>hello</body></html>\n');
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("parses prom-client's exposition (mqbench's own exporter: labelled gauges, counters, histograms) and sends URL credentials as Basic auth, never showing them", async () => {
      const u = new URL(`${base}/metrics`);
      u.username = 'user';
      u.password = 's3cret';
      const src = promSource({
        url: u.toString(),
        custom: ['phase=mqbench_run_phase{phase="starting"}', 'sent=mqbench_messages_sent_total'],
        clock: systemClock,
      });
      const r = (await src.read())!;
      expect(r.extra).toEqual({ phase: 1 });
      expect(r.extraCounters).toEqual({ sent: 0 });
      expect(auth).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
      expect(src.target).not.toContain('s3cret');
    });

    it.each([
      ['/nope', /HTTP 404/],
      ['/html', /has none of the metrics named: is it the right endpoint\?/],
    ])('%s', async (path, why) => {
      await expect(promSource({ url: `${base}${path}`, custom: ['x=y'], clock: systemClock }).read()).rejects.toThrow(why);
    });

    it('a closed port', async () => {
      const port = (server.address() as AddressInfo).port;
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const free = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      expect(free).not.toBe(port);
      await expect(promSource({ url: `http://127.0.0.1:${free}/metrics`, preset: 'process', clock: systemClock }).read()).rejects.toThrow(
        /cannot scrape .*: ECONNREFUSED/,
      );
    });
  });
});
