import { describe, expect, it } from 'vitest';
import { field, INVALID, isValid, keysAt, present, rewrite, validItems, type Sink } from './decode.js';
import { defaultMapping, derive, entries, list, mapping } from './decodeMappings.js';
import * as v from './fieldParsers.js';
import { publishPace } from './schemaDerived.js';

function run<C>(decoder: { check(input: unknown, path: (string | number)[], out: Sink): C }, input: unknown) {
  const out: Sink = [];
  const checked = decoder.check(input, [], out);
  return { checked, problems: out.map((p) => `${p.path.join('.')}: ${p.message}${p.atKey ? ' (at key)' : ''}`) };
}

const connect = mapping({ rate: field(v.rate).default(1000), clean: field(v.bool).default(true), timeout: field(v.duration(true)).optional() });

describe('decoders: checked as written, filled with defaults', () => {
  it("a field is its parsed value, or INVALID with the parser's message", () => {
    expect(run(field(v.rate), '5/s')).toEqual({ checked: 5, problems: [] });
    expect(run(field(v.rate), 'fast')).toEqual({ checked: INVALID, problems: [": expected a rate like 500/s, got 'fast'"] });
  });

  it('absent keys stay undefined when checked (rules see what was written) and take their default when filled', () => {
    const { checked, problems } = run(connect, { clean: false });
    expect(problems).toEqual([]);
    expect(checked).toEqual({ rate: undefined, clean: false, timeout: undefined });
    expect(connect.fill(present(checked))).toEqual({ rate: 1000, clean: false });
  });

  it('a mapping reports every bad value and every unknown key, and keeps checking the rest', () => {
    const { checked, problems } = run(connect, { rate: 'x', clean: 'yes', tiemout: '1s' });
    expect(problems).toEqual(["rate: expected a rate like 500/s, got 'x'", "clean: must be true or false, got 'yes'", 'tiemout: unknown key (at key)']);
    expect(checked).toEqual({ rate: INVALID, clean: INVALID, timeout: undefined });
    expect(run(connect, [1]).problems).toEqual([': expected a mapping (key: value lines), got a list']);
    expect(run(connect, undefined).problems).toEqual([': is required']);
  });

  it('a mapping that may be left out is filled as if written {}', () => {
    const d = defaultMapping(connect.shape);
    expect(run(d, undefined).checked).toBeUndefined();
    expect(d.fill(undefined)).toEqual({ rate: 1000, clean: true });
  });

  it('a list checks every item; too short is one problem at the list, its items still checked', () => {
    const l = list(field(v.qos), { count: 2, message: 'needs two' });
    expect(run(l, [1, 5, 'x']).problems).toEqual(['1: must be 0, 1 or 2', '2: must be 0, 1 or 2']);
    expect(run(l, [1])).toEqual({ checked: [1], problems: [': needs two'] });
    expect(validItems(run(l, [1, 7, 2]).checked)).toEqual([
      [1, 0],
      [2, 2],
    ]);
    expect(run(l, 'x').problems).toEqual([": expected a list, got 'x'"]);
  });

  it('records: each key checked at the key, each value as a field', () => {
    const e = entries((k) => (k.startsWith('_') ? { message: 'no leading _' } : null), field(v.text()));
    expect(run(e, { a: 'b', _c: 'd', e: 5 }).problems).toEqual(['_c: no leading _ (at key)', 'e: expected text, got 5']);
    expect(e.fill(present(run(e, { a: 'b' }).checked))).toEqual({ a: 'b' });
    expect(run(e, 'x').problems).toEqual([": expected a mapping (name: value lines), got 'x'"]);
  });

  it('a rewritten input (a bare string for a mapping) is checked as the mapping', () => {
    const sub = rewrite((x) => (typeof x === 'string' ? { topic: x } : x), mapping({ topic: field(v.text()), qos: field(v.qos).default(0) }));
    expect(sub.fill(present(run(sub, 'a/#').checked))).toEqual({ topic: 'a/#', qos: 0 });
  });

  it('a derived key: exactly one of rate and every becomes the pace, in the types from then on', () => {
    const pub = derive(mapping({ rate: field(v.rate).optional(), every: field(v.duration(true)).optional() }), 'pace', publishPace);
    expect(pub.fill(present(run(pub, { every: '5s' }).checked)).pace).toEqual({ kind: 'every', everyMs: 5000 });
    expect(run(pub, { rate: '1/s', every: '1s' }).problems).toEqual(['every: set either rate (for the whole group) or every (per client), not both (at key)']);
    expect(run(pub, {}).problems).toEqual(['rate: publish needs a rate (for the whole group, e.g. 100/s) or every (per client, e.g. 5s)']);
    const bad = run(pub, { rate: 'x' });
    expect(bad.problems).toHaveLength(1); // the rate's own problem, not a second one
    expect(isValid(bad.checked) && bad.checked.pace).toBe(INVALID);
  });

  it('knows the keys allowed at a path, through lists and optional keys', () => {
    const root = mapping({ groups: list(mapping({ connect: connect.optional() })) });
    expect(keysAt(root, ['groups', 3, 'connect'])).toEqual(['rate', 'clean', 'timeout']);
    expect(keysAt(root, ['groups', 0, 'nope'])).toEqual([]);
  });

  it('fill refuses a value that was INVALID: it only runs on a document without problems', () => {
    expect(() => present(INVALID)).toThrow(/fill reached an invalid value/);
  });
});
