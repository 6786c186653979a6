import { describe, expect, it } from 'vitest';
import { locate, parseYaml, scalarDepth, writtenText } from './positions.js';
import { formatPath } from './problems.js';

const text = [
  'name: demo', //                       line 1
  'target:', //                          line 2
  '  url: mqtt://localhost', //          line 3
  'groups:', //                          line 4
  '  - name: a', //                      line 5
  '    count: 3', //                     line 6
  '    subscribe: ["x/{i}", {topic: y}]', // line 7
  '    publish:', //                     line 8
  '      qos:', //                       line 9
  '  - &g {name: b, count: 1}', //       line 10
  'extra: *g', //                        line 11
].join('\n');

describe('parseYaml', () => {
  it('parses a clean document without problems', () => {
    const parsed = parseYaml(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.doc.toJS().groups[1]).toEqual({ name: 'b', count: 1 });
  });

  it.each([
    ['a: 1\n  b: 2\n', 1, 4],
    ['a: [1, 2\n', 2, 1],
    ['a: 1\na: 2\n', 2, 1],
    ['a: 1\n---\nb: 2\n', 2, 1],
    ['x: "open\n', 1, 4], // an unclosed quote: where it opens
    ['\t- a\n', 1, 1],
  ])('reports a syntax error in %j at its line:col', (src, line, col) => {
    const [p] = parseYaml(src).problems;
    expect(p).toMatchObject({ line, col });
    expect(p.message).toMatch(/^YAML syntax error: /);
    expect(p.message).not.toContain('\n');
    expect(p.message).not.toMatch(/at line \d+/);
  });

  it('reports one syntax error per line and hints at quoting ${VAR} in flow collections', () => {
    const problems = parseYaml('a: [ {n: ${X}} ]\n').problems;
    expect(problems).toHaveLength(1);
    expect(problems[0].hint).toContain('quote values that use ${VAR}');
  });
});

describe('locate', () => {
  const parsed = parseYaml(text);
  it.each<[Array<string | number>, boolean, number, number]>([
    [[], false, 1, 1],
    [['name'], false, 1, 7],
    [['name'], true, 1, 1],
    [['target', 'url'], false, 3, 8],
    [['target', 'url'], true, 3, 3],
    [['groups', 0], false, 5, 5],
    [['groups', 0, 'count'], false, 6, 12],
    [['groups', 0, 'count'], true, 6, 5],
    [['groups', 0, 'subscribe', 0], false, 7, 17],
    [['groups', 0, 'subscribe', 1, 'topic'], false, 7, 34],
    // a missing key points at its parent mapping
    [['groups', 0, 'clientId'], false, 5, 5],
    [['target', 'password'], false, 3, 3],
    [['groups', 7, 'name'], false, 5, 3],
    // an empty value ("qos:") points at its key
    [['groups', 0, 'publish', 'qos'], false, 9, 7],
    // deeper than a scalar: the scalar
    [['groups', 0, 'subscribe', 0, 'topic'], false, 7, 17],
    // through an alias
    [['extra', 'name'], false, 10, 15],
    [['groups', 1, 'count'], false, 10, 25],
  ])('%j (key: %s) → %d:%d', (path, atKey, line, col) => {
    expect(locate(parsed, path, atKey)).toEqual({ line, col });
  });

  it.each<[string, string, string, number, number]>([
    ['a null key', 'name: a\n: x\n', '', 2, 1],
    ['a list as a key', 'name: a\n? [ x, y ]\n: 1\n', '[ x, y ]', 2, 3],
    ['a mapping as a key', 'name: a\n{ k: 1 }: 1\n', '{ k: 1 }', 2, 1],
    ['an alias as a key', 'name: &n a\n*n : 1\n', 'a', 2, 1],
  ])('finds a key written as %s (as the plain data spells it)', (_label, src, key, line, col) => {
    const doc = parseYaml(src);
    expect(Object.keys(doc.doc.toJS({ maxAliasCount: 100 }) as object)).toContain(key);
    expect(locate(doc, [key], true)).toEqual({ line, col });
  });

  it('writtenText gives the text a scalar was written as', () => {
    const doc = parseYaml('target: { mqttVersion: 4.0 }\nv: &v 5.0\nw: *v\n');
    expect(doc.doc.toJS().target.mqttVersion).toBe(4);
    expect(writtenText(doc, ['target', 'mqttVersion'])).toBe('4.0');
    expect(writtenText(doc, ['w'])).toBe('5.0');
    expect(writtenText(doc, ['target'])).toBeUndefined();
    expect(writtenText(doc, ['nope', 'x'])).toBeUndefined();
  });

  it('scalarDepth finds where a path runs into a scalar', () => {
    expect(scalarDepth(parsed, ['groups', 0, 'subscribe', 0, 'topic'])).toBe(4);
    expect(scalarDepth(parsed, ['groups', 0, 'subscribe', 1, 'topic'])).toBe(5);
    expect(scalarDepth(parsed, ['groups', 0, 'clientId'])).toBe(3);
  });
});

describe('formatPath', () => {
  it.each<[Array<string | number>, string]>([
    [[], ''],
    [['name'], 'name'],
    [['groups', 1, 'publish', 'qos'], 'groups[1].publish.qos'],
    [['thresholds', 0], 'thresholds[0]'],
    [['odd key', 2], '["odd key"][2]'],
    [['groups', 0, 'a.b'], 'groups[0]["a.b"]'],
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});
