/**
 * The comparison of a scenario group as an HTML table: the same model as `mqbench compare` (medians, bootstrap
 * intervals, verdicts; invalid cells marked and never highlighted), grouped in row groups.
 */
import type { Comparison } from './compareModel.js';
import { GROUP_TITLE } from './compareRows.js';
import { esc } from './htmlTables.js';

export function comparisonTable(c: Comparison): string {
  const two = c.sides.length === 2;
  const head = ['figure', ...c.sides.map((s) => `${s.label}${s.runs > 1 ? ` (${s.runs} runs)` : ''}`), ...(two ? ['change'] : []), 'verdict'];
  const rows: string[] = [];
  let group = '';
  for (const r of c.rows) {
    if (r.group !== group) {
      group = r.group;
      rows.push(`<tr class="group"><th colspan="${head.length}">${esc(GROUP_TITLE[r.group])}</th></tr>`);
    }
    const cells = r.cells.map((x, i) => {
      const cls = x.invalid ? 'invalid' : r.best[i] ? 'num best' : 'num';
      return `<td class="${cls}"${x.leftOut ? ` title="${esc(x.leftOut)}"` : ''}>${esc(x.text)}${x.leftOut ? ' †' : ''}</td>`;
    });
    const verdictCls = / (better|best)$/.test(r.verdict) ? 'ok' : r.verdict.startsWith('invalid') ? 'bad' : 'muted';
    rows.push(
      `<tr><th scope="row">${esc(r.label)}</th>${cells.join('')}${two ? `<td class="num">${esc(r.change)}</td>` : ''}<td class="${verdictCls}">${esc(r.verdict)}</td></tr>`,
    );
  }
  return `<table class="compare"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
