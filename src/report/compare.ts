/**
 * `mqbench compare`: key figures of two or more sides side by side (each side one or more runs of a broker),
 * as a terminal table or GitHub Markdown, with medians, bootstrap intervals and honest verdicts (compareModel.ts).
 * Returns a string; printing it is the caller's business.
 */
import Table from 'cli-table3';
import type { Results } from '../metrics/types.js';
import { createPaint, type Paint } from './ansi.js';
import { buildComparison, type Comparison, type RowResult, type Side } from './compareModel.js';
import { GROUP_TITLE } from './compareRows.js';
import { DEFAULT_DECISION, type DecisionOptions } from './stats.js';
import { mdCell } from './markdown.js';
import { workloadDifferences } from './scenarioDiff.js';

export interface ComparisonItem {
  label: string;
  results: Results;
}

export interface ComparisonOptions {
  /** GitHub Markdown table instead of a terminal table. */
  markdown: boolean;
  /** ANSI colors in the terminal table (default false). Ignored for Markdown. */
  color?: boolean;
  decision?: DecisionOptions;
}

/** The broker's name in a run: its --broker label, else its version's product name, else host:port. */
export function brokerLabel(r: Results): string {
  const t = r.target as (Results['target'] & { label?: unknown }) | undefined;
  if (typeof t?.label === 'string' && t.label !== '') return t.label;
  if (t?.embedded) return 'embedded';
  const product = typeof t?.brokerVersion === 'string' && t.brokerVersion !== 'unknown' ? t.brokerVersion.split(/\s+/)[0] : undefined;
  if (product) return product;
  try {
    const u = new URL(t?.url ?? '');
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return '?';
  }
}

/** The scenario of a run: its file name when recorded, else its name. */
export function scenarioLabel(r: Results): string {
  const file = (r as Results & { scenarioFile?: unknown }).scenarioFile;
  return typeof file === 'string' && file !== '' ? file : String(r.scenario?.name ?? '?');
}

/** The default label of a results file: broker and scenario. */
export function resultsLabel(r: Results): string {
  return `${brokerLabel(r)} (${scenarioLabel(r)})`;
}

/** Items with the same label form one side (repeated runs), in order of first appearance. */
export function sidesOf(items: readonly ComparisonItem[]): Side[] {
  const sides = new Map<string, Results[]>();
  for (const it of items) sides.set(it.label, [...(sides.get(it.label) ?? []), it.results]);
  return [...sides].map(([label, runs]) => ({ label, runs }));
}

/** What differs between the scenarios of the items (nothing when their scenario hashes, or workloads, are equal). */
export function scenarioDifferences(items: readonly ComparisonItem[]): string[] {
  return workloadDifferences(items.map((it) => it.results));
}

function headers(c: Comparison): string[] {
  const two = c.sides.length === 2;
  const labels = c.sides.map((s, i) => `${two ? `${i === 0 ? 'a' : 'b'}: ` : ''}${s.label}${s.runs > 1 ? ` (${s.runs} runs)` : ''}`);
  return ['figure', ...labels, ...(two ? ['b vs a'] : []), 'verdict'];
}

function legend(c: Comparison): string {
  return (
    `Figures: ${c.method} Rates are judged by their distance from the plan, never "more is better"; ` +
    '"invalid" marks a side that cannot be judged on a row (run failed or partial, nothing to check).'
  );
}

function warning(c: Comparison): string {
  return c.scenarioDifferences.length > 0 ? `the scenarios differ (${c.scenarioDifferences.join('; ')}): compare the figures with care` : '';
}

function cellsOf(c: Comparison, r: RowResult, mark: (text: string, best: boolean, invalid: boolean) => string): string[] {
  return [
    ...r.cells.map((x, i) => mark(x.text + (x.leftOut ? ` (${x.leftOut})` : ''), r.best[i], x.invalid !== undefined)),
    ...(c.sides.length === 2 ? [r.change] : []),
    r.verdict,
  ];
}

function terminalTable(c: Comparison, paint: Paint): string {
  const head = headers(c);
  const table = new Table({ head: head.map((h) => paint.cyan(h)), style: { head: [], border: [], compact: true } });
  let group = '';
  for (const r of c.rows) {
    if (r.group !== group) {
      group = r.group;
      table.push([{ colSpan: head.length, content: paint.cyan(`— ${GROUP_TITLE[r.group]}`) }]);
    }
    const cells = cellsOf(c, r, (t, best, invalid) => (best ? paint.green(`${t} *`) : invalid ? paint.yellow(t) : t));
    const v = cells.length - 1;
    if (r.verdict.endsWith(' better') || r.verdict.endsWith(' best')) cells[v] = paint.green(cells[v]);
    table.push([r.label, ...cells]);
  }
  return table.toString();
}

function markdownTable(c: Comparison): string {
  const head = headers(c);
  const line = (cells: string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  const out = [
    line(head),
    `| :--- | ${head
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
  ];
  let group = '';
  for (const r of c.rows) {
    if (r.group !== group) {
      group = r.group;
      out.push(line([`**${GROUP_TITLE[r.group]}**`, ...head.slice(1).map(() => '')]));
    }
    out.push(line([r.label, ...cellsOf(c, r, (t, best) => (best ? `**${t}**` : t))]));
  }
  return out.join('\n');
}

/** A worked-out comparison as text, ending with a newline. */
export function renderComparisonModel(c: Comparison, opts: Omit<ComparisonOptions, 'decision'>): string {
  const warn = warning(c);
  if (opts.markdown) return `${markdownTable(c)}\n\n${legend(c)} **Bold** / verdict: the better side.${warn ? `\n\n> **Warning:** ${warn}` : ''}\n`;
  const paint = createPaint(opts.color ?? false);
  return `${terminalTable(c, paint)}\n${legend(c)} * : the better side.${warn ? `\n${paint.yellow(`WARNING: ${warn}`)}` : ''}\n`;
}

/** The comparison of the items (items with the same label are repeats of one side) as text. */
export function renderComparison(items: readonly ComparisonItem[], opts: ComparisonOptions): string {
  const sides = sidesOf(items);
  if (sides.length < 2) throw new Error('renderComparison needs at least two sides');
  return renderComparisonModel(buildComparison(sides, opts.decision ?? DEFAULT_DECISION, undefined, scenarioDifferences(items)), opts);
}

/**
 * The comparison as data (public API): one row per key figure, for two or more results; items with the same
 * label are repeats of one side.
 */
export function compareResults(items: readonly ComparisonItem[], decision: DecisionOptions = DEFAULT_DECISION): RowResult[] {
  return buildComparison(sidesOf(items), decision, undefined, scenarioDifferences(items)).rows;
}
