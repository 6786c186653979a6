/**
 * `mqbench report`: one self-contained HTML page for one or more results files, grouped by scenario with the
 * brokers side by side in each group, and a one-page overview on top. Tables are rendered here; charts are data
 * (a JSON block) drawn in the page by uPlot, which is inlined with the page's own script. The page makes no
 * network request: no external script, stylesheet, font or image.
 */
import { VERSION } from '../shared/version.js';
import type { ComparisonItem } from './compare.js';
import { buildComparison } from './compareModel.js';
import { inlineJson, inlineScriptText, inlineStyleText, licenseComment, type ChartLibrary } from './htmlAssets.js';
import { clientScript, DATA_ELEMENT_ID } from './htmlClient.js';
import { comparisonTable } from './htmlCompare.js';
import { brokerTimeCharts } from './htmlBrokerCharts.js';
import { capacityChart, PCT_LOG, percentileCharts, TIME_LOG, timeCharts, type ChartSpec, type ReportData } from './htmlData.js';
import { brokerOrder, chartRuns, groupByScenario, overviewTable, type ScenarioGroup } from './htmlGroups.js';
import { capacityTables, esc, qosTables, summaryTable, thresholdTables, warningsList } from './htmlTables.js';
import { REPORT_CSS } from './htmlStyle.js';
import { workloadDifferences } from './scenarioDiff.js';
import { DEFAULT_DECISION, methodNote } from './stats.js';

export interface HtmlReportOptions {
  library: ChartLibrary;
  /** Shown in the header; fixed in tests. */
  generatedAt: Date;
}

function chartBlock(c: ChartSpec, note = ''): string {
  return `<figure class="chart-box"><figcaption>${esc(c.title)}</figcaption><div class="chart" id="${esc(c.id)}"></div>${note ? `<p class="note">${esc(note)}</p>` : ''}</figure>`;
}

const PERCENTILE_NOTE =
  'The x axis is 1/(1 − p) on a log scale, so each additional "nine" of the tail gets the same width. ' +
  'Curves come from the HDR histograms of the measured window; a curve ends where the run ran out of samples (at its maximum).';

const TOOLBAR =
  `<div class="toolbar">log latency axis: <label><input type="checkbox" id="${PCT_LOG}" checked> percentile charts</label> ` +
  `<label><input type="checkbox" id="${TIME_LOG}"> latency over time</label> · hover a chart: the legend shows the values at the cursor (without: the last value)</div>`;

/** Tables of one run each (delivery, thresholds) sit one heading level below the group's sections. */
const demote = (html: string): string => html.replace(/<(\/?)h3>/g, '<$1h4>');

function groupSection(g: ScenarioGroup, gi: number, brokers: readonly string[], charts: ChartSpec[]): string {
  const prefix = `chart-${gi}-`;
  const runs = chartRuns(g, brokers);
  const runItems: ComparisonItem[] = runs.map((r) => ({ label: r.name, results: r.item.results }));
  const pct = percentileCharts(prefix, runs);
  const time = [...timeCharts(prefix, runs), ...brokerTimeCharts(prefix, runs)];
  const cap = capacityChart(prefix, runs);
  charts.push(...pct, ...time, ...(cap ? [cap] : []));
  const differ = workloadDifferences(g.items.map((it) => it.results));
  const comparison =
    g.sides.length >= 2
      ? comparisonTable(buildComparison(g.sides, DEFAULT_DECISION, undefined, differ))
      : `<p>Only ${esc(g.sides[0]?.label ?? 'one broker')} ran this scenario: nothing to compare side by side.</p>`;
  const capTables = capacityTables(runItems);
  const capacity =
    cap || capTables.some((t) => t !== '')
      ? `<h3>Capacity</h3>${cap ? chartBlock(cap) : ''}${runItems.map((it, i) => (capTables[i] ? `<h4>${esc(it.label)}</h4>${capTables[i]}` : '')).join('')}`
      : '';
  return [
    `<section id="scenario-${gi}" class="scenario">`,
    `<h2>Scenario ${esc(g.title)}</h2>`,
    `<p class="meta">${g.sides.map((s) => `${esc(s.label)} (${s.runs.length} run${s.runs.length === 1 ? '' : 's'})`).join(' · ')}</p>`,
    `<h3>Warnings</h3>${demote(warningsList(runItems))}`,
    `<h3>Comparison</h3>${comparison}`,
    `<h3>Latency by percentile</h3>${pct.length > 0 ? `<p class="note">${esc(PERCENTILE_NOTE)}</p>${pct.map((c) => chartBlock(c)).join('')}` : '<p>No run has readable latency histograms.</p>'}`,
    `<h3>Over time</h3>${time.map((c) => chartBlock(c)).join('')}`,
    `<h3>Delivery by QoS</h3>${demote(qosTables(runItems))}`,
    `<h3>Thresholds</h3>${demote(thresholdTables(runItems))}`,
    capacity,
    `<details><summary>Every run's figures</summary>${summaryTable(runItems)}</details>`,
    '</section>',
  ].join('\n');
}

/** The report as one HTML document. Needs at least one item. */
export function renderHtmlReport(items: readonly ComparisonItem[], opts: HtmlReportOptions): string {
  if (items.length === 0) throw new Error('renderHtmlReport needs at least one results file');
  const groups = groupByScenario(items);
  const brokers = brokerOrder(items);
  const charts: ChartSpec[] = [];
  const body = groups.map((g, gi) => groupSection(g, gi, brokers, charts));
  const data: ReportData = { runs: brokers, charts };
  const nav = [`<a href="#overview">Overview</a>`, ...groups.map((g, gi) => `<a href="#scenario-${gi}">${esc(g.title)}</a>`)].join(' · ');
  const overview =
    `<section id="overview"><h2>Overview</h2><p class="note">Per scenario and broker: whether every threshold held (and the tightest one's margin), delivery and the QoS promises. Details per scenario below.</p>` +
    `${overviewTable(groups, brokers)}<p class="note">Comparisons: ${esc(methodNote(DEFAULT_DECISION))} Rates are judged by their distance from the plan; "invalid" marks a side that cannot be judged on a row.</p></section>`;
  const lib = opts.library;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>mqbench report — ${esc(brokers.join(' vs '))} · ${esc(groups.map((g) => g.title).join(', '))}</title>`,
    `<style>${inlineStyleText(lib.css)}</style>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>mqbench report</h1>',
    `<p class="meta">${items.length === 1 ? '1 run' : `${items.length} runs`} · ${groups.length} scenario${groups.length === 1 ? '' : 's'} · ${brokers.length} broker${brokers.length === 1 ? '' : 's'} · generated ${esc(opts.generatedAt.toISOString())} by mqbench ${esc(VERSION)}</p>`,
    `<nav>${nav}</nav>`,
    TOOLBAR,
    '</header>',
    '<main>',
    overview,
    ...body,
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
