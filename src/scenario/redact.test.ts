import { describe, expect, it } from 'vitest';
import { parseScenarioText } from './load.js';
import { parsePath, REDACTED, redactScenario, redactUrl } from './redact.js';
import { scenarioPathOf } from './resolve.js';
import type { Scenario } from './model.js';
import { parsed } from '../thresholds/parsed.test-helper.js';
import { loaded } from '../../test/helpers/scenario.js';

const scenario: Scenario = {
  name: 's',
  target: { url: 'mqtt://bench:pw@broker:1883', mqttVersion: 5, username: 'bench', password: 'pw' },
  warmupMs: 0,
  durationMs: 1000,
  drainMs: 0,
  groups: [
    {
      name: 'a',
      count: 2,
      clientId: 'c-{i}',
      connect: { rate: 10, clean: true, keepaliveSec: 60, timeoutMs: 1000 },
      subscribe: [{ topic: 'site/secret-site/{i}', qos: 1 }],
      publish: { topic: 't/{i}', qos: 0, retain: false, rate: { kind: 'rate', perSec: 5 }, payload: { size: 64 } },
    },
  ],
  events: [],
  thresholds: [],
};

describe('redactUrl', () => {
  it.each([
    ['mqtt://user:pass@host:1883', 'mqtt://host:1883'],
    ['wss://user@host/mqtt', 'wss://host/mqtt'],
    ['mqtts://u:p%40ss@h', 'mqtts://h'],
    ['mqtt://host:1883', 'mqtt://host:1883'],
    ['mqtt://host/path@x', 'mqtt://host/path@x'],
    ['embedded', 'embedded'],
    ['not a url u:p@h', 'not a url u:p@h'],
    ['user:secret@host:1883', 'host:1883'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('redactScenario', () => {
  it('always hides the password and URL credentials, and hides every secret path', () => {
    const out = redactScenario(scenario, ['target.username', 'groups[0].subscribe[0].topic', 'groups[0].publish.rate']);
    expect(out.target).toEqual({ url: 'mqtt://broker:1883', mqttVersion: 5, username: REDACTED, password: REDACTED });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the redacted scenario is an untyped document
    const group = (out.groups as Array<Record<string, any>>)[0];
    expect(group.subscribe[0]).toEqual({ topic: REDACTED, qos: 1 });
    expect(group.publish.rate).toBe(REDACTED);
    expect(group.publish.topic).toBe('t/{i}');
    expect(JSON.stringify(out)).not.toMatch(/pw|secret-site/);
  });

  it('records thresholds as their expression texts', () => {
    const out = redactScenario({ ...scenario, thresholds: parsed(['endToEnd.p99 < 50ms', ' messages.lost == 0']) }, []);
    expect(out.thresholds).toEqual(['endToEnd.p99 < 50ms', 'messages.lost == 0']);
  });

  it('is a deep copy: the scenario is untouched', () => {
    redactScenario(scenario, ['groups[0].name']);
    expect(scenario.target.password).toBe('pw');
    expect(scenario.target.url).toBe('mqtt://bench:pw@broker:1883');
    expect(scenario.groups[0].name).toBe('a');
  });

  it('ignores paths that do not exist and adds no password when there is none', () => {
    const plain: Scenario = { ...scenario, target: { url: 'embedded', mqttVersion: 4 } };
    const out = redactScenario(plain, ['nope.deeper', 'groups[9].name', 'target.password']);
    expect(out.target).toEqual({ url: 'embedded', mqttVersion: 4 });
    expect(out.nope).toBeUndefined();
  });

  it('works end to end with the paths the loader reports', () => {
    const text = [
      'name: s',
      'target: { url: "${URL}", password: "${PW}" }',
      'warmup: ${W}',
      'groups:',
      '  - name: a',
      '    count: 1',
      '    subscribe: [ "site/${SITE}/#" ]',
      '    publish: { topic: "t", every: "${E}" }',
    ].join('\n');
    const env = { URL: 'mqtt://u:p@h:1', PW: 'hunter2', W: '1s', SITE: 'hq-berlin', E: '2s' };
    const l = loaded(parseScenarioText(text, 's.yaml', env));
    expect(l.secretPaths).toEqual(['target.url', 'target.password', 'warmupMs', 'groups[0].subscribe[0].topic', 'groups[0].publish.rate']);
    const json = JSON.stringify(redactScenario(l.scenario, l.secretPaths));
    for (const v of Object.values(env)) expect(json).not.toContain(v);
  });
});

describe('paths', () => {
  it.each<[Array<string | number>, string]>([
    [['warmup'], 'warmupMs'],
    [['duration'], 'durationMs'],
    [['drain'], 'drainMs'],
    [['groups', 2, 'connect', 'keepalive'], 'groups[2].connect.keepaliveSec'],
    [['groups', 0, 'connect', 'timeout'], 'groups[0].connect.timeoutMs'],
    [['groups', 0, 'publish', 'every'], 'groups[0].publish.rate'],
    [['groups', 0, 'subscribe', 3], 'groups[0].subscribe[3].topic'],
    [['groups', 0, 'subscribe', 3, 'topic'], 'groups[0].subscribe[3].topic'],
    [['target', 'password'], 'target.password'],
    [['thresholds', 1], 'thresholds[1]'],
  ])('YAML %j → Scenario %s', (yamlPath, expected) => {
    expect(scenarioPathOf(yamlPath)).toBe(expected);
  });

  it.each<[string, Array<string | number> | undefined]>([
    ['target.password', ['target', 'password']],
    ['groups[12].publish.rate', ['groups', 12, 'publish', 'rate']],
    ['["odd key"][0]', ['odd key', 0]],
    ['a..b', undefined],
    ['a[x]', undefined],
  ])('parsePath(%j)', (text, expected) => {
    expect(parsePath(text)).toEqual(expected);
  });
});
