import { describe, expect, it } from 'vitest';
import type { Results } from '../metrics/types.js';
import { renderComparison, resultsLabel, scenarioDifferences, type ComparisonItem } from './compare.js';
import { makeResults } from './fixture.test-helper.js';

/** Cells of the terminal-table row whose first cell is `label`. */
function rowCells(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`│ ${label} `));
  if (!line) throw new Error(`no row "${label}" in:\n${text}`);
  return line.split('│').slice(1, -1).map((c) => c.trim());
}

/** Cells of the Markdown row whose first cell is `label`. */
function mdCells(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`| ${label} |`));
  if (!line) throw new Error(`no row "${label}" in:\n${text}`);
  return line.slice(2, -2).split(' | ');
}

function slower(): Results {
  const r = makeResults({ target: { url: 'mqtt://10.0.0.2:1883' }, messages: { lost: 3 }, connections: { failed: 2 } });
  r.summary.latencyMs.endToEnd = { ...r.summary.latencyMs.endToEnd, p99: 2.5, max: 61.7 };
  r.summary.throughput = { sentPerSec: 2000, receivedPerSec: 1900 };
  return r;
}

const two: ComparisonItem[] = [
  { label: 'mosquitto', results: makeResults() },
  { label: 'emqx', results: slower() },
];

describe('renderComparison: two files', () => {
  const text = renderComparison(two, { markdown: false });

  it('has a column per file, the b/a ratio and the better side', () => {
    expect(rowCells(text, 'figure')).toEqual(['figure', 'a: mosquitto', 'b: emqx', 'b/a', 'better']);
    expect(rowCells(text, 'end-to-end p99 (ms)')).toEqual(['end-to-end p99 (ms)', '1.24', '2.50', '2.01×', 'a']);
    expect(rowCells(text, 'end-to-end max (ms)')).toEqual(['end-to-end max (ms)', '123', '61.7', '0.50×', 'b']);
    expect(rowCells(text, 'throughput received')).toEqual(['throughput received', '2,000/s', '1,900/s', '0.95×', 'a']);
    expect(rowCells(text, 'messages lost')).toEqual(['messages lost', '0', '3', '–', 'a']);
    expect(rowCells(text, 'connection failures')).toEqual(['connection failures', '0', '2', '–', 'a']);
  });

  it('calls a tie when the printed figures are the same, and judges neutral rows not at all', () => {
    expect(rowCells(text, 'connect p99 (ms)')).toEqual(['connect p99 (ms)', '8.12', '8.12', '1.00×', '=']);
    expect(rowCells(text, 'messages sent')).toEqual(['messages sent', '60,000', '60,000', '1.00×', '']);
    expect(rowCells(text, 'status')).toEqual(['status', 'complete', 'complete', '', '']);
    expect(rowCells(text, 'generator saturated')).toEqual(['generator saturated', 'no', 'no', '', '']);
  });

  it('lists every key figure in order', () => {
    const labels = text.split('\n').filter((l) => l.startsWith('│ ')).map((l) => l.split('│')[1].trim());
    expect(labels).toEqual([
      'figure', 'throughput sent', 'throughput received', 'connect p50 (ms)', 'connect p99 (ms)',
      'publish→ack p50 (ms)', 'publish→ack p99 (ms)', 'end-to-end p50 (ms)', 'end-to-end p90 (ms)',
      'end-to-end p99 (ms)', 'end-to-end p99.9 (ms)', 'end-to-end max (ms)', 'end-to-end uncorrected p99 (ms)',
      'messages planned', 'messages sent', 'messages unsent', 'messages unconfirmed', 'messages expected', 'messages received',
      'messages lost', 'messages duplicated', 'in-flight window', 'connection failures', 'status', 'generator saturated', 'broker back-pressure',
    ]);
  });

  it('puts the publish accounting side by side; files from before it show the figures as missing', () => {
    const pressed = makeResults({ messages: { planned: 5000, sent: 2703, unsent: 2297, unconfirmed: 0, inflightWindow: 20 } });
    pressed.summary.backPressure = { reason: 'planned rate not reached (broker back-pressure): …' };
    const calm = makeResults({ messages: { planned: 5000, sent: 5000, unsent: 0, unconfirmed: 0, inflightWindow: 20 } });
    const out = renderComparison([{ label: 'calm', results: calm }, { label: 'pressed', results: pressed }], { markdown: false });
    expect(rowCells(out, 'messages planned')).toEqual(['messages planned', '5,000', '5,000', '1.00×', '']);
    expect(rowCells(out, 'messages unsent')).toEqual(['messages unsent', '0', '2,297', '–', 'a']);
    expect(rowCells(out, 'in-flight window')).toEqual(['in-flight window', '20', '20', '1.00×', '']);
    expect(rowCells(out, 'broker back-pressure')).toEqual(['broker back-pressure', 'no', 'yes', '', '']);
    expect(rowCells(text, 'messages unsent')).toEqual(['messages unsent', '–', '–', '–', '']);
    expect(rowCells(text, 'broker back-pressure')).toEqual(['broker back-pressure', '–', '–', '–', '']);
  });

  it('shows a latency without samples as missing, with no ratio or verdict', () => {
    const empty = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const out = renderComparison([two[0], { label: 'idle', results: makeResults({ latencyMs: { publishAck: empty } }) }], { markdown: false });
    expect(rowCells(out, 'publish→ack p50 (ms)')).toEqual(['publish→ack p50 (ms)', '0.234', '–', '–', '']);
  });

  it('prints no warning when the scenarios match (target aside)', () => {
    expect(text).not.toContain('WARNING');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\x1b[');
  });

  it('renders a GitHub Markdown table of the same figures', () => {
    const md = renderComparison(two, { markdown: true });
    const lines = md.split('\n');
    expect(lines[0]).toBe('| figure | a: mosquitto | b: emqx | b/a | better |');
    expect(lines[1]).toBe('| :--- | ---: | ---: | ---: | :---: |');
    expect(mdCells(md, 'end-to-end p99 (ms)')).toEqual(['end-to-end p99 (ms)', '1.24', '2.50', '2.01×', 'a']);
    expect(lines.filter((l) => l.startsWith('| ')).every((l) => l.split(' | ').length === 5)).toBe(true);
    expect(md).not.toContain('┌');
  });
});

describe('renderComparison: more than two files', () => {
  const third = makeResults({ status: 'partial', generator: { saturated: true } });
  third.summary.latencyMs.endToEnd = { ...third.summary.latencyMs.endToEnd, p99: 0.9 };
  const items = [...two, { label: 'nano|mq', results: third }];

  it('marks the best value in each row (ties included) and has no ratio column', () => {
    const text = renderComparison(items, { markdown: false });
    expect(rowCells(text, 'figure')).toEqual(['figure', 'mosquitto', 'emqx', 'nano|mq']);
    expect(rowCells(text, 'end-to-end p99 (ms)')).toEqual(['end-to-end p99 (ms)', '1.24', '2.50', '0.900 *']);
    expect(rowCells(text, 'messages lost')).toEqual(['messages lost', '0 *', '3', '0 *']);
    expect(rowCells(text, 'connect p50 (ms)')).toEqual(['connect p50 (ms)', '1.50', '1.50', '1.50']);
    expect(rowCells(text, 'status')).toEqual(['status', 'complete', 'complete', 'partial']);
    expect(rowCells(text, 'generator saturated')).toEqual(['generator saturated', 'no', 'no', 'yes']);
    expect(text).toContain('* best value in the row');
  });

  it('bolds the best value in Markdown and escapes pipes in labels', () => {
    const md = renderComparison(items, { markdown: true });
    expect(md.split('\n')[0]).toBe('| figure | mosquitto | emqx | nano\\|mq |');
    expect(mdCells(md, 'end-to-end p99 (ms)')).toEqual(['end-to-end p99 (ms)', '1.24', '2.50', '**0.900**']);
  });
});

describe('scenario differences', () => {
  it('ignores the target and key order, and names the top-level keys that differ', () => {
    const a = makeResults();
    a.scenario = { name: 'x', target: { url: 'mqtt://a' }, durationMs: 30_000, groups: [{ name: 'g', count: 1 }] };
    const b = makeResults();
    b.scenario = { groups: [{ count: 1, name: 'g' }], durationMs: 30_000, target: { url: 'mqtt://b' }, name: 'x' };
    expect(scenarioDifferences([{ label: 'a', results: a }, { label: 'b', results: b }])).toEqual([]);
    const c = makeResults();
    c.scenario = { ...b.scenario, durationMs: 60_000, workers: 2 };
    const items = [{ label: 'a', results: a }, { label: 'c', results: c }];
    expect(scenarioDifferences(items)).toEqual(['durationMs', 'workers']);
    expect(renderComparison(items, { markdown: false })).toMatch(/\nWARNING: the scenarios differ \(durationMs, workers\): compare the figures with care\n$/);
    expect(renderComparison(items, { markdown: true })).toMatch(/\n> \*\*Warning:\*\* the scenarios differ \(durationMs, workers\)/);
  });

  it('labels a file by its target URL and scenario name', () => {
    expect(resultsLabel(makeResults())).toBe('mqtt://127.0.0.1:1883 (fanout-commands)');
  });
});
