import { describe, expect, it } from 'vitest';
import type { Results } from '../metrics/resultsFile.js';
import type { BrokerResults } from '../observe/types.js';
import { makeResults } from './fixture.test-helper.js';
import { renderMqttbsReport } from './mqttbs.js';
import { PID_SOURCE } from '../observe/brokerFixture.test-helper.js';

const AT = new Date('2030-01-02T03:04:05Z');
const window = { fromT: 1, toT: 30, seconds: 30 };

/** A single-threaded broker on a 16-CPU host, at one full core. */
const MOSQUITTO: BrokerResults = {
  sources: [PID_SOURCE],
  resources: {
    cpuCores: { avg: 0.944, max: 0.992 },
    cpuPercentOfHost: { avg: 5.9, max: 6.2 },
    maxThreadCpuCores: { avg: 0.94, max: 0.99 },
    rssBytes: { avg: 351 * 2 ** 20, max: 366 * 2 ** 20 },
    window,
  },
  costs: { cpuMsPer1kMessages: null, bytesPerConnection: null },
  counters: null,
  notes: [],
};

function run(label: string, o: { broker?: BrokerResults; name?: string; hash?: string; results?: Partial<Results> } = {}) {
  const base = makeResults();
  const results = {
    ...base,
    scenario: {
      name: o.name ?? 'singlenode-p2p-1K-1K-1K-1K',
      description: 'pairs',
      target: { url: 'mqtt://127.0.0.1:1883', mqttVersion: 4 },
      warmupMs: 0,
      groups: [
        { name: 'subscribers', count: 1000, connect: { rate: 1000, clean: true, keepaliveSec: 300 }, subscribe: [{ topic: 'test/{i}', qos: 1 }] },
        {
          name: 'publishers',
          count: 1000,
          connect: { rate: 1000, clean: true, keepaliveSec: 300 },
          subscribe: [],
          publish: { topic: 'test/{i}', qos: 1, retain: false, rate: 1000, payload: { size: 16 } },
        },
      ],
    },
    environment: { ...base.environment, scenarioHash: o.hash ?? 'abcdef0123456789' },
    ...o.results,
    ...(o.broker ? { broker: o.broker } : {}),
  } as Results;
  return { label, results };
}

/** The cells of the table row whose first cell is **label**. */
function row(md: string, label: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| **${label}** |`));
  if (!line) throw new Error(`no row ${label} in\n${md}`);
  return line.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '').trim());
}

describe('report --format mqttbs: the suite table', () => {
  it('shows the broker CPU per host and per busiest thread, and says a single-threaded broker is CPU-bound', () => {
    const md = renderMqttbsReport([run('mosquitto', { broker: MOSQUITTO })], { generatedAt: AT });
    expect(md).toContain('## singlenode-p2p-1K-1K-1K-1K');
    const cells = row(md, 'mosquitto');
    expect(cells.slice(1, 5)).toEqual(['2,000/s (planned 2,000/s)', '0.400', '1.24', '100.0%']);
    expect(cells[5]).toBe('6.2 % of 16 CPUs (0.99 cores); busiest thread 0.99 cores = 99 % of one core');
    expect(cells[6]).toBe('5.9 % of 16 CPUs (0.94 cores); busiest thread 0.94 cores = 94 % of one core');
    expect(cells.slice(7)).toEqual(['366 MiB RSS', '351 MiB RSS']);
    expect(md).toContain('the busiest broker thread reached 0.99 cores (99 % of one core) while the whole broker used 6.2 % of the host');
  });

  it('never invents broker figures: without an observation every broker column reads "not measured"', () => {
    const md = renderMqttbsReport([run('emqx')], { generatedAt: AT });
    expect(row(md, 'emqx').slice(5)).toEqual(['not measured', 'not measured', 'not measured', 'not measured']);
    expect(md).toContain('**emqx**: the broker was not observed during this run');
    expect(md).toContain('| Broker observation | none: the run did not observe the broker |');
  });

  it('labels host-wide figures as such, and uses $SYS heap only when there is no RSS', () => {
    const nodeExporter: BrokerResults = {
      ...MOSQUITTO,
      resources: { hostCpuPercent: { avg: 40, max: 45.5 }, hostMemUsedBytes: { avg: 2 ** 30, max: 1.5 * 2 ** 30 }, window },
    };
    const sys: BrokerResults = { ...MOSQUITTO, resources: { heapBytes: { avg: 2 ** 20, max: 3 * 2 ** 20 }, window } };
    const md = renderMqttbsReport([run('a', { broker: nodeExporter }), run('b', { broker: sys })], { generatedAt: AT });
    expect(row(md, 'a').slice(5, 8)).toEqual([
      'host 46 % busy (the whole host, not only the broker)',
      'host 40 % busy (the whole host, not only the broker)',
      'host 1.50 GiB used (the whole host)',
    ]);
    expect(row(md, 'b').slice(5, 8)).toEqual(['not measured', 'not measured', '3.00 MiB heap ($SYS)']);
  });

  it('uses the connection columns for a use case without messages', () => {
    const conn = run('mosquitto', {
      name: 'singlenode-conn-tcp-10K-100',
      results: { summary: { ...makeResults().summary, messages: { ...makeResults().summary.messages, sent: 0, received: 0, expected: 0, acked: 0 } } },
    });
    const md = renderMqttbsReport([conn], { generatedAt: AT });
    expect(md).toContain('| Connections | Average connect latency (ms) | p99 connect latency (ms) | Lost while held |');
    expect(row(md, 'mosquitto').slice(1, 5)).toEqual(['1,001 of 1,001', '2.10', '8.12', '0']);
  });

  it('groups runs by use case, warns when one use case was run with different scenarios, and names failures', () => {
    const failed: BrokerResults = {
      ...MOSQUITTO,
      sources: [{ ...MOSQUITTO.sources[0], kind: 'prometheus', target: 'http://127.0.0.1:15692/metrics (rabbitmq)', ok: false, error: 'ECONNREFUSED' }],
    };
    const md = renderMqttbsReport(
      [
        run('mosquitto', { broker: MOSQUITTO }),
        run('rabbit|mq', {
          broker: failed,
          hash: 'ffffffffffff0000',
          results: { generator: { ...makeResults().generator, saturated: true, saturatedReason: 'sends late' } },
        }),
        run('mosquitto', { name: 'singlenode-fanout-1-1000-1-1000K' }),
      ],
      { generatedAt: AT },
    );
    expect(md.match(/^## singlenode-/gm)).toHaveLength(2);
    expect(md).toContain('different scenarios (hashes abcdef012345, ffffffffffff)');
    expect(md).toContain('| **rabbit\\|mq** |'); // a pipe in a label does not break the row
    expect(md).toContain('broker observation prometheus (http://127.0.0.1:15692/metrics (rabbitmq)) failed: ECONNREFUSED');
    expect(md).toContain('the generator was saturated (sends late)');
  });
});

describe('report --format mqttbs: full disclosure', () => {
  it('states tool, use case, settings as run, hardware, OS, broker version and host; says what is not recorded', () => {
    const md = renderMqttbsReport([run('mosquitto', { broker: MOSQUITTO })], { generatedAt: AT });
    const at = md.indexOf('## Full disclosure');
    expect(at).toBeGreaterThan(0);
    const d = md.slice(at);
    for (const line of [
      '| Tool | mqbench 0.1.0 on Node v20.20.2 |',
      '| Scenario hash | abcdef0123456789 |',
      '| MQTT settings | MQTT 3.1.1 · keepalive 300 s · clean session 1 · subscribe QoS 1 · publish QoS 1 · retain 0 · payload 16 B · TLS no |',
      '| Generator hardware | 2 × Test CPU (host bench-1), 2 worker thread(s), saturated: no |',
      '| Generator OS | linux 6.1 |',
      '| Broker version | mosquitto 2.0.18 |',
      '| Broker host | 16 CPUs (derived from the observed CPU share) |',
      '| Broker observation | pid 4242 (pid source): ok |',
      "| Broker configuration | not recorded by mqbench: attach the broker's configuration file and its non-default settings |",
      '| Network | loopback (generator and broker on one machine) |',
    ])
      expect(d).toContain(line);
    expect(d).toContain('subscribers × 1,000 (subscribe to test/{i}); publishers × 1,000 (publish to test/{i} at 1,000 msg/s in total)');
  });
});
