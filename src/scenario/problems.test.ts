import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem, type ScenarioProblem } from '../shared/errors.js';
import { loaded, problems } from '../../test/helpers/scenario.js';
import { loadScenario, parseScenarioText } from './load.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const problemsOf = (text: string, file = 's.yaml'): ScenarioProblem[] => problems(parseScenarioText(text, file, {}));

/** A valid scenario with `lines` spliced into group "a" (indented as its keys). */
function withGroup(...lines: string[]): string {
  return ['name: s', 'groups:', '  - name: a', '    count: 3', ...lines.map((l) => `    ${l}`)].join('\n');
}

function only(text: string): ScenarioProblem {
  const problems = problemsOf(text);
  expect(problems).toHaveLength(1);
  return problems[0];
}

describe('unknown keys', () => {
  it('three unknown keys → exactly three problems at the keys, each with a did-you-mean hint', async () => {
    const file = fixture('unknown-keys.yaml');
    const found = problems(await loadScenario(file, {}));
    expect(found).toEqual([
      { file, line: 2, col: 1, path: 'duraton', message: 'unknown key', hint: 'did you mean "duration"?' },
      { file, line: 6, col: 5, path: 'groups[0].conect', message: 'unknown key', hint: 'did you mean "connect"?' },
      { file, line: 10, col: 9, path: 'groups[0].subscribe[0].qso', message: 'unknown key', hint: 'did you mean "qos"?' },
    ]);
    expect(formatProblem(found[1])).toBe(`${file}:6:5 groups[0].conect: unknown key (hint: did you mean "connect"?)`);
  });

  it('lists the allowed keys when nothing is close', () => {
    const p = only('name: s\nextras: []\ngroups: [ { name: a, count: 1 } ]\n');
    expect(p).toMatchObject({ line: 2, col: 1, path: 'extras', message: 'unknown key' });
    expect(p.hint).toBe('allowed keys: name, description, target, warmup, duration, drain, workers, groups, events, stages, thresholds');
  });
});

describe('several errors in one file', () => {
  it('reports all of them, sorted by line and column', async () => {
    const file = fixture('many-errors.yaml');
    const text = await readFile(file, 'utf8');
    const problems = problemsOf(text, 'm.yaml');
    expect(problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`)).toEqual([
      "1:7 name: 'many errors' is not a valid name",
      "2:11 duration: expected a duration like 30s, got 'fast'",
      '6:15 groups[0].clientId: clientId has no {i}, so all 5 clients would connect with the same id',
      '8:34 groups[0].subscribe[0].qos: must be 0, 1 or 2',
      '9:9 groups[0].subscribe[1]: $share needs a group name: $share/<group>/<filter>',
      '13:14 groups[1].publish.topic: unknown template variable {targt}; allowed: {i}, {group}, {clientId}, {run}, {target}, {seq}',
      '15:7 groups[1].publish.every: set either rate (for the whole group) or every (per client), not both',
      '16:24 groups[1].publish.payload.size: payload size 15 B is smaller than the 16-byte compact mqbench header',
    ]);
    expect(problems[5].hint).toBe('did you mean {target}?');
    expect(problems[1].hint).toBe('durations look like 500ms, 30s, 2m, 1h or 1m30s');
  });

  it('each problem prints as one formatted line, no stack, no internal dump', () => {
    expect(problems(parseScenarioText('name: s\nduration: 5\ngroups: [ { name: a, count: 0 } ]\n', 'e.yaml', {})).map(formatProblem)).toEqual([
      'e.yaml:2:11 duration: expected a duration like 30s, got 5 (hint: add a unit, e.g. 30s)',
      'e.yaml:3:29 groups[0].count: must be a whole number from 1 to 10000000, got 0',
    ]);
  });
});

describe('single problems', () => {
  it('a YAML syntax error gives line:col (and only syntax errors are reported)', () => {
    const problems = problemsOf('name: s\ngroups:\n  - name: a\n   count: [1\n');
    expect(problems[0]).toMatchObject({ line: 4, col: 1, path: '' });
    expect(problems[0].message).toBe('YAML syntax error: Sequence item without - indicator');
    for (const p of problems) expect(p.message).toMatch(/^YAML syntax error: /);
  });

  it('QoS 3', () => {
    expect(only(withGroup('subscribe: [ { topic: t, qos: 3 } ]'))).toMatchObject({
      line: 5,
      col: 35,
      path: 'groups[0].subscribe[0].qos',
      message: 'must be 0, 1 or 2',
    });
  });

  it('payload smaller than the header', () => {
    const p = only(withGroup('publish: { topic: t, rate: 1/s, payload: { size: 15 } }'));
    expect(p).toMatchObject({ path: 'groups[0].publish.payload.size', line: 5, col: 54 });
    expect(p.message).toBe('payload size 15 B is smaller than the 16-byte compact mqbench header');
  });

  it.each(['t/+/x', 'sensors/#', 'a+/{i}'])('publish to the wildcard %j', (topic) => {
    expect(only(withGroup(`publish: { topic: "${topic}", rate: 1/s }`))).toMatchObject({
      path: 'groups[0].publish.topic',
      message: 'cannot publish to a wildcard topic (+ or #)',
    });
  });

  it('$share without a group name', () => {
    expect(only(withGroup('subscribe: [ "$share//telemetry/#" ]'))).toMatchObject({
      line: 5,
      col: 18,
      path: 'groups[0].subscribe[0]',
      message: '$share needs a group name: $share/<group>/<filter>',
    });
  });

  it('every and rate both set', () => {
    expect(only(withGroup('publish:', '  topic: t', '  rate: 10/s', '  every: 1s'))).toMatchObject({
      line: 8,
      col: 7,
      path: 'groups[0].publish.every',
      message: 'set either rate (for the whole group) or every (per client), not both',
    });
  });

  it('neither every nor rate', () => {
    expect(only(withGroup('publish:', '  topic: t'))).toMatchObject({
      line: 6,
      col: 7,
      path: 'groups[0].publish.rate',
      message: 'publish needs a rate (for the whole group, e.g. 100/s) or every (per client, e.g. 5s)',
    });
  });

  it('unknown template variable', () => {
    expect(only(withGroup('clientId: "dev-{index}"'))).toMatchObject({
      path: 'groups[0].clientId',
      message: 'unknown template variable {index}; allowed: {i}, {group}, {run}',
    });
  });

  it('a clientId without {i} for more than one client', () => {
    expect(only(withGroup('clientId: "dev-{group}"'))).toMatchObject({
      path: 'groups[0].clientId',
      message: 'clientId has no {i}, so all 3 clients would connect with the same id',
      hint: 'add {i}, e.g. "dev-{i}"',
    });
  });

  it('{target} with no obvious group to target', () => {
    const p = only(withGroup('publish: { topic: "cmd/{target}", rate: 1/s }'));
    expect(p).toMatchObject({ path: 'groups[0].publish.targets', line: 5, col: 14 });
    expect(p.message).toBe('set publish.targets to the group {target} should cycle through');
  });

  it('{target} in the only group: the hint says another group is needed', () => {
    const p = only(withGroup('publish: { topic: "cmd/{target}", rate: 1/s }'));
    expect(p.hint).toBe('add a group of subscribers for {target} to cycle through');
  });

  it('a rate above 10,000,000/s is refused; exactly that is fine', () => {
    expect(only(withGroup('clientId: "a-{i}"', 'publish: { topic: t, rate: 10000001/s }'))).toMatchObject({
      path: 'groups[0].publish.rate',
      message: "rate must be at most 10,000,000/s, got '10000001/s'",
    });
    expect(loaded(parseScenarioText(withGroup('clientId: "a-{i}"', 'publish: { topic: t, rate: 10000000/s }'), 's.yaml', {})).scenario.groups).toHaveLength(1);
  });

  it('a YAML merge key (<<) is an unknown key with a hint to write the keys out', () => {
    const problems = problemsOf('name: s\ngroups:\n  - <<: { count: 1 }\n    name: a\n');
    expect(problems).toContainEqual(
      expect.objectContaining({ line: 3, col: 5, path: 'groups[0]["<<"]', hint: 'YAML merge keys (<<: *anchor) are not supported: write the keys out' }),
    );
  });

  it('targets naming a group that does not exist', () => {
    const p = only(withGroup('publish: { topic: "cmd/{target}", rate: 1/s, targets: aa }'));
    expect(p).toMatchObject({ path: 'groups[0].publish.targets', message: "no group named 'aa'" });
  });

  it('duplicate group names', () => {
    const p = only('name: s\ngroups:\n  - { name: a, count: 1 }\n  - { name: a, count: 1 }\n');
    expect(p).toMatchObject({ line: 4, col: 13, message: "group name 'a' is already used by groups[0]" });
  });

  it('a missing required key is reported at its parent mapping', () => {
    expect(only('name: s\ngroups:\n  - name: a\n')).toMatchObject({
      line: 3,
      col: 5,
      path: 'groups[0].count',
      message: 'is required',
    });
  });

  it.each([
    ['target: { url: "http://x" }', 'target.url', "unsupported URL scheme 'http'"],
    ['target: { url: "mqtt:///x" }', 'target.url', "URL 'mqtt:///x' has no host"],
    ['target: { url: "mqtt://user:pw@:1883" }', 'target.url', `expected "embedded" or a URL like mqtt://localhost:1883, got 'mqtt://:1883'`],
    ['duration: 0s', 'duration', 'must be longer than 0s'],
    ['target: { url: "localhost:1883" }', 'target.url', `expected "embedded" or a URL like mqtt://localhost:1883, got 'localhost:1883'`],
    ['target: { url: "u:secret@host:1883" }', 'target.url', `expected "embedded" or a URL like mqtt://localhost:1883, got 'host:1883'`],
    ['duration: 999999h', 'duration', "must be 168h (7 days) or less, got '999999h'"],
    ['warmup: 8d', 'warmup', "expected a duration like 30s, got '8d'"],
    ['drain: 169h', 'drain', "must be 168h (7 days) or less, got '169h'"],
    ['workers: 65', 'workers', 'must be a whole number from 1 to 64, got 65'],
    ['groups: []', 'groups', 'needs at least one group'],
    ['target: embedded', 'target', "expected a mapping (key: value lines), got 'embedded'"],
    ['thresholds: "p99 < 5ms"', 'thresholds', "expected a list, got 'p99 < 5ms'"],
  ])('%s', (line, path, message) => {
    const text = `name: s\n${line}\n${line.startsWith('groups') ? '' : 'groups: [ { name: a, count: 1 } ]\n'}`;
    expect(only(text)).toMatchObject({ path, message });
  });
});
