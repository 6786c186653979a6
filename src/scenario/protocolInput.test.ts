/**
 * The loader's protocol rules, in process: strings MQTT forbids (per field, with file:line:col), names that
 * only become too long once rendered, reserved keys at any depth, URL escapes, and warnings for times after
 * the end of the run.
 */
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../shared/errors.js';
import { loaded, problemLines } from '../../test/helpers/scenario.js';
import { parseScenarioText } from './load.js';

const FILE = '/tmp/s.yaml';

const problems = (text: string): string[] => problemLines(parseScenarioText(text, FILE, { SECRET_TOPIC: 'x\u0001y' }));

const group = (extra: string) => `name: s\ntarget: { mqttVersion: 5 }\ngroups:\n  - name: devices\n    count: 3\n${extra}`;

describe('strings MQTT forbids, in every field that becomes one', () => {
  it.each([
    [
      'a publish topic',
      '    publish: { topic: "t/{i}/\\x01", rate: 1/s }\n',
      ':6:23 groups[0].publish.topic: topic contains the control character U+0001 at character 7',
    ],
    [
      'a subscription (shorthand)',
      '    subscribe: ["a/\\uFFFF"]\n',
      ':6:17 groups[0].subscribe[0]: topic filter contains the Unicode non-character U+FFFF at character 3',
    ],
    [
      'a subscription (mapping)',
      '    subscribe: [{ topic: "a/\\x9f/#", qos: 1 }]\n',
      ':6:26 groups[0].subscribe[0].topic: topic filter contains the control character U+009F at character 3',
    ],
    ['a client id', '    clientId: "d\\x00{i}"\n', ':6:15 groups[0].clientId: clientId contains the NUL character (U+0000) at character 2'],
    [
      'a response topic',
      '    publish: { topic: "t/{i}", rate: 1/s, responseTopic: "r/\\x1b" }\n',
      ':6:58 groups[0].publish.responseTopic: response topic contains the control character U+001B at character 3',
    ],
    [
      'a content type',
      '    publish: { topic: "t", rate: 1/s, properties: { contentType: "a\\uFDD0" } }\n',
      ':6:66 groups[0].publish.properties.contentType: contentType contains the Unicode non-character U+FDD0 at character 2',
    ],
    [
      'a user property value',
      '    publish: { topic: "t", rate: 1/s, properties: { userProperties: { k: "\\x7f" } } }\n',
      ':6:74 groups[0].publish.properties.userProperties.k: user property value contains the control character U+007F at character 1',
    ],
    [
      'a user property name',
      '    publish: { topic: "t", rate: 1/s, properties: { userProperties: { "k\\x01": v } } }\n',
      ':6:71 groups[0].publish.properties.userProperties["k\\u0001"]: user property name contains the control character U+0001 at character 2',
    ],
    [
      'a value from the environment',
      '    publish: { topic: "${SECRET_TOPIC}", rate: 1/s }\n',
      ':6:23 groups[0].publish.topic: topic contains the control character U+0001 at character 2',
    ],
  ])('%s', (_label, extra, expected) => {
    const found = problems(group(extra));
    expect(found.join('\n')).toContain(`${FILE}${expected}`);
    expect(found.join('\n')).toContain('(hint: MQTT forbids NUL, control characters');
  });

  it('points at the character as written in a template (not in its rendered shape)', () => {
    expect(problems(group('    publish: { topic: "{group}/{i}/\\x01", rate: 1/s }\n'))[0]).toContain('at character 13');
  });

  it('a template variable cannot bring a forbidden character in: {clientId} is checked where it is written', () => {
    const found = problems(group('    clientId: "c\\x01{i}"\n    subscribe: ["cmd/{clientId}"]\n'));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('groups[0].clientId: clientId contains the control character U+0001');
  });

  it('a user name the URL or the scenario gives is checked too', () => {
    expect(problems('name: s\ntarget: { username: "a\\tb" }\ngroups: [{ name: d, count: 1 }]\n')[0]).toContain(
      ':2:21 target.username: username contains the control character U+0009 at character 2',
    );
  });
});

describe('names that are too long only once rendered', () => {
  const long = 'x'.repeat(65_530);
  it('a topic that fits as written but not for the last client and a 32-character run id', () => {
    const found = problems(`name: s\ngroups:\n  - name: d\n    count: 100000\n    publish: { topic: "${long}/{run}/{i}", rate: 1/s }\n`);
    expect(found).toEqual([
      `${FILE}:5:23 groups[0].publish.topic: topic renders to as many as 65,569 bytes (for the group's last client, a 32-character run id and 13-digit sequence numbers); MQTT allows at most 65,535 (hint: shorten the literal text of the template)`,
    ]);
  });

  it('a client id, and a filter that includes it', () => {
    const found = problems(`name: s\ngroups:\n  - name: d\n    count: 10\n    clientId: "${long}-{i}-{run}"\n    subscribe: ["c/{clientId}"]\n`);
    expect(found.map((p) => p.split(' ')[1])).toEqual(['groups[0].clientId:', 'groups[0].subscribe[0]:']);
  });

  it('a name over the limit as written is reported once, by its own check', () => {
    const found = problems(`name: s\ngroups:\n  - name: d\n    count: 1\n    publish: { topic: "${'y'.repeat(65_536)}{i}", rate: 1/s }\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('topic is 65,537 bytes in UTF-8; MQTT allows at most 65,535');
  });
});

describe('reserved keys are refused everywhere, at the key', () => {
  it.each([
    ['__proto__', 'at the root', '__proto__: 1\nname: s\ngroups: [{ name: d, count: 1 }]\n', ':1:1 __proto__:'],
    ['constructor', 'in a group', 'name: s\ngroups:\n  - name: d\n    count: 1\n    constructor: 1\n', ':5:5 groups[0].constructor:'],
    [
      'prototype',
      'in user properties',
      group('    publish: { topic: t, rate: 1/s, properties: { userProperties: { prototype: v } } }\n'),
      ':6:69 groups[0].publish.properties.userProperties.prototype:',
    ],
    [
      '__proto__',
      'in user properties (silently dropped before)',
      group('    publish:\n      topic: t\n      rate: 1/s\n      properties:\n        userProperties:\n          __proto__: v\n'),
      ':11:11 groups[0].publish.properties.userProperties.__proto__:',
    ],
    [
      'constructor',
      'in a QoS mix',
      group('    publish: { topic: t, rate: 1/s, qos: { 0: 50%, constructor: 50% } }\n'),
      ':6:52 groups[0].publish.qos.constructor:',
    ],
  ])('%s %s', (key, _where, text, at) => {
    const found = problems(text);
    const line = found.find((p) => p.includes(at));
    expect(line, found.join('\n')).toBe(
      `${FILE}${at} "${key}" cannot be used as a key (hint: __proto__, constructor and prototype are reserved names in JavaScript objects: rename the key)`,
    );
    expect(found.filter((p) => p.includes(at))).toHaveLength(1);
  });
});

describe('credentials in a broker URL', () => {
  it.each([
    ['mqtt://u:50%@h', 'password'],
    ['mqtt://u:p%zz@h:1883', 'password'],
    ['mqtt://u:p%FF@h', 'password'],
    ['mqtt://%E0%A4%A@h', 'user name'],
  ])('%s is refused with the %%25 hint, the secret not echoed', (url, part) => {
    const found = problems(`name: s\ntarget: { url: "${url}" }\ngroups: [{ name: d, count: 1 }]\n`);
    expect(found).toEqual([
      `${FILE}:2:16 target.url: the ${part} in the URL has a % that does not start a valid escape (hint: in a URL, write a literal % as %25 (and @ as %40, : as %3A, / as %2F), or set target.username / target.password instead)`,
    ]);
  });

  it('valid escapes pass, in url and in urls', () => {
    const result = parseScenarioText('name: s\ntarget: { urls: ["mqtt://u%40x:50%25@h", "mqtt://u:p%3Aw@h2"] }\ngroups: [{ name: d, count: 1 }]\n', FILE, {});
    expect(loaded(result).scenario.target.urls).toHaveLength(2);
  });
});

describe('warnings for times after the end of the run', () => {
  const text = [
    'name: s',
    'warmup: 2s',
    'duration: 10s',
    'groups:',
    '  - name: d',
    '    count: 1',
    '    subscribe:',
    '      - { topic: "a", at: 12s }',
    '      - { topic: "b", at: 11s }',
    '      - { topic: "c", until: 13s }',
    '      - { topic: "e", until: 12s }',
    'events:',
    '  - { at: 12s, pause: { group: d } }',
    '  - { at: 11.9s, resume: { group: d } }',
    '',
  ].join('\n');

  it('a subscription that never starts or ends after the run, an event that never happens: positioned; nothing else', () => {
    const l = loaded(parseScenarioText(text, FILE, {}));
    expect(l.warnings().map(formatProblem)).toEqual([
      `${FILE}:8:27 groups[0].subscribe[0].at: at 12s is not before the run ends at 12s (warm-up 2s + duration 10s): this subscription never starts (hint: make at earlier, or the run longer with duration or --duration)`,
      `${FILE}:10:30 groups[0].subscribe[2].until: until 13s is after the run ends at 12s (warm-up 2s + duration 10s): the subscription simply lasts to the end (hint: leave until out to subscribe to the end, or make the run longer)`,
      `${FILE}:13:11 events[0].at: this event at 12s is not before the run ends at 12s (warm-up 2s + duration 10s): it never happens (hint: make at earlier, or the run longer with duration or --duration)`,
    ]);
  });

  it('judges the scenario as it will run (e.g. after --duration)', () => {
    const l = loaded(parseScenarioText(text, FILE, {}));
    expect(l.warnings({ ...l.scenario, durationMs: 60_000 })).toEqual([]);
    expect(l.warnings({ ...l.scenario, durationMs: 5_000 })).toHaveLength(6);
  });
});
