import { describe, expect, it } from 'vitest';
import { connectOptions } from '../driver/options.js';
import { loaded } from '../../test/helpers/scenario.js';
import { parseScenarioText } from './load.js';
import { redactScenario } from './redact.js';
import { scenarioHash } from '../shared/runIdentity.js';

const GROUPS = 'groups:\n  - { name: d, count: 6, clientId: "d-{i}" }\n';

function problems(target: string): string[] {
  const result = parseScenarioText(`name: s\ntarget:\n${target}\n${GROUPS}`, 's.yaml', {});
  return result.ok ? [] : result.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

const load = (target: string) => loaded(parseScenarioText(`name: s\ntarget:\n${target}\n${GROUPS}`, 's.yaml', {})).scenario;

describe('target.urls and target.sourceAddresses', () => {
  it('resolve: url is the first of urls; urls kept when several; source addresses kept', () => {
    const t = load('  urls: [ "mqtt://10.0.0.1:1883", "mqtt://u:pw@10.0.0.2:1883" ]\n  sourceAddresses: [ 127.0.0.2, " ::1 " ]').target;
    expect(t.url).toBe('mqtt://10.0.0.1:1883');
    expect(t.urls).toEqual(['mqtt://10.0.0.1:1883', 'mqtt://u:pw@10.0.0.2:1883']);
    expect(t.sourceAddresses).toEqual(['127.0.0.2', '::1']);
    const one = load('  urls: [ "mqtt://10.0.0.1:1883" ]').target;
    expect(one).toMatchObject({ url: 'mqtt://10.0.0.1:1883' });
    expect(one.urls).toBeUndefined();
  });

  it('client g connects to urls[g % n] and binds sourceAddresses[g % m]', () => {
    const sc = load('  urls: [ "mqtt://a:1883", "mqtt://b:1883" ]\n  sourceAddresses: [ 127.0.0.2, 127.0.0.3, 127.0.0.4 ]');
    const picks = [0, 1, 2, 3, 4, 5].map((g) => connectOptions(sc.target, `d-${g}`, sc.groups[0].connect, undefined, g));
    expect(picks.map((o) => o.url)).toEqual(['mqtt://a:1883', 'mqtt://b:1883', 'mqtt://a:1883', 'mqtt://b:1883', 'mqtt://a:1883', 'mqtt://b:1883']);
    expect(picks.map((o) => o.localAddress)).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.2', '127.0.0.3', '127.0.0.4']);
    const plain = load('  url: "mqtt://a:1883"');
    expect(connectOptions(plain.target, 'x', plain.groups[0].connect, undefined, 7)).toMatchObject({ url: 'mqtt://a:1883' });
    expect(connectOptions(plain.target, 'x', plain.groups[0].connect, undefined, 7).localAddress).toBeUndefined();
  });

  it('reports every problem, positioned', () => {
    expect(problems('  url: "mqtt://a:1883"\n  urls: [ "mqtt://b:1883" ]')).toEqual([
      '4:3 target.urls: set either url (one broker) or urls (several), not both',
    ]);
    expect(problems('  urls: [ embedded, "http://x", "mqtt://ok:1883" ]')).toEqual([
      '3:11 target.urls[0]: "embedded" cannot be one of several broker URLs',
      "3:21 target.urls[1]: unsupported URL scheme 'http'",
    ]);
    expect(problems('  urls: []')).toEqual(['3:9 target.urls: needs at least one broker URL']);
    expect(problems('  sourceAddresses: [ 127.0.0.2, localhost, "10.0.0.1:5000" ]')).toEqual([
      "3:33 target.sourceAddresses[1]: 'localhost' is not an IPv4 or IPv6 address",
      "3:44 target.sourceAddresses[2]: '10.0.0.1:5000' is not an IPv4 or IPv6 address",
    ]);
    expect(problems('  urls: [ "mqtt://a:1883", "ws://b/mqtt" ]\n  sourceAddresses: [ 127.0.0.2 ]')).toEqual([
      "4:3 target.sourceAddresses: sourceAddresses cannot be used with a WebSocket URL ('ws://b/mqtt'): its client opens a socket mqbench cannot bind",
    ]);
    expect(problems('  urls: [ "mqtts://a:8883", "mqtt://b:1883" ]\n  tls: { insecure: true }')).toEqual([
      "3:29 target.urls[1]: tls is set, but 'mqtt://b:1883' does not use TLS",
    ]);
  });

  it('results and hashes: URLs lose credentials; the hash ignores URLs and source addresses', () => {
    const a = load('  urls: [ "mqtt://u:pw@a:1883", "mqtt://b:1883" ]\n  sourceAddresses: [ 127.0.0.2 ]');
    const b = load('  url: "mqtt://c:1883"');
    const red = redactScenario(a, []) as { target: { urls: string[] } };
    expect(red.target.urls).toEqual(['mqtt://a:1883', 'mqtt://b:1883']);
    expect(scenarioHash(redactScenario(a, []))).toBe(scenarioHash(redactScenario(b, [])));
  });
});
