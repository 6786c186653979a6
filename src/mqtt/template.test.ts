import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  parseTemplate,
  renderTemplate,
  templateLiterals,
  templateShape,
  templateVars,
  type TemplateProblem,
  type TemplateVar,
} from './template.js';

function problemsOf(source: string, allowed?: readonly TemplateVar[]): TemplateProblem[] {
  const r = parseTemplate(source, allowed);
  if (r.ok) throw new Error(`expected problems for ${source}`);
  return r.problems;
}

describe('parseTemplate', () => {
  it.each([
    ['dev-{i}', ['dev-', { var: 'i' }]],
    ['cmd/{target}', ['cmd/', { var: 'target' }]],
    ['mqb-{run}-{group}-{i}', ['mqb-', { var: 'run' }, '-', { var: 'group' }, '-', { var: 'i' }]],
    ['{clientId}', [{ var: 'clientId' }]],
    ['{i}{seq}', [{ var: 'i' }, { var: 'seq' }]],
    ['plain/topic', ['plain/topic']],
    ['', []],
    ['a{{b}}c', ['a{b}c']],
    ['{{i}}', ['{i}']],
  ])('%j', (source, parts) => {
    const r = parseTemplate(source);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.template.parts).toEqual(parts);
      expect(r.template.source).toBe(source);
    }
  });

  it('names an unknown variable and lists the allowed ones', () => {
    const [p] = problemsOf('dev-{id}', ['i', 'group', 'run']);
    expect(p.message).toBe('unknown template variable {id}; allowed: {i}, {group}, {run}');
    expect(p.hint).toBe('did you mean {i}?');
    expect(p.offset).toBe(4);
  });

  it('suggests the right case', () => {
    expect(problemsOf('x/{clientid}')[0].hint).toBe('did you mean {clientId}?');
  });

  it('says when a known variable is not allowed in this field', () => {
    const [p] = problemsOf('dev-{seq}', ['i', 'group', 'run']);
    expect(p.message).toBe('template variable {seq} cannot be used here; allowed: {i}, {group}, {run}');
  });

  it('reports unbalanced braces', () => {
    expect(problemsOf('dev-{i')[0]).toMatchObject({ message: 'unclosed { in template', offset: 4 });
    expect(problemsOf('dev-i}')[0]).toMatchObject({ message: 'unmatched } in template', offset: 5 });
    expect(problemsOf('a{b{i}')[0]).toMatchObject({ message: 'unclosed { in template', offset: 1 });
    expect(problemsOf('{}')[0].message).toBe('empty template variable {}');
  });

  it('reports every problem, not just the first', () => {
    expect(problemsOf('{a}/{b}/}').map((p) => p.offset)).toEqual([0, 4, 8]);
  });

  it('never evaluates its input', () => {
    const [p] = problemsOf('{process.exit(1)}');
    expect(p.message).toContain('unknown template variable {process.exit(1)}');
    const [q] = problemsOf('${constructor}');
    expect(q.message).toContain('{constructor}');
  });
});

describe('renderTemplate', () => {
  it.each<[string, Record<string, string | number>, string]>([
    ['dev-{i}', { i: 7 }, 'dev-7'],
    ['cmd/{target}', { target: 12 }, 'cmd/12'],
    ['mqb-{run}-{group}-{i}', { run: 'r1', group: 'devices', i: 0 }, 'mqb-r1-devices-0'],
    ['{clientId}/{seq}/x', { clientId: 'c', seq: 3 }, 'c/3/x'],
    ['fixed', {}, 'fixed'],
    ['', {}, ''],
    ['a{{b}}-{i}', { i: 1 }, 'a{b}-1'],
    ['{i}', { i: 0 }, '0'],
  ])('%s with %j → %s', (source, values, expected) => {
    expect(renderTemplate(compileTemplate(source), values)).toBe(expected);
  });

  it('throws when a used variable has no value', () => {
    expect(() => compileTemplate('dev-{i}').render({})).toThrow('template "dev-{i}" needs a value for {i}');
    expect(() => compileTemplate('{group}/{i}').render({ group: 'g' })).toThrow('needs a value for {i}');
  });

  it('ignores values the template does not use', () => {
    expect(compileTemplate('t/{i}').render({ i: 1, seq: 9, group: 'g' })).toBe('t/1');
  });

  it('is reusable and fast (closure, no per-call parsing)', () => {
    const t = compileTemplate('mqb-{run}-{group}-{i}');
    const start = performance.now();
    let last = '';
    for (let i = 0; i < 200_000; i++) last = t.render({ run: 'r', group: 'g', i });
    expect(last).toBe('mqb-r-g-199999');
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('compileTemplate throws on an invalid template', () => {
    expect(() => compileTemplate('{nope}')).toThrow('invalid template "{nope}"');
  });
});

describe('template helpers', () => {
  const t = compileTemplate('$share/{group}/cmd/{i}/+');
  it('templateVars lists the variables used', () => {
    expect(templateVars(t)).toEqual(new Set(['group', 'i']));
    expect(templateVars(compileTemplate('plain'))).toEqual(new Set());
  });
  it('templateLiterals keeps only the literal text', () => {
    expect(templateLiterals(t)).toBe('$share//cmd//+');
  });
  it('templateShape puts a placeholder in each variable', () => {
    expect(templateShape(t)).toBe('$share/x/cmd/x/+');
  });
});
