import { describe, expect, it } from 'vitest';
import { planScenario } from '../../run.js';
import { parseScenarioText } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/model.js';
import { UserError } from '../../shared/errors.js';
import type { QuickFlags, QuickKind } from './flags.js';
import { quickDocument, quickYaml, topicTemplate } from './scenario.js';

const BASE: QuickFlags = {
  count: 200,
  connectIntervalMs: 10,
  publishIntervalMs: 1000,
  qos: 0,
  size: 256,
  retain: false,
  ssl: false,
  insecure: false,
  version: 5,
  limit: 0,
  thresholds: [],
};

/** The flags through the mapping, the YAML text and the scenario loader, as a quick command runs them. */
function scenarioOf(kind: QuickKind, flags: Partial<QuickFlags>, env: Record<string, string> = {}): { scenario: Scenario; yaml: string } {
  const yaml = quickYaml(quickDocument(kind, { ...BASE, ...flags }), 'schema.json');
  const r = parseScenarioText(yaml, '<mqbench test>', env);
  if (!r.ok) throw new Error(`${r.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}\n${yaml}`);
  return { scenario: r.loaded.scenario, yaml };
}

describe('quick command flags → scenario (through the same loader as mqbench run)', () => {
  it.each<[string, QuickKind, Partial<QuickFlags>, (s: Scenario) => unknown, unknown]>([
    ['-c count', 'conn', { count: 7 }, (s) => s.groups[0].count, 7],
    ['-i 10 (ms) → connect rate 100/s', 'conn', { connectIntervalMs: 10 }, (s) => s.groups[0].connect.rate, 100],
    ['-i 3 → 333.333333/s', 'conn', { connectIntervalMs: 3 }, (s) => s.groups[0].connect.rate, 333.333333],
    ['-I 10ms → every 10 ms per client', 'pub', { topic: 't', publishIntervalMs: 10 }, (s) => s.groups[0].publish?.rate, { kind: 'every', everyMs: 10 }],
    ['-t %i → {i}', 'pub', { topic: 'bench/%i' }, (s) => s.groups[0].publish?.topic, 'bench/{i}'],
    ['-t %c → {clientId}', 'sub', { topic: 'in/%c/#' }, (s) => s.groups[0].subscribe[0].topic, 'in/{clientId}/#'],
    ['-t %u → the username', 'pub', { topic: 'u/%u/%i', username: 'dev' }, (s) => s.groups[0].publish?.topic, 'u/dev/{i}'],
    ['-t braces are literal', 'pub', { topic: 'a/{x}/%i' }, (s) => s.groups[0].publish?.topic, 'a/{{x}}/{i}'],
    ['-q', 'pub', { topic: 't', qos: 2 }, (s) => s.groups[0].publish?.qos, 2],
    ['-s', 'pub', { topic: 't', size: 100 }, (s) => s.groups[0].publish?.payload.size, 100],
    ['-m: header-less text', 'pub', { topic: 't', message: 'hi' }, (s) => s.groups[0].publish?.payload.header, false],
    ['-r', 'pub', { topic: 't', retain: true }, (s) => s.groups[0].publish?.retain, true],
    ['-h/-p', 'conn', { host: 'broker.local', port: 1884 }, (s) => s.target.url, 'mqtt://broker.local:1884'],
    ['-h IPv6', 'conn', { host: '::1' }, (s) => s.target.url, 'mqtt://[::1]:1883'],
    ['default host and port', 'conn', {}, (s) => s.target.url, 'mqtt://localhost:1883'],
    ['--ssl: mqtts, port 8883', 'conn', { ssl: true, insecure: true }, (s) => [s.target.url, s.target.tls?.insecure], ['mqtts://localhost:8883', true]],
    ['--broker', 'conn', { broker: 'ws://10.0.0.1:8083/mqtt' }, (s) => s.target.url, 'ws://10.0.0.1:8083/mqtt'],
    ['-V 3 → MQTT 3.1', 'conn', { version: 3 }, (s) => s.target.mqttVersion, 3],
    ['-V 4 → MQTT 3.1.1', 'conn', { version: 4 }, (s) => s.target.mqttVersion, 4],
    ['-V 5', 'conn', { version: 5 }, (s) => s.target.mqttVersion, 5],
    ['-u', 'conn', { username: 'dev' }, (s) => s.target.username, 'dev'],
    ['-k 30', 'conn', { keepaliveSec: 30 }, (s) => s.groups[0].connect.keepaliveSec, 30],
    ['-C false', 'conn', { clean: false }, (s) => s.groups[0].connect.clean, false],
    ['--ifaddr', 'conn', { ifaddr: ['127.0.0.2', '127.0.0.3'] }, (s) => s.target.sourceAddresses, ['127.0.0.2', '127.0.0.3']],
    ['--prefix', 'pub', { topic: 't', prefix: 'lab{1}' }, (s) => s.groups[0].clientId, 'lab{{1}}_bench_pub_{i}'],
    ['no --prefix: the default id', 'conn', {}, (s) => s.groups[0].clientId, 'mqb-{run}-{group}-{i}'],
    ['default duration 10 s', 'conn', {}, (s) => s.durationMs, 10_000],
    ['--duration', 'sub', { topic: 't/#', durationMs: 2500 }, (s) => s.durationMs, 2500],
    ['-L 1000 over 10 publishers every 50 ms → 100 each, 5 s', 'pub', { topic: 't', count: 10, publishIntervalMs: 50, limit: 1000 }, (s) => s.durationMs, 5000],
    ['--workers saved in the scenario', 'conn', { workers: 3 }, (s) => s.workers, 3],
    ['--threshold saved in the scenario', 'conn', { thresholds: ['connect.p99 < 1s'] }, (s) => s.thresholds.map((t) => t.expression), ['connect.p99 < 1s']],
    ['sub times other runs', 'sub', { topic: 'bench/#', qos: 1 }, (s) => [s.groups[0].fromOtherRuns, s.groups[0].subscribe[0].qos], [true, 1]],
    ['conn neither publishes nor subscribes', 'conn', {}, (s) => [s.groups[0].publish, s.groups[0].subscribe], [undefined, []]],
  ])('%s', (_name, kind, flags, read, want) => {
    expect(read(scenarioOf(kind, flags).scenario)).toEqual(want);
  });

  it('-L is a total over all publishers (as emqtt-bench counts it): the plan has exactly that many slots when -c divides it', () => {
    const { scenario } = scenarioOf('pub', { topic: 't', count: 10, publishIntervalMs: 50, limit: 1000 });
    const plan = planScenario(scenario, { workers: 1, runId: 'r', runTag: 1 });
    expect(plan.totals.publishRate * (scenario.durationMs / 1000)).toBe(1000);
  });

  it('-L that -c does not divide is rounded up to a multiple of -c, and said so', () => {
    const q = quickDocument('pub', { ...BASE, topic: 't', count: 3, publishIntervalMs: 100, limit: 10 });
    expect(q.doc.duration).toBe('400ms');
    expect(q.notes.join()).toMatch(/4 messages each, 12 in all/);
  });

  it('the password is never in the YAML: it reads ${MQBENCH_PASSWORD}, which the run gets from -P', () => {
    const { scenario, yaml } = scenarioOf('conn', { username: 'u', password: 's3cret-pw' }, { MQBENCH_PASSWORD: 's3cret-pw' });
    expect(yaml).not.toContain('s3cret-pw');
    expect(yaml).toContain('password: ${MQBENCH_PASSWORD}');
    expect(scenario.target.password).toBe('s3cret-pw');
  });

  it('the YAML starts with the schema line mqbench init writes', () => {
    expect(scenarioOf('conn', {}).yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=schema.json');
  });

  it.each<[string, QuickKind, Partial<QuickFlags>, RegExp]>([
    ['pub without a topic', 'pub', {}, /needs a topic/],
    ['sub without a topic', 'sub', {}, /needs a topic/],
    ['--broker and -h', 'conn', { broker: 'mqtt://a:1', host: 'b' }, /either --broker/],
    ['--ssl with an mqtt:// --broker', 'conn', { broker: 'mqtt://a:1', ssl: true }, /not an mqtts/],
    ['-L and --duration', 'pub', { topic: 't', limit: 10, durationMs: 1000 }, /either -L/],
    ['-L on sub', 'sub', { topic: 't', limit: 10 }, /-L .* is for pub/],
    ['%u without -u', 'pub', { topic: 'a/%u' }, /%u but no username/],
  ])('refuses %s (exit 2)', (_name, kind, flags, message) => {
    expect(() => quickDocument(kind, { ...BASE, ...flags })).toThrow(UserError);
    expect(() => quickDocument(kind, { ...BASE, ...flags })).toThrow(message);
  });

  it('what the scenario rules refuse is refused as for a file (a payload below the compact header)', () => {
    const yaml = quickYaml(quickDocument('pub', { ...BASE, topic: 't', size: 8 }), 's.json');
    const r = parseScenarioText(yaml, '<mqbench pub>', {});
    expect(r.ok).toBe(false);
  });

  it('topicTemplate maps every placeholder and leaves other % alone', () => {
    expect(topicTemplate('a/%i/%c/%u/%x', 'me')).toBe('a/{i}/{clientId}/me/%x');
  });
});
