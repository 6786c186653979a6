/**
 * `mqbench compare`: key figures of several results files side by side, as a terminal table or GitHub
 * Markdown. Two files get a b/a ratio and the better side per row; more files get the best value marked.
 * Returns a string; printing it is the caller's business.
 */
import Table from 'cli-table3';
import type { Results } from '../metrics/types.js';
import { createPaint, type Paint } from './ansi.js';
import { COMPARE_ROWS, type CompareRow } from './compareRows.js';
import { NONE } from './format.js';

export interface ComparisonItem {
  label: string;
  results: Results;
}

export interface ComparisonOptions {
  /** GitHub Markdown table instead of a terminal table. */
  markdown: boolean;
  /** ANSI colors in the terminal table (default false). Ignored for Markdown. */
  color?: boolean;
}

/** The default column label of a results file: its target URL and scenario name. */
export function resultsLabel(r: Results): string {
  return `${r.target?.url ?? '?'} (${r.scenario?.name ?? '?'})`;
}

/** One row worked out: printed figures, which are best, and (for two files) ratio and better side. */
export interface ComparedRow {
  label: string;
  /** The figure of each item (a number, a text such as the status, or undefined when it has none). */
  values: (number | string | undefined)[];
  shown: string[];
  best: boolean[];
  /** Two items only: b/a and the better side ('a', 'b', '=' or ''); '' otherwise. */
  ratio: string;
  better: string;
}
type Line = ComparedRow;

/** b/a as "1.23×"; "–" when it has no meaning (a missing figure, or a is 0). */
function fmtRatio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || a === 0) return NONE;
  const r = b / a;
  return `${r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(r >= 10 ? 1 : 2)}×`;
}

/** Indexes of the best values, judged on the printed figures so that "1.24" vs "1.24" is a tie. */
function bestOf(row: CompareRow, values: (number | undefined)[], shown: string[]): boolean[] {
  const none = values.map(() => false);
  const defined = values.flatMap((v, i) => (v === undefined ? [] : [{ v, i }]));
  if (row.better === 'none' || defined.length < 2) return none;
  const pick = row.better === 'lower' ? Math.min : Math.max;
  const bestText = row.format(pick(...defined.map((d) => d.v)));
  const marks = values.map((v, i) => v !== undefined && shown[i] === bestText);
  return defined.every((d) => marks[d.i]) ? none : marks;
}

function lineOf(row: CompareRow, items: readonly ComparisonItem[]): Line {
  const raw = items.map((it) => row.read(it.results));
  const values = raw.map((v) => (typeof v === 'number' ? v : undefined));
  const shown = raw.map((v) => (v === undefined ? NONE : typeof v === 'number' ? row.format(v) : v));
  const best = bestOf(row, values, shown);
  let ratio = '';
  let better = '';
  if (items.length === 2 && typeof raw[0] !== 'string') {
    ratio = fmtRatio(values[0], values[1]);
    if (row.better !== 'none' && values[0] !== undefined && values[1] !== undefined) {
      better = best[0] ? 'a' : best[1] ? 'b' : '=';
    }
  }
  return { label: row.label, values: raw, shown, best, ratio, better };
}

/** The comparison as data: one row per key figure, for two or more results. */
export function compareResults(items: readonly ComparisonItem[]): ComparedRow[] {
  return COMPARE_ROWS.map((row) => lineOf(row, items));
}

/** Top-level scenario keys (other than target) in which any file differs from the first one. */
export function scenarioDifferences(items: readonly ComparisonItem[]): string[] {
  const canonical = (x: unknown): string =>
    JSON.stringify(x, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
    ) ?? 'undefined';
  const first = items[0]?.results.scenario ?? {};
  const keys = new Set<string>();
  for (const it of items.slice(1)) {
    const other = it.results.scenario ?? {};
    for (const k of new Set([...Object.keys(first), ...Object.keys(other)])) {
      if (k !== 'target' && canonical(first[k]) !== canonical(other[k])) keys.add(k);
    }
  }
  return [...keys];
}

function headers(items: readonly ComparisonItem[]): string[] {
  const labels = items.map((it, i) => (items.length === 2 ? `${i === 0 ? 'a' : 'b'}: ${it.label}` : it.label));
  return ['figure', ...labels, ...(items.length === 2 ? ['b/a', 'better'] : [])];
}

/** A terminal cell: the best value green (and starred when there are more than two files, others padded to line up). */
function styleCell(l: Line, i: number, paint: Paint, many: boolean): string {
  const text = l.shown[i];
  if (l.label === 'status' && text !== NONE) return text === 'complete' ? paint.green(text) : text === 'partial' ? paint.yellow(text) : paint.red(text);
  if ((l.label === 'generator saturated' || l.label === 'broker back-pressure') && text === 'yes') return paint.yellow(text);
  if (!l.best[i]) return many && l.best.some(Boolean) ? `${text}  ` : text;
  return paint.green(many ? `${text} *` : text);
}

function terminalTable(items: readonly ComparisonItem[], lines: Line[], paint: Paint): string {
  const two = items.length === 2;
  const table = new Table({
    head: headers(items).map((h) => paint.cyan(h)),
    colAligns: ['left', ...items.map((): Table.HorizontalAlignment => 'right'), ...(two ? (['right', 'center'] as const) : [])],
    style: { head: [], border: [], compact: true },
  });
  for (const l of lines) {
    const cells = l.shown.map((_s, i) => styleCell(l, i, paint, !two));
    table.push([l.label, ...cells, ...(two ? [l.ratio, l.better] : [])]);
  }
  const note = two ? 'b/a = second file ÷ first; better: a, b or = (same when printed)' : '* best value in the row';
  return `${table.toString()}\n${note}`;
}

function mdEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function markdownTable(items: readonly ComparisonItem[], lines: Line[]): string {
  const two = items.length === 2;
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    row(headers(items).map(mdEscape)),
    row([':---', ...items.map(() => '---:'), ...(two ? ['---:', ':---:'] : [])]),
  ];
  for (const l of lines) {
    const cells = l.shown.map((s, i) => (l.best[i] && !two ? `**${mdEscape(s)}**` : mdEscape(s)));
    out.push(row([mdEscape(l.label), ...cells, ...(two ? [l.ratio, l.better] : [])]));
  }
  return out.join('\n');
}

/** The comparison as text, ending with a newline. Needs at least two items. */
export function renderComparison(items: readonly ComparisonItem[], opts: ComparisonOptions): string {
  if (items.length < 2) throw new Error('renderComparison needs at least two results');
  const lines = compareResults(items);
  const differ = scenarioDifferences(items);
  const warning = differ.length > 0 ? `the scenarios differ (${differ.join(', ')}): compare the figures with care` : '';
  if (opts.markdown) {
    const legend = items.length === 2 ? '\n\nb/a = second file ÷ first; better: a, b or = (same when printed)' : '\n\n**Bold**: best value in the row.';
    return `${markdownTable(items, lines)}${legend}${warning ? `\n\n> **Warning:** ${warning}` : ''}\n`;
  }
  const paint = createPaint(opts.color ?? false);
  return `${terminalTable(items, lines, paint)}${warning ? `\n${paint.yellow(`WARNING: ${warning}`)}` : ''}\n`;
}
