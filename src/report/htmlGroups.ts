/**
 * How the report is organised: runs grouped by scenario (file, else name), brokers side by side within a group
 * (runs of one broker in one group are its repeats), and the one-page overview — per scenario and broker, whether
 * the thresholds held and by how much, and whether each QoS promise was kept.
 */
import type { Results } from '../metrics/types.js';
import { parseThreshold } from '../thresholds/parse.js';
import { scenarioLabel, sidesOf, type ComparisonItem } from './compare.js';
import type { Side } from './compareModel.js';
import { fmtShare } from './compareRows.js';
import { NONE } from './format.js';
import { colorOf, type ChartRun } from './htmlData.js';
import { esc } from './htmlTables.js';
import { median } from './stats.js';
import { fmtThresholdActual } from './thresholdTable.js';

export interface ScenarioGroup {
  title: string;
  items: ComparisonItem[];
  sides: Side[];
}

/** Groups in order of first appearance; within one, items keep their order. */
export function groupByScenario(items: readonly ComparisonItem[]): ScenarioGroup[] {
  const groups = new Map<string, ComparisonItem[]>();
  for (const it of items) {
    const key = scenarioLabel(it.results);
    groups.set(key, [...(groups.get(key) ?? []), it]);
  }
  return [...groups].map(([title, list]) => ({ title, items: list, sides: sidesOf(list) }));
}

/** Every broker label of the report, in order of first appearance: one colour each, the same in every group. */
export function brokerOrder(items: readonly ComparisonItem[]): string[] {
  return [...new Set(items.map((it) => it.label))];
}

/** The runs of a group as chart series: colour by broker, "#k" and a thinner line for repeats after the first. */
export function chartRuns(group: ScenarioGroup, brokers: readonly string[]): ChartRun[] {
  return group.sides.flatMap((side) =>
    side.runs.map((results, k) => ({
      item: { label: side.label, results },
      name: side.runs.length > 1 ? `${side.label} #${k + 1}` : side.label,
      color: colorOf(Math.max(0, brokers.indexOf(side.label))),
      width: k === 0 ? 2 : 1.25,
    })),
  );
}

/** How far a figure is inside (positive) or beyond (negative) its limit, relative to the limit. */
function margin(expression: string, actual: number): number | undefined {
  const p = parseThreshold(expression);
  if (!p.ok || p.threshold.value === 0) return undefined;
  const { op, value } = p.threshold;
  if (op === '<' || op === '<=') return (value - actual) / Math.abs(value);
  if (op === '>' || op === '>=') return (actual - value) / Math.abs(value);
  return undefined;
}

const pct = (x: number): string => `${Math.round(Math.abs(x) * 1000) / 10} %`;

/** One overview cell: thresholds (runs passing, the tightest one and its margin) and the delivery promises. */
function overviewCell(runs: readonly Results[]): { html: string; cls: string } {
  const bad = runs.filter((r) => r.status !== 'complete');
  const lines: string[] = [];
  let cls = 'ok';
  if (bad.length > 0) {
    cls = 'bad';
    lines.push(`${bad.length} of ${runs.length} runs ${[...new Set(bad.map((r) => r.status))].join('/')}: not judged`);
  }
  const good = runs.filter((r) => r.status === 'complete');
  const withT = good.filter((r) => Array.isArray(r.thresholds) && r.thresholds.length > 0);
  if (withT.length > 0) {
    const passing = withT.filter((r) => r.thresholds!.every((t) => t.ok)).length;
    if (passing < withT.length) cls = 'bad';
    lines.push(`${passing === withT.length ? 'met' : 'MISSED'}: ${passing}/${withT.length} runs pass every threshold`);
    const exprs = [...new Set(withT.flatMap((r) => r.thresholds!.map((t) => t.expression)))];
    const tight = exprs
      .flatMap((e) => {
        const found = withT.flatMap((r) => r.thresholds!.filter((t) => t.expression === e && !t.note));
        if (found.length === 0) return [];
        const actual = median(found.map((t) => t.actual));
        const m = margin(e, actual);
        return m === undefined ? [] : [{ e, m, shown: fmtThresholdActual({ ...found[0], actual }) }];
      })
      .sort((a, b) => a.m - b.m)[0];
    if (tight) lines.push(`tightest: ${tight.e} at ${tight.shown} (${tight.m >= 0 ? `${pct(tight.m)} headroom` : `${pct(tight.m)} beyond`})`);
  } else if (good.length > 0) {
    lines.push('no thresholds set');
  }
  const e2e = good
    .map((r) => r.summary?.latencyMs?.endToEnd)
    .filter((l) => l && l.count > 0)
    .map((l) => l.p99);
  if (e2e.length > 0) lines.push(`end-to-end p99 ${e2e.length > 1 ? 'median ' : ''}${median(e2e).toFixed(2)} ms`);
  const lost = good
    .map((r) => r.summary?.messages)
    .filter((m) => m && m.expected > 0)
    .map((m) => m.lost / m.expected);
  if (lost.length > 0) lines.push(`lost ${fmtShare(median(lost))}`);
  const promises = good.flatMap((r) => Object.entries(r.summary?.byQos ?? {}).map(([q, d]) => [q, d?.ok] as const));
  const broken = [...new Set(promises.filter(([, ok]) => ok === false).map(([q]) => q))];
  if (broken.length > 0) {
    cls = 'bad';
    lines.push(`QoS ${broken.join(', ')} promise BROKEN`);
  } else if (promises.length > 0) lines.push(`QoS ${[...new Set(promises.map(([q]) => q))].sort().join(', ')} promise kept`);
  if (good.length > 0 && lines.length === 0) lines.push('nothing to judge');
  return { html: lines.map(esc).join('<br>'), cls };
}

/** The overview: a row per scenario, a column per broker. */
export function overviewTable(groups: readonly ScenarioGroup[], brokers: readonly string[]): string {
  const head = ['scenario', ...brokers].map((h) => `<th>${esc(h)}</th>`).join('');
  const rows = groups.map((g, gi) => {
    const cells = brokers.map((b) => {
      const side = g.sides.find((s) => s.label === b);
      if (!side) return `<td class="muted">${NONE} not run</td>`;
      const c = overviewCell(side.runs);
      return `<td class="${c.cls}">${c.html}<div class="muted">${side.runs.length} run${side.runs.length === 1 ? '' : 's'}</div></td>`;
    });
    return `<tr><th scope="row"><a href="#scenario-${gi}">${esc(g.title)}</a></th>${cells.join('')}</tr>`;
  });
  return `<table class="overview"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
