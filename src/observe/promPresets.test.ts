import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexExposition } from './promParse.js';
import { applyCustom, parseCustomMetric, PRESET_NAMES, PRESETS } from './promPresets.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/observe/${name}`, import.meta.url), 'utf8');

describe('rabbitmq preset, on a scrape of a real RabbitMQ 3.10.8 (fixture header says how it was made)', () => {
  const got = PRESETS.rabbitmq.extract(indexExposition(fixture('rabbitmq-3.10.8-metrics.prom')));

  it('reads process memory, fds and connections', () => {
    expect(got.gauges).toEqual({ rssBytes: 136_364_032, fds: 51, connections: 10 });
  });

  it('reads CPU (Erlang runtime, ms → s) and the global message counters summed over protocols and queue types', () => {
    expect(got.counters.cpuSeconds).toBeCloseTo(5.227, 9);
    expect(got.counters.messagesReceived).toBe(500);
    expect(got.counters.messagesSent).toBe(500);
    expect(got.counters).toMatchObject({ diskReadBytes: 1, diskWriteBytes: 2634 });
    expect(got.counters.bytesReceived).toBeUndefined();
  });

  it('says that its CPU figure is user time only', () => {
    expect(PRESETS.rabbitmq.notes.join(' ')).toMatch(/user time only/);
  });
});

describe('emqx preset (metric names from EMQX 5 emqx_prometheus.erl; sample written by hand, not scraped)', () => {
  const text = [
    '# TYPE emqx_connections_count gauge',
    'emqx_connections_count 1200',
    '# TYPE emqx_live_connections_count gauge',
    'emqx_live_connections_count 1000',
    '# TYPE emqx_messages_received counter',
    'emqx_messages_received 50000',
    '# TYPE emqx_messages_sent counter',
    'emqx_messages_sent 250000',
    '# TYPE emqx_bytes_received counter',
    'emqx_bytes_received 800000',
    '# TYPE emqx_bytes_sent counter',
    'emqx_bytes_sent 4000000',
    '# TYPE emqx_vm_cpu_use gauge',
    'emqx_vm_cpu_use 42.5',
    '# TYPE emqx_vm_used_memory gauge',
    'emqx_vm_used_memory 1.5e9',
    '# TYPE emqx_vm_total_memory gauge',
    'emqx_vm_total_memory 8e9',
    '',
  ].join('\n');
  const got = PRESETS.emqx.extract(indexExposition(text));

  it("takes host CPU and memory as the host's and live connections over all connections", () => {
    expect(got.gauges).toEqual({ hostCpuPercent: 42.5, hostMemUsedBytes: 1.5e9, hostMemTotalBytes: 8e9, connections: 1000 });
    expect(got.counters).toEqual({ messagesReceived: 50_000, messagesSent: 250_000, bytesReceived: 800_000, bytesSent: 4_000_000 });
  });
});

describe('node_exporter preset', () => {
  const text = [
    '# TYPE node_cpu_seconds_total counter',
    ...['0', '1'].flatMap((cpu) =>
      Object.entries({ idle: 600, iowait: 5, irq: 0, nice: 1, softirq: 3, steal: 7, system: 80, user: 190 }).map(
        ([mode, v]) => `node_cpu_seconds_total{cpu="${cpu}",mode="${mode}"} ${v}`,
      ),
    ),
    'node_memory_MemTotal_bytes 2.5276035072e+10',
    'node_memory_MemAvailable_bytes 2.4664629248e+10',
    '',
  ].join('\n');

  it("counts busy host CPU over every mode but idle, iowait and steal, and the host's CPUs", () => {
    const got = PRESETS.node_exporter.extract(indexExposition(text));
    expect(got.counters.hostCpuBusySeconds).toBe(2 * (1 + 3 + 80 + 190));
    expect(got.gauges.hostCpus).toBe(2);
    expect(got.gauges.hostMemTotalBytes).toBe(25_276_035_072);
    expect(got.gauges.hostMemUsedBytes).toBe(25_276_035_072 - 24_664_629_248);
  });
});

describe('custom metrics', () => {
  it.each([
    ['cpuSeconds=process_cpu_seconds_total', { field: 'cpuSeconds', selector: { name: 'process_cpu_seconds_total', matchers: [] }, scale: 1 }],
    [
      'cpuSeconds = erlang_vm_statistics_runtime_milliseconds / 1000',
      { field: 'cpuSeconds', selector: { name: 'erlang_vm_statistics_runtime_milliseconds', matchers: [] }, scale: 0.001 },
    ],
    ['rssBytes=mem_kb{node="a"}*1024', { field: 'rssBytes', selector: { name: 'mem_kb', matchers: [{ label: 'node', op: '=', value: 'a' }] }, scale: 1024 }],
  ])('parses %s', (spec, want) => {
    expect(parseCustomMetric(spec)).toEqual(want);
  });

  it.each([
    ['process_cpu_seconds_total', /write name=metric\{labels\}/],
    ['=x', /write name=metric/],
    ['a=b{c="d"', /must end with "}"/],
    ['a=b/0', /cannot scale by 0/],
  ])('refuses %s with what to write', (spec, why) => {
    expect(() => parseCustomMetric(spec)).toThrow(why);
  });

  it('puts known fields in place, other counters under extraCounters and other gauges under extra; custom wins over the preset', () => {
    const index = indexExposition(
      [
        '# TYPE q_depth gauge',
        'q_depth{q="a"} 5',
        'q_depth{q="b"} 7',
        '# TYPE drops counter',
        'drops 9',
        'process_resident_memory_bytes 100',
        'my_rss_kb 3',
        '',
      ].join('\n'),
    );
    const base = PRESETS.process.extract(index);
    expect(base.gauges.rssBytes).toBe(100);
    const got = applyCustom(index, ['depth=q_depth', 'dropped=drops', 'rssBytes=my_rss_kb*1024', 'absent=nope'].map(parseCustomMetric), base);
    expect(got.gauges.rssBytes).toBe(3072);
    expect(got.extra).toEqual({ depth: 12 });
    expect(got.extraCounters).toEqual({ dropped: 9 });
  });
});

describe('preset names', () => {
  it('the names the scenario accepts (scenario/promMetricSpec.ts) are exactly the presets this folder knows', () => {
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(PRESETS).sort());
  });
});
