import { describe, expect, it } from 'vitest';
import { loaded, problemLines, problems } from '../../test/helpers/scenario.js';
import { substituteEnv, substituteString } from './env.js';
import { parseScenarioText } from './load.js';

describe('substituteString', () => {
  const env = { USER: 'alice', PW: 's3cr3t-pa55', EMPTY: '' };
  it.each([
    ['${USER}', 'alice', ['USER']],
    ['u-${USER}-${USER}', 'u-alice-alice', ['USER', 'USER']],
    ['no vars', 'no vars', []],
    ['$${USER}', '${USER}', []],
    ['cost: $5 and $', 'cost: $5 and $', []],
    ['${EMPTY}x', 'x', ['EMPTY']],
    ['{i}/${USER}', '{i}/alice', ['USER']],
  ])('%j → %j', (text, value, used) => {
    const r = substituteString(text, env);
    expect(r.problems).toEqual([]);
    expect(r.value).toBe(value);
    expect(r.used).toEqual(used);
  });

  it('reports a missing variable by name', () => {
    expect(substituteString('${MQTT_PASSWORD}', env).problems).toEqual([{ message: 'environment variable MQTT_PASSWORD is not set' }]);
  });

  it.each([
    ['${', 'unclosed ${ in value'],
    ['a ${USER', 'unclosed ${ in value'],
    ['${}', 'invalid environment variable name ""'],
    ['${1X}', 'invalid environment variable name "1X"'],
    ['${A-B}', 'invalid environment variable name "A-B"'],
  ])('reports malformed %j', (text, message) => {
    expect(substituteString(text, env).problems[0].message).toBe(message);
  });
});

describe('substituteEnv', () => {
  it('substitutes string values everywhere, never keys, and records the secret paths', () => {
    const doc = {
      name: 'x',
      target: { password: '${PW}', url: 'mqtt://${HOST}:1883' },
      groups: [{ name: 'a', subscribe: ['t/${USER}', { topic: 'fixed' }] }],
      '${USER}': 'key stays',
      count: 3,
    };
    const r = substituteEnv(doc, { PW: 'hunter2', HOST: 'broker', USER: 'bob' });
    expect(r.problems).toEqual([]);
    expect(r.value).toEqual({
      name: 'x',
      target: { password: 'hunter2', url: 'mqtt://broker:1883' },
      groups: [{ name: 'a', subscribe: ['t/bob', { topic: 'fixed' }] }],
      '${USER}': 'key stays',
      count: 3,
    });
    expect(r.secretPaths).toEqual(['target.password', 'target.url', 'groups[0].subscribe[0]']);
    expect(r.secretValues).toEqual(expect.arrayContaining(['hunter2', 'broker', 'mqtt://broker:1883', 'bob', 't/bob']));
  });

  it('gives each missing variable its path', () => {
    const r = substituteEnv({ target: { password: '${MQTT_PASSWORD}' }, list: ['${A}', 'ok'] }, {});
    expect(r.problems).toEqual([
      { path: ['target', 'password'], message: 'environment variable MQTT_PASSWORD is not set' },
      { path: ['list', 0], message: 'environment variable A is not set' },
    ]);
  });

  it('does not read process.env', () => {
    process.env.MQB_ENV_TEST_ONLY = 'from-process';
    try {
      expect(substituteEnv({ a: '${MQB_ENV_TEST_ONLY}' }, {}).problems).toHaveLength(1);
    } finally {
      delete process.env.MQB_ENV_TEST_ONLY;
    }
  });

  it('keeps a "__proto__" key as a plain key', () => {
    const input = JSON.parse('{"__proto__": {"polluted": 1}}') as unknown;
    const r = substituteEnv(input, {}).value as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('environment values in a scenario', () => {
  const base = (extra: string) => `name: env\n${extra}\ngroups:\n  - name: a\n    count: 1\n`;

  it('a missing variable is a positioned problem naming it', () => {
    const result = parseScenarioText(base('target:\n  password: ${MQTT_PASSWORD}'), 's.yaml', {});
    expect(problems(result)).toEqual([{ file: 's.yaml', line: 3, col: 13, path: 'target.password', message: 'environment variable MQTT_PASSWORD is not set' }]);
    expect(problemLines(result)).toEqual(['s.yaml:3:13 target.password: environment variable MQTT_PASSWORD is not set']);
  });

  it('never echoes a substituted value in an error', () => {
    const secret = 'hunter2-very-secret';
    const env = { URL: `ftp://${secret}`, PW: secret, D: secret, N: 'x9', T: `t/{${secret}}` };
    const text = [
      'name: env',
      'target: { url: "${URL}", password: "${PW}" }',
      'duration: ${D}',
      'groups:',
      '  - name: a',
      '    count: ${N}',
      '    publish: { topic: "${T}", rate: 5/s, targets: "${N}" }',
    ].join('\n');
    const result = parseScenarioText(text, 's.yaml', env);
    expect(problems(result).map((p) => p.path)).toEqual(['target.url', 'duration', 'groups[0].count', 'groups[0].publish.topic', 'groups[0].publish.targets']);
    const printed = problemLines(result).join('\n');
    expect(printed).not.toContain(secret);
    expect(printed).not.toContain('x9');
    expect(printed).toContain("got '[redacted]'");
  });

  it('records where secrets are so they can be redacted', () => {
    const l = loaded(parseScenarioText(base('target:\n  password: ${PW}\nwarmup: ${W}'), 's.yaml', { PW: 'p', W: '1s' }));
    expect(l.scenario.target.password).toBe('p');
    expect(l.scenario.warmupMs).toBe(1000);
    expect(l.secretPaths).toEqual(['target.password', 'warmupMs']);
  });
});
