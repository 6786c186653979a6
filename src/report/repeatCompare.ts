/**
 * Side by side for repeated, interleaved runs against several targets: each figure as the median
 * over the repeats with its min–max spread, the ratio of medians for two targets and which is better.
 */
import Table from 'cli-table3';
import type { Results } from '../metrics/types.js';
import { COMPARE_ROWS } from './compareRows.js';

export interface RepeatedTarget {
  label: string;
  runs: Results[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Cell {
  median?: number;
  text: string;
}

function cell(values: number[], format: (n: number) => string): Cell {
  if (values.length === 0) return { text: '–' };
  const m = median(values);
  if (values.length === 1) return { median: m, text: format(m) };
  return { median: m, text: `${format(m)} (${format(Math.min(...values))}–${format(Math.max(...values))})` };
}

export function renderRepeated(targets: readonly RepeatedTarget[], opts: { markdown: boolean }): string {
  const two = targets.length === 2;
  const head = ['figure', ...targets.map((t) => `${t.label} (median, min–max of ${t.runs.length})`), ...(two ? [`${targets[1].label}/${targets[0].label}`, 'better'] : [])];
  const rows: string[][] = [];
  for (const row of COMPARE_ROWS) {
    const cells = targets.map((t) => {
      const values = t.runs.map((r) => row.read(r)).filter((v): v is number => typeof v === 'number');
      return cell(values, row.format);
    });
    if (cells.every((c) => c.median === undefined)) {
      // Text rows (status, saturated): list each run's value.
      const texts = targets.map((t) => [...new Set(t.runs.map((r) => String(row.read(r) ?? '–')))].join(', '));
      if (texts.every((x) => x === '–')) continue;
      rows.push([row.label, ...texts, ...(two ? ['', ''] : [])]);
      continue;
    }
    const out = [row.label, ...cells.map((c) => c.text)];
    if (two) {
      const [a, b] = [cells[0].median, cells[1].median];
      const ratio = a !== undefined && b !== undefined && a !== 0 ? `${(b / a).toFixed(2)}×` : '–';
      let better = '';
      if (a !== undefined && b !== undefined && row.better !== 'none') {
        better = a === b ? '=' : (row.better === 'lower') === (a < b) ? targets[0].label : targets[1].label;
      }
      out.push(ratio, better);
    }
    rows.push(out);
  }
  if (opts.markdown) {
    const line = (cs: string[]) => `| ${cs.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
    return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n') + '\n';
  }
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const r of rows) table.push(r);
  return `${table.toString()}\n`;
}
