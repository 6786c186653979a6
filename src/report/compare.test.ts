import { describe, expect, it } from 'vitest';
import type { Results } from '../metrics/types.js';
import { brokerLabel, renderComparison, resultsLabel, scenarioDifferences, sidesOf, type ComparisonItem } from './compare.js';
import { buildComparison, type RowResult } from './compareModel.js';
import { makeResults, rowCells } from './fixture.test-helper.js';

/** Cells of the Markdown row whose first cell is `label`. */
function mdCells(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`| ${label} |`));
  if (!line) throw new Error(`no row "${label}" in:\n${text}`);
  return line.slice(2, -2).split(' | ');
}

/** A run with end-to-end p99 `p99` ms, sending `sentPerSec` against a plan of 2,000/s for 30 s. */
function run(p99: number, o: { sentPerSec?: number; label?: string; status?: Results['status'] } = {}): Results {
  const r = makeResults({
    status: o.status,
    target: o.label ? { label: o.label } : {},
    messages: { planned: 60_000, unsent: 0, unconfirmed: 0, lateSends: 30 },
  });
  r.summary.latencyMs.endToEnd = { ...r.summary.latencyMs.endToEnd, p99 };
  r.summary.throughput = { sentPerSec: o.sentPerSec ?? 2000, receivedPerSec: o.sentPerSec ?? 2000 };
  r.environment.scenarioHash = 'same';
  return r;
}

const side = (label: string, runs: Results[]): ComparisonItem[] => runs.map((results) => ({ label, results }));
const row = (rows: RowResult[], label: string): RowResult => {
  const r = rows.find((x) => x.label === label);
  if (!r) throw new Error(`no row ${label}`);
  return r;
};

describe('compare: repeated runs per side', () => {
  it('calls a 20 % p99 shift with a tight spread a real difference, with medians and intervals', () => {
    const c = buildComparison(sidesOf([...side('mosquitto', [run(10), run(10.1), run(9.9)]), ...side('rabbitmq', [run(12), run(12.1), run(11.9)])]));
    const p99 = row(c.rows, 'end-to-end p99 (ms)');
    expect(p99.verdict).toBe('mosquitto better');
    expect(p99.best).toEqual([true, false]);
    expect(p99.cells[0].text).toMatch(/^10\.0 \[9\.90–10\.1\]$/);
    expect(p99.change).toMatch(/^\+20\.0 % \[\+1\d\.\d %, \+2\d\.\d %\]$/);
    expect(c.method).toContain('bootstrap percentile interval');
  });

  it('calls a 2 % shift within noise no significant difference', () => {
    const c = buildComparison(sidesOf([...side('a', [run(10), run(11), run(9)]), ...side('b', [run(10.2), run(11.2), run(9.2)])]));
    expect(row(c.rows, 'end-to-end p99 (ms)').verdict).toBe('no significant difference');
    expect(row(c.rows, 'end-to-end p99 (ms)').best).toEqual([false, false]);
  });

  it('two identical sets of runs differ in nothing', () => {
    const runs = () => [run(10), run(10.5), run(9.5)];
    const c = buildComparison(sidesOf([...side('a', runs()), ...side('b', runs())]));
    const judged = c.rows.filter((r) => r.better !== 'none' && r.cells.every((x) => x.values.length > 0));
    expect(judged.length).toBeGreaterThan(5);
    for (const r of judged) expect([r.label, r.verdict]).toEqual([r.label, 'no significant difference']);
  });

  it('judges rates by their distance from the plan: a side sending above the plan is not better', () => {
    const c = buildComparison(
      sidesOf([
        ...side('rabbitmq', [run(10, { sentPerSec: 2072 }), run(10, { sentPerSec: 2071 }), run(10, { sentPerSec: 2073 })]),
        ...side('mosquitto', [run(10), run(10), run(10)]),
      ]),
    );
    const rate = row(c.rows, 'send rate (% of plan)');
    expect(rate.cells.map((x) => x.text)).toEqual(['103.6 % [103.6 %–103.6 %]', '100.0 % [100.0 %–100.0 %]']);
    expect(rate.verdict).toBe('no significant difference'); // 3.6 points off the plan: under the practical 5
    expect(rate.best).toEqual([false, false]);
    expect(row(c.rows, 'send rate').verdict).toBe('');
    const far = buildComparison(
      sidesOf([
        ...side('behind', [run(10, { sentPerSec: 1300 }), run(10, { sentPerSec: 1310 })]),
        ...side('ahead', [run(10, { sentPerSec: 2400 }), run(10, { sentPerSec: 2390 })]),
      ]),
    );
    expect(row(far.rows, 'send rate (% of plan)').verdict).toBe('ahead better'); // 20 points off the plan against 35
  });
});

describe('compare: one run per side', () => {
  const text = renderComparison([...side('mosquitto', [run(10)]), ...side('emqx', [run(20)])], { markdown: false });
  it('shows differences without a verdict', () => {
    expect(rowCells(text, 'figure')).toEqual(['figure', 'a: mosquitto', 'b: emqx', 'b vs a', 'verdict']);
    expect(rowCells(text, 'end-to-end p99 (ms)')).toEqual(['end-to-end p99 (ms)', '10.0', '20.0', '+100.0 %', 'no verdict (one run on a side)']);
    expect(text).not.toMatch(/\S \* *│/);
    expect(text).toContain('bootstrap percentile interval');
  });
  it('has rows for late and missed sends, unsent, unconfirmed and verdicts', () => {
    expect(rowCells(text, 'late sends (% of planned)')).toEqual(['late sends (% of planned)', '0.050 %', '0.050 %', '±0.0 %', 'no significant difference']);
    for (const label of ['missed sends (% of planned)', 'unsent (% of planned)', 'unconfirmed (% of sent)', 'delivery verdicts', 'status'])
      expect(rowCells(text, label)[0]).toBe(label);
  });
});

describe('compare: sides that cannot be judged', () => {
  it('marks a partial run invalid, never best', () => {
    const c = buildComparison(sidesOf([...side('a', [run(10), run(10)]), ...side('b', [run(1, { status: 'partial' }), run(1, { status: 'partial' })])]));
    const p99 = row(c.rows, 'end-to-end p99 (ms)');
    expect(p99.cells[1]).toMatchObject({ text: 'invalid: run partial', invalid: 'run partial' });
    expect(p99.verdict).toBe('invalid (b: run partial)');
    expect(p99.best).toEqual([false, false]);
  });

  it('marks delivery rows invalid for a side whose subscription was not granted ("lost 0" proves nothing)', () => {
    const refused = run(10);
    refused.summary.messages = { ...refused.summary.messages, expected: 0, received: 0, lost: 0 };
    refused.summary.connections.subscribeFailed = 1;
    const text = renderComparison([...side('ok', [run(10)]), ...side('refused', [refused])], { markdown: true });
    expect(mdCells(text, 'lost (% of expected)')).toEqual([
      'lost (% of expected)',
      '0 %',
      'invalid: no subscription granted',
      '',
      'invalid (refused: no subscription granted)',
    ]);
    expect(text).not.toContain('**0 %**');
  });

  it('leaves an invalid run out of a side with valid ones and says so', () => {
    const c = buildComparison(sidesOf([...side('a', [run(10), run(10.1), run(1, { status: 'failed' })]), ...side('b', [run(12), run(12.1)])]));
    const p99 = row(c.rows, 'end-to-end p99 (ms)');
    expect(p99.cells[0].leftOut).toBe('1 of 3 runs left out: run failed');
    expect(p99.verdict).toBe('a better');
  });
});

describe('compare: more than two sides', () => {
  it('marks a side best only when it beats every other one', () => {
    const items = [...side('x', [run(10), run(10.1)]), ...side('y', [run(15), run(15.1)]), ...side('z', [run(20), run(20.2)])];
    const c = buildComparison(sidesOf(items));
    expect(row(c.rows, 'end-to-end p99 (ms)')).toMatchObject({ best: [true, false, false], verdict: 'x best' });
    const md = renderComparison(items, { markdown: true });
    expect(md.split('\n')[0]).toBe('| figure | x (2 runs) | y (2 runs) | z (2 runs) | verdict |');
    expect(mdCells(md, 'end-to-end p99 (ms)')[1]).toMatch(/^\*\*10\.1 \[/);
    expect(md).toContain('| **latency** |');
  });
});

describe('scenario differences and labels', () => {
  it('sees no difference for equal scenario hashes, and names what differs otherwise', () => {
    const a = run(1);
    a.scenario = { name: 'x', target: { url: 'mqtt://a' }, durationMs: 30_000 };
    const b = run(1);
    b.scenario = { name: 'x', target: { url: 'mqtt://b' }, durationMs: 30_000 };
    expect(
      scenarioDifferences([
        { label: 'a', results: a },
        { label: 'b', results: b },
      ]),
    ).toEqual([]);
    b.environment.scenarioHash = 'other';
    expect(
      scenarioDifferences([
        { label: 'a', results: a },
        { label: 'b', results: b },
      ]),
    ).toEqual([]); // only the target differs
    const c = run(1);
    c.environment.scenarioHash = 'third';
    c.scenario = { ...b.scenario, durationMs: 60_000, workers: 2 };
    const items = [
      { label: 'a', results: a },
      { label: 'c', results: c },
    ];
    expect(scenarioDifferences(items)).toEqual(['durationMs: 30000 vs 60000', 'workers: undefined vs 2']);
    expect(renderComparison(items, { markdown: false })).toMatch(
      /\nWARNING: the scenarios differ \(durationMs: 30000 vs 60000; workers: undefined vs 2\): compare the figures with care\n$/,
    );
  });

  it('names a run by its broker label, else the broker product, never by port alone', () => {
    expect(brokerLabel(run(1, { label: 'mosquitto-tuned' }))).toBe('mosquitto-tuned');
    expect(resultsLabel(makeResults())).toBe('mosquitto (fanout-commands)');
    expect(brokerLabel(makeResults({ target: { brokerVersion: 'unknown', url: 'mqtt://10.0.0.1:1886' } }))).toBe('10.0.0.1:1886');
  });
});
