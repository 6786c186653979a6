/**
 * `mqbench report`: one self-contained HTML page for one or more results files. Tables are rendered here;
 * charts are data (a JSON block) drawn in the page by uPlot, which is inlined with the page's own script.
 * The page makes no network request: no external script, stylesheet, font or image.
 */
import { VERSION } from '../shared/version.js';
import type { ComparisonItem } from './compare.js';
import { inlineJson, inlineScriptText, inlineStyleText, licenseComment, type ChartLibrary } from './htmlAssets.js';
import { clientScript, DATA_ELEMENT_ID } from './htmlClient.js';
import { capacityCharts, percentileCharts, timeCharts, type ChartSpec, type ReportData } from './htmlData.js';
import { brokerTimeCharts } from './htmlBrokerCharts.js';
import { capacityTables, esc, qosTables, summaryTable, thresholdTables, warningsList } from './htmlTables.js';
import { REPORT_CSS } from './htmlStyle.js';

export interface HtmlReportOptions {
  library: ChartLibrary;
  /** Shown in the header; fixed in tests. */
  generatedAt: Date;
}

function chartBlock(c: ChartSpec, note = ''): string {
  return `<figure class="chart-box"><figcaption>${esc(c.title)}</figcaption><div class="chart" id="${esc(c.id)}"></div>${note ? `<p class="note">${esc(note)}</p>` : ''}</figure>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`;
}

const PERCENTILE_NOTE =
  'The x axis is 1/(1 − p) on a log scale, so each additional "nine" of the tail gets the same width. ' +
  'Curves come from the HDR histograms of the measured window; a curve ends where the run ran out of samples (at its maximum).';

const LOG_TOGGLE = '<label class="toggle"><input type="checkbox" id="pct-log" checked> log latency axis (body and tail both visible)</label>';

/** The page body's sections, in reading order, with the chart specs they place. */
function sections(items: readonly ComparisonItem[]): { html: string[]; charts: ChartSpec[] } {
  const pct = percentileCharts(items);
  const time = [...timeCharts(items), ...brokerTimeCharts(items)];
  const cap = capacityCharts(items);
  const html = [
    section('summary', 'Summary', `${summaryTable(items)}<h3>Warnings</h3>${warningsList(items)}`),
    section('latency', 'Latency by percentile', pct.length > 0
      ? `<p class="note">${esc(PERCENTILE_NOTE)}</p>${LOG_TOGGLE}${pct.map((c) => chartBlock(c)).join('')}`
      : '<p>No run has readable latency histograms.</p>'),
    section('timeline', 'Over time', time.map((c) => chartBlock(c)).join('')),
    section('delivery', 'Delivery by QoS', qosTables(items)),
    section('thresholds', 'Thresholds', thresholdTables(items)),
  ];
  const tables = capacityTables(items);
  if (tables.some((t) => t !== '')) {
    const blocks = items.map((it, i) => {
      const chart = cap.find((c) => c.id === `chart-capacity-${i}`);
      return tables[i] === '' ? '' : `<h3>${esc(it.label)}</h3>${chart ? chartBlock(chart) : ''}${tables[i]}`;
    });
    html.push(section('capacity', 'Capacity', blocks.join('')));
  }
  return { html, charts: [...pct, ...time, ...cap] };
}

/** The report as one HTML document. Needs at least one item. */
export function renderHtmlReport(items: readonly ComparisonItem[], opts: HtmlReportOptions): string {
  if (items.length === 0) throw new Error('renderHtmlReport needs at least one results file');
  const { html, charts } = sections(items);
  const data: ReportData = { runs: items.map((it) => it.label), charts };
  const nav = html.map((s) => /<section id="([^"]+)"><h2>([^<]+)<\/h2>/.exec(s)).filter((m) => m !== null)
    .map((m) => `<a href="#${m[1]}">${m[2]}</a>`).join(' · ');
  const runs = items.map((it) => `<li>${esc(it.label)}</li>`).join('');
  const lib = opts.library;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>mqbench report — ${esc(items.map((it) => it.label).join(' vs '))}</title>`,
    `<style>${inlineStyleText(lib.css)}</style>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>mqbench report</h1>',
    `<p class="meta">${items.length === 1 ? '1 run' : `${items.length} runs`} · generated ${esc(opts.generatedAt.toISOString())} by mqbench ${esc(VERSION)}</p>`,
    `<ol class="runs">${runs}</ol>`,
    `<nav>${nav}</nav>`,
    '</header>',
    '<main>',
    ...html,
    '</main>',
    `<footer>Charts drawn with ${esc(lib.name)} ${esc(lib.version)} (MIT licence), included in this file.</footer>`,
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${inlineJson(data)}</script>`,
    `<script>${inlineScriptText(licenseComment(lib))}\n${inlineScriptText(lib.js)}</script>`,
    `<script>${inlineScriptText(clientScript())}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
