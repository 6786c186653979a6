/**
 * The end-of-run summary for a terminal: header, connections, messages, latency percentiles,
 * the delivery verdict and warnings. Returns a string; printing it is the caller's business.
 * Latency is shown as percentiles up to the maximum, never as a mean.
 */
import Table from 'cli-table3';
import { HISTOGRAM_KEYS, type HistogramKey } from '../metrics/histogramKeys.js';
import type { Results } from '../metrics/resultsFile.js';
import type { LatencySummary, Summary } from '../metrics/summary.js';
import { CONNECTION_FIGURES as C, HISTOGRAM_CATALOGUE, MESSAGE_FIGURES as M, THROUGHPUT_FIGURES as T } from '../metrics/summaryCatalogue.js';
import { createPaint, type Paint } from './ansi.js';
import { fmtInt, fmtMs, fmtPercent, fmtRate, fmtSec, NONE } from './format.js';
import { brokerBlock } from './brokerTable.js';
import { thresholdsTable } from './thresholdTable.js';
import { deliveryOk, deliveryVerdict } from './verdict.js';
import { runWarnings } from './warnings.js';

export interface RenderOptions {
  /** Add ANSI colors (default false: plain text). */
  color?: boolean;
}

/** How many connection failure reasons to list before summing up the rest. */
const TOP_REASONS = 5;
/** Longer failure reasons are cut so that one odd message cannot stretch the table. */
const MAX_REASON_CHARS = 60;

/** Latency rows in display order, labelled by the catalogue. */
export const LATENCY_ROWS: readonly [HistogramKey, string][] = HISTOGRAM_KEYS.map((k) => [k, HISTOGRAM_CATALOGUE[k].label]);

function newTable(paint: Paint, head: string[], colAligns: Table.HorizontalAlignment[]): Table.Table {
  return new Table({
    head: head.map((h) => paint.cyan(h)),
    colAligns,
    style: { head: [], border: [], compact: true },
  });
}

function statusText(results: Results, paint: Paint): string {
  const color = results.status === 'complete' ? paint.green : results.status === 'partial' ? paint.yellow : paint.red;
  return color(results.status);
}

function headerLine(results: Results, paint: Paint): string {
  const broker = results.target.brokerVersion ? ` (${results.target.brokerVersion})` : '';
  const embedded = results.target.embedded ? ' [embedded]' : '';
  return [
    `${paint.bold(results.scenario.name)} → ${results.target.url}${results.target.urls ? ` (+${results.target.urls.length - 1} more)` : ''}${broker}${embedded}`,
    `status ${statusText(results, paint)}`,
    `duration ${fmtSec(results.durationSec)}`,
  ].join(' | ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A count that signals trouble when it is not zero: red in color mode. */
function badCount(paint: Paint): (n: number) => string {
  return (n) => (n > 0 ? paint.red(fmtInt(n)) : fmtInt(n));
}

function connectionsTable(c: Summary['connections'], paint: Paint): string {
  const drops = (c.dropped ?? 0) > 0;
  const head = [C.attempted, C.succeeded, C.failed, C.lost, C.reconnected, C.subscribeFailed, ...(drops ? [C.dropped, C.droppedBack] : [])].map((f) => f.label);
  const table = newTable(paint, head, Array<Table.HorizontalAlignment>(head.length).fill('right'));
  const bad = badCount(paint);
  const row = [fmtInt(c.attempted), fmtInt(c.succeeded), bad(c.failed), bad(c.lost), fmtInt(c.reconnected ?? 0), bad(c.subscribeFailed)];
  if (drops) row.push(fmtInt(c.dropped), c.droppedBack < c.dropped ? paint.red(fmtInt(c.droppedBack)) : fmtInt(c.droppedBack));
  table.push(row);
  if ((c.churned ?? 0) > 0)
    table.push([
      {
        colSpan: head.length,
        content: `churn (connect.lifetime): ${fmtInt(c.churned ?? 0)} connections ended at the end of their lifetime, ${fmtInt(c.churnedBack ?? 0)} came back (their connect times: latency row "reconnect")`,
      },
    ]);
  if ((c.sessionsResumed ?? 0) + (c.sessionsLost ?? 0) > 0)
    table.push([
      {
        colSpan: head.length,
        content: `persistent sessions at reconnect: ${fmtInt(c.sessionsResumed ?? 0)} recovered by the broker, ${c.sessionsLost ? paint.red(fmtInt(c.sessionsLost)) : '0'} gone`,
      },
    ]);
  return table.toString();
}

/** The most frequent connection failure reasons, or "" when every connection succeeded. */
function failuresTable(errors: Record<string, number>, paint: Paint): string {
  const reasons = Object.entries(errors).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (reasons.length === 0) return '';
  const table = newTable(paint, ['connection problem (failures, losses)', 'count'], ['left', 'right']);
  for (const [reason, count] of reasons.slice(0, TOP_REASONS)) {
    table.push([truncate(reason, MAX_REASON_CHARS), fmtInt(count)]);
  }
  const rest = reasons.slice(TOP_REASONS);
  if (rest.length > 0) {
    const restCount = rest.reduce((sum, [, n]) => sum + n, 0);
    table.push([`… ${fmtInt(rest.length)} other reason${rest.length === 1 ? '' : 's'}`, fmtInt(restCount)]);
  }
  return table.toString();
}

function messagesTable(summary: Summary, paint: Paint): string {
  const m = summary.messages;
  const bad = badCount(paint);
  // Of lost, those maybe still queued when the drain ended (metrics/tail.ts): the verdict says it in words.
  const tail = (m.lostAtTail ?? 0) > 0 ? `; ${fmtInt(m.lostAtTail ?? 0)} at the tail` : '';
  const lost = m.lost > 0 ? `${paint.red(fmtInt(m.lost))} (${fmtPercent(m.lost, m.expected)}${tail})` : fmtInt(m.lost);
  const table = newTable(paint, ['published', '', 'delivered', ''], ['left', 'right', 'left', 'right']);
  // Files written before the publish accounting have no planned/unsent/unconfirmed/refused: shown as "–".
  const notAccepted = (n: number | undefined) => (n === undefined ? NONE : n > 0 ? paint.yellow(fmtInt(n)) : fmtInt(n));
  const planned = m.planned === undefined ? [] : [[M.planned.label, fmtInt(m.planned), '', '']];
  const window = (m.inflightWindow ?? 0) > 0 ? [[M.inflightWindow.label, fmtInt(m.inflightWindow ?? 0), '', '']] : [];
  table.push(
    ...planned,
    [M.sent.label, fmtInt(m.sent), M.expected.label, fmtInt(m.expected)],
    [M.acked.label, fmtInt(m.acked), M.received.label, fmtInt(m.received)],
    [M.unsent.label, notAccepted(m.unsent), M.lost.label, lost],
    [M.unconfirmed.label, notAccepted(m.unconfirmed), M.duplicated.label, bad(m.duplicated)],
    [M.refused.label, m.refused === undefined ? NONE : bad(m.refused), M.outOfOrder.label, bad(m.outOfOrder)],
    [M.lateSends.label, bad(m.lateSends), M.foreign.label, fmtInt(m.foreign)],
    [M.missedSends.label, bad(m.missedSends ?? 0), M.unexpected.label, fmtInt(m.unexpected ?? 0)],
    ...notOfferedRows(m),
    ...ledgerRows(m, bad),
    ...window,
    [T.sentPerSec.label, fmtRate(summary.throughput.sentPerSec), T.receivedPerSec.label, fmtRate(summary.throughput.receivedPerSec)],
  );
  return table.toString();
}

/**
 * The counts (sent, expected, …) are of messages *due* in the measured window; the rates are of sends and
 * receipts *made* during it. When the generator runs late the two differ (even "sent 0" beside a high send
 * rate): then a note says what each figure is, with the counts behind the rates.
 */
export function windowNote(results: Results): string {
  const { messages: m, throughput: t } = results.summary;
  const sentInWindow = Math.round(t.sentPerSec * results.durationSec);
  const receivedInWindow = Math.round(t.receivedPerSec * results.durationSec);
  const apart = (a: number, b: number) => Math.abs(a - b) > Math.max(1, 0.01 * Math.max(a, b));
  if (!apart(m.sent, sentInWindow) && !apart(m.received, receivedInWindow)) return '';
  return `Counts are of messages due in the measured window (${fmtSec(results.durationSec)}); the rates are of what was actually sent (${fmtInt(sentInWindow)}) and received (${fmtInt(receivedInWindow)}) during it, whenever it was due.`;
}

/** Deliveries the broker does not offer (e.g. $share on a broker without shared subscriptions): shown only when there are any. */
function notOfferedRows(m: Summary['messages']): string[][] {
  const rows: string[][] = [];
  if ((m.notOffered ?? 0) > 0) rows.push(['', '', M.notOffered.label, fmtInt(m.notOffered)]);
  if ((m.retainedNotOffered ?? 0) > 0) rows.push(['', '', M.retainedNotOffered.label, fmtInt(m.retainedNotOffered)]);
  return rows;
}

/** Receive-side ledger figures, shown only when not zero (deliveries counted apart from expected and received). */
function ledgerRows(m: Summary['messages'], bad: (n: number) => string): string[][] {
  const rows: [string, number | undefined, (n: number) => string][] = [
    [M.notEntitled.label, m.notEntitled, fmtInt],
    [M.awayAtEnd.label, m.awayAtEnd, fmtInt],
    [M.extraCopies.label, m.extraCopies, fmtInt],
    [M.unverifiable.label, m.unverifiable, bad],
    [M.receivedNoHeader.label, m.receivedNoHeader, fmtInt],
    [M.otherRuns.label, m.otherRuns, fmtInt],
  ];
  return rows.filter(([, n]) => (n ?? 0) > 0).map(([label, n, f]) => ['', '', label, f(n!)]);
}

function latencyCells(l: LatencySummary): string[] {
  if (l.count === 0) return [fmtInt(0), NONE, NONE, NONE, NONE, NONE, NONE];
  return [fmtInt(l.count), ...[l.min, l.p50, l.p90, l.p99, l.p999, l.max].map(fmtMs)];
}

function latencyTable(latency: Summary['latencyMs'], paint: Paint): string {
  const head = ['latency (ms)', 'count', 'min', 'p50', 'p90', 'p99', 'p99.9', 'max'];
  const table = newTable(paint, head, ['left', ...Array<Table.HorizontalAlignment>(7).fill('right')]);
  for (const [key, label] of LATENCY_ROWS) {
    const l = latency[key];
    if (HISTOGRAM_CATALOGUE[key].onlyWhenUsed && (!l || l.count === 0)) continue;
    table.push([label, ...latencyCells(l)]);
  }
  return table.toString();
}

const PROMISES = ['at most once', 'at least once', 'exactly once'];

/** Delivery per QoS class with its verdict, or "" when nothing was expected or received. */
function qosTable(summary: Summary, paint: Paint): string {
  const classes = Object.entries(summary.byQos ?? {});
  if (classes.length === 0) return '';
  // Deliveries not expected because their message was unsent, unconfirmed or refused: shown when there are any.
  const withdrawn = (['unsent', 'unconfirmed', 'refused'] as const).filter((k) => classes.some(([, d]) => (d?.[k] ?? 0) > 0));
  const head = ['QoS', 'expected', 'received', 'lost', 'duplicated', 'out-of-order', ...withdrawn.map((k) => `${k} (not expected)`), 'promise'];
  const table = newTable(paint, head, ['left', ...Array<Table.HorizontalAlignment>(head.length - 2).fill('right'), 'left']);
  for (const [q, d] of classes) {
    if (!d) continue;
    const promise = PROMISES[d.ranAs ?? Number(q)] + (d.ranAs !== undefined ? ` (QoS ${q} run as QoS ${d.ranAs})` : '');
    table.push([
      q,
      fmtInt(d.expected),
      fmtInt(d.received),
      fmtInt(d.lost),
      fmtInt(d.duplicated),
      fmtInt(d.outOfOrder),
      ...withdrawn.map((k) => fmtInt(d[k] ?? 0)),
      d.ok ? paint.green(`${promise}: kept`) : paint.red(`${promise}: BROKEN`),
    ]);
  }
  return table.toString();
}

/** The complete end-of-run summary as text (lines joined with "\n", ending with a newline). */
export function renderSummary(results: Results, opts: RenderOptions = {}): string {
  const paint = createPaint(opts.color ?? false);
  const { summary } = results;
  const verdict = deliveryVerdict(summary.messages, results);
  const windows = windowNote(results);
  const failures = failuresTable(summary.connections.errors, paint);
  const byQos = qosTable(summary, paint);
  const thresholds = thresholdsTable(results.thresholds, paint);
  const lines = [
    headerLine(results, paint),
    '',
    paint.bold('Connections'),
    connectionsTable(summary.connections, paint),
    ...(failures ? [failures] : []),
    '',
    paint.bold('Messages'),
    messagesTable(summary, paint),
    ...(windows ? [windows] : []),
    '',
    paint.bold('Latency'),
    latencyTable(summary.latencyMs, paint),
    '',
    ...brokerBlock(results, paint),
    ...(byQos ? [paint.bold('Delivery by QoS'), byQos, ''] : []),
    ...(thresholds ? [paint.bold('Thresholds'), thresholds, ''] : []),
    deliveryOk(summary.messages) ? paint.green(verdict) : paint.red(verdict),
    ...(summary.verdicts ?? []).map((v) => (v.includes('broken') ? paint.red(v) : v)),
    ...runWarnings(results).map((w) => paint.yellow(`WARNING: ${w}`)),
  ];
  return `${lines.join('\n')}\n`;
}
