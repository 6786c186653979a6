/**
 * The tables of the HTML report, as HTML strings: summary per run, warnings, thresholds, delivery per QoS
 * and capacity steps. Every text from a results file is escaped.
 */
import type { QosDelivery, Results } from '../metrics/types.js';
import { capacityOf } from './capacityPoints.js';
import { scenarioDifferences, type ComparisonItem } from './compare.js';
import { COMPARE_ROWS } from './compareRows.js';
import { fmtInt, fmtMs, fmtRate, fmtSec, NONE } from './format.js';
import { fmtThresholdActual, thresholdsLine } from './thresholdTable.js';
import { deliveryVerdict } from './verdict.js';
import { runWarnings } from './warnings.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const cell = (text: string, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${esc(text)}</td>`;

function table(head: string[], rows: string[][], cls = ''): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

function thresholdsSummary(r: Results): { text: string; cls: string } {
  const list = Array.isArray(r.thresholds) ? r.thresholds : [];
  if (list.length === 0) return { text: 'none', cls: '' };
  return { text: thresholdsLine(list).replace(/^Thresholds: /, ''), cls: list.every((t) => t.ok) ? 'ok' : 'bad' };
}

/** One column per run: where it ran, then the figures `compare` shows, then thresholds. */
export function summaryTable(items: readonly ComparisonItem[]): string {
  const text = (label: string, read: (r: Results) => string, cls?: (r: Results) => string): string[] => [
    `<th scope="row">${esc(label)}</th>`,
    ...items.map((it) => cell(read(it.results), cls?.(it.results) ?? '')),
  ];
  const rows: string[][] = [
    text('target', (r) => r.target?.url ?? NONE),
    text('broker version', (r) => r.target?.brokerVersion ?? NONE),
    text('scenario', (r) => r.scenario?.name ?? NONE),
    text('started', (r) => r.startedAt ?? NONE),
    text('measured duration', (r) => (typeof r.durationSec === 'number' ? fmtSec(r.durationSec) : NONE)),
  ];
  for (const row of COMPARE_ROWS) {
    rows.push(
      text(
        row.label,
        (r) => {
          const v = row.read(r);
          return v === undefined ? NONE : typeof v === 'number' ? row.format(v) : v;
        },
        (r) => {
          const v = row.read(r);
          if (row.label === 'status') return v === 'complete' ? 'ok' : 'bad';
          if (row.label === 'generator saturated' || row.label === 'broker back-pressure') return v === 'yes' ? 'bad' : '';
          const badWhenAboveZero = /^(lost|duplicated|connection failures) /.test(row.label) || / (lost|duplicated) \(% of expected\)$/.test(row.label);
          return badWhenAboveZero && typeof v === 'number' && v > 0 ? 'num bad' : 'num';
        },
      ),
    );
  }
  rows.push(text('delivery', (r) => (r.summary?.messages ? deliveryVerdict(r.summary.messages, r).replace(/^Delivery: /, '') : NONE)));
  rows.push(
    text(
      'thresholds',
      (r) => thresholdsSummary(r).text,
      (r) => thresholdsSummary(r).cls,
    ),
  );
  return table(['', ...items.map((it) => it.label)], rows, 'summary');
}

/** Warnings for each run (embedded broker, saturated generator, partial run …) and differing scenarios. */
export function warningsList(items: readonly ComparisonItem[]): string {
  const lines = items.flatMap((it) => runWarnings(it.results).map((w) => `<li><b>${esc(it.label)}:</b> ${esc(w)}</li>`));
  const differ = items.length > 1 ? scenarioDifferences(items) : [];
  if (differ.length > 0) lines.push(`<li>the scenarios differ (${esc(differ.join(', '))}): compare the figures with care</li>`);
  return lines.length === 0 ? '<p class="ok">No warnings.</p>' : `<ul class="warnings">${lines.join('')}</ul>`;
}

/** Each run's thresholds with the measured figure and pass/FAIL. */
export function thresholdTables(items: readonly ComparisonItem[]): string {
  return items
    .map((it) => {
      const list = Array.isArray(it.results.thresholds) ? it.results.thresholds : [];
      const body =
        list.length === 0
          ? '<p>No thresholds were set for this run.</p>'
          : table(
              ['threshold', 'actual', 'result'],
              list.map((t) => [cell(t.expression), cell(fmtThresholdActual(t), 'num'), cell(t.ok ? 'pass' : 'FAIL', t.ok ? 'ok' : 'bad')]),
            );
      return `<h3>${esc(it.label)}</h3>${body}`;
    })
    .join('');
}

/** Per QoS: deliveries taken out of `expected` because their message was never written, or never acknowledged nor received. */
const WITHDRAWN = ['unsent', 'unconfirmed'] as const;
const PROMISE: Record<string, string> = { '0': 'at most once', '1': 'at least once', '2': 'exactly once' };

/** Delivery per QoS class for each run, with the one-sentence verdicts. */
export function qosTables(items: readonly ComparisonItem[]): string {
  return items
    .map((it) => {
      const byQos = it.results.summary?.byQos ?? {};
      const entries = (['0', '1', '2'] as const).flatMap((q) => (byQos[q] ? [[q, byQos[q]] as [string, QosDelivery]] : []));
      const rows = entries.map(([q, d]) => [
        cell(`QoS ${q}`),
        cell(PROMISE[String(d.ranAs ?? q)]),
        cell(fmtInt(d.expected), 'num'),
        cell(fmtInt(d.received), 'num'),
        cell(fmtInt(d.lost), d.lost > 0 ? 'num bad' : 'num'),
        cell(fmtInt(d.duplicated), d.duplicated > 0 ? 'num bad' : 'num'),
        cell(fmtInt(d.outOfOrder), 'num'),
        ...WITHDRAWN.map((k) => cell(d[k] === undefined ? NONE : fmtInt(d[k]), 'num')),
        cell(d.ok ? 'kept' : 'BROKEN', d.ok ? 'ok' : 'bad'),
        cell(d.verdict),
      ]);
      const body =
        rows.length === 0
          ? '<p>No QoS class carried expected deliveries.</p>'
          : table(
              [
                'QoS',
                'promise',
                'expected',
                'received',
                'lost',
                'duplicated',
                'out of order',
                'unsent (not expected)',
                'unconfirmed (not expected)',
                'promise held',
                'verdict',
              ],
              rows,
            );
      const verdicts = Array.isArray(it.results.summary?.verdicts) ? it.results.summary.verdicts : [];
      const list = verdicts.length > 0 ? `<ul class="verdicts">${verdicts.map((v) => `<li>${esc(v)}</li>`).join('')}</ul>` : '';
      return `<h3>${esc(it.label)}</h3>${body}${list}`;
    })
    .join('');
}

/** The steps of each capacity search, for the runs that have one ("" when none has). */
export function capacityTables(items: readonly ComparisonItem[]): string[] {
  return items.map((it) => {
    const cap = capacityOf(it.results);
    if (!cap) return '';
    const slo = cap.slo.length > 0 ? cap.slo.map(esc).join(' · ') : 'none given';
    const found = cap.maxRate === null ? 'No step met the SLO' : `Highest rate within the SLO: ${fmtRate(cap.maxRate)}`;
    const knee = cap.knee !== undefined ? `; knee at ${fmtRate(cap.knee)}` : '';
    const rows = cap.steps.map((s) => [
      cell(fmtRate(s.rate), 'num'),
      cell(fmtMs(s.p99), 'num'),
      cell(fmtInt(s.lost), s.lost > 0 ? 'num bad' : 'num'),
      cell(s.ok ? 'met' : 'missed', s.ok ? 'ok' : 'bad'),
    ]);
    return `<p>SLO: ${slo}. ${esc(found + knee)}.</p>${table(['offered rate', 'p99 (ms)', 'lost', 'SLO'], rows)}`;
  });
}
