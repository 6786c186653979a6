import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { driverByName } from '../../src/driver/registry.js';
import { startObserver } from '../../src/observe/observer.js';
import { brokerResults } from '../../src/observe/summary.js';
import { fmtBytes } from '../../src/report/brokerFigures.js';
import { renderMqttbsReport } from '../../src/report/mqttbs.js';
import { systemClock } from '../../src/shared/clock.js';
import { useMosquitto } from '../helpers/useMosquitto.js';
import { runYaml } from '../helpers/runScenario.js';

/**
 * `report --format mqttbs` on a real observation: a 16-byte point-to-point run against mosquitto while the
 * observer samples its process and $SYS. The suite table must show exactly what results.broker holds.
 */
describe('the suite table from a real broker observation', () => {
  const mosq = useMosquitto(['sys_interval 1']);

  it('CPU per host and per busiest thread, and RSS, as observed; sources named in the disclosure', async () => {
    const t0 = Date.now();
    const intervalOf = (ms: number) => Math.floor((ms - t0) / 1000);
    const obs = await startObserver({ pid: mosq.process.pid!, sys: { url: mosq.url, driver: driverByName('mqttjs') }, clock: systemClock, intervalOf });
    const { results } = await runYaml(
      `
name: p2p-16
target: { url: "${mosq.url}", mqttVersion: 3.1.1 }
duration: 3s
drain: 2s
groups:
  - name: subs
    count: 100
    connect: { keepalive: 300s }
    subscribe: [ { topic: "p/{run}/{i}", qos: 1 } ]
  - name: pubs
    count: 100
    connect: { keepalive: 300s }
    publish: { topic: "p/{run}/{i}", qos: 1, every: 100ms, payload: { size: 16 } }
`,
      2,
    );
    const o = await obs.stop();
    const ts = o.intervals.map((r) => r.t);
    const m = results.summary.messages;
    const { broker } = brokerResults(o, { measured: { fromT: ts[0], toT: ts[ts.length - 1] }, mqbench: { sent: m.sent, received: m.received } });
    expect(m).toMatchObject({ sent: 3000, received: 3000, lost: 0 });

    const md = renderMqttbsReport([{ label: 'mosquitto', results: { ...results, broker } }], { generatedAt: new Date() });
    const row = md.split('\n').find((l) => l.startsWith('| **mosquitto** |'))!;
    const cells = row.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, ''));
    const r = broker.resources;
    const pct = (x: number) => `${x >= 10 ? Math.round(x) : x.toFixed(1)} %`;
    expect(cells[5]).toBe(
      `${pct(r.cpuPercentOfHost!.max)} of ${cpus().length} CPUs (${r.cpuCores!.max.toFixed(2)} cores); busiest thread ${r.maxThreadCpuCores!.max.toFixed(2)} cores = ${pct(r.maxThreadCpuCores!.max * 100)} of one core`,
    );
    expect(cells[7]).toBe(`${fmtBytes(r.rssBytes!.max)} RSS`);
    expect(cells[8]).toBe(`${fmtBytes(r.rssBytes!.avg)} RSS`);
    expect(r.cpuCores!.max).toBeGreaterThan(0);
    expect(md).toMatch(/\| Broker observation \| pid \d+ \(pid source\): ok · mqtt:\/\/127\.0\.0\.1:\d+ \$SYS \(sys source\): ok/);
    console.log(row);
  });
});
