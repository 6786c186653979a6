import { beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonItem } from './compare.js';
import { renderHtmlReport } from './html.js';
import { loadChartLibrary, type ChartLibrary } from './htmlAssets.js';
import type { ReportData } from './htmlData.js';
import { makeResults } from './fixture.test-helper.js';
import { CAPACITY_FIXTURE, makeReportResults } from './reportFixture.test-helper.js';

const AT = new Date('2025-03-04T05:06:07Z');
let library: ChartLibrary;
beforeAll(async () => {
  library = await loadChartLibrary();
});

function twoRuns(): ComparisonItem[] {
  return [
    { label: 'mosquitto', results: makeReportResults({ seed: 1, url: 'mqtt://10.0.0.1:1883', medianMs: 0.4 }) },
    { label: 'emqx', results: makeReportResults({ seed: 2, url: 'mqtt://10.0.0.2:1883', medianMs: 0.9, lost: 3, capacity: CAPACITY_FIXTURE }) },
  ];
}

function dataOf(html: string): ReportData {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no data block');
  return JSON.parse(m[1]) as ReportData;
}

describe('HTML report', () => {
  it('has every section, the run labels and a container for every chart', () => {
    const html = renderHtmlReport(twoRuns(), { library, generatedAt: AT });
    for (const id of ['summary', 'latency', 'timeline', 'delivery', 'thresholds', 'capacity']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain('<th>mosquitto</th><th>emqx</th>');
    expect(html).toContain('generated 2025-03-04T05:06:07.000Z');
    const data = dataOf(html);
    expect(data.runs).toEqual(['mosquitto', 'emqx']);
    expect(data.charts.map((c) => c.id)).toEqual([
      'chart-pct-endToEnd', 'chart-pct-publishAck', 'chart-pct-connect', 'chart-throughput', 'chart-e2e-time', 'chart-connections', 'chart-capacity-1',
    ]);
    for (const c of data.charts) expect(html).toContain(`<div class="chart" id="${c.id}"></div>`);
  });

  it('puts the figures in the tables: summary, thresholds, delivery per QoS, capacity steps', () => {
    const html = renderHtmlReport(twoRuns(), { library, generatedAt: AT });
    expect(html).toContain('<th scope="row">messages lost</th><td class="num">0</td><td class="num bad">3</td>');
    expect(html).toContain('<th scope="row">thresholds</th><td class="ok">all 2 passed</td><td class="bad">1 of 2 failed</td>');
    expect(html).toContain('<td>messages.lost == 0</td><td class="num">3</td><td class="bad">FAIL</td>');
    expect(html).toContain('<td>QoS 1</td><td>at least once</td>');
    expect(html).toContain('QoS 1: at least once BROKEN: 3 lost');
    expect(html).toContain('SLO: endToEnd.p99 &lt; 20ms · messages.lost == 0. Highest rate within the SLO: 4,000/s; knee at 3,500/s.');
  });

  it('shows the publish accounting: planned/unsent/unconfirmed rows, back-pressure, and per QoS the deliveries not expected', () => {
    const pressed = makeResults({ messages: { planned: 600, sent: 389, unsent: 211, unconfirmed: 0, inflightWindow: 20 } });
    pressed.summary.backPressure = { reason: 'planned rate not reached (broker back-pressure): …' };
    pressed.summary.byQos = { '1': { expected: 389, received: 389, lost: 0, duplicated: 0, outOfOrder: 0, unsent: 0, unconfirmed: 7, refused: 0, ok: true, verdict: 'QoS 1: no loss, no duplicates' } };
    const html = renderHtmlReport([{ label: 'a', results: makeResults() }, { label: 'b', results: pressed }], { library, generatedAt: AT });
    expect(html).toContain('<th scope="row">messages planned</th><td class="num">–</td><td class="num">600</td>');
    expect(html).toContain('<th scope="row">messages unsent</th><td class="num">–</td><td class="num">211</td>');
    expect(html).toContain('<th scope="row">broker back-pressure</th><td>–</td><td class="bad">yes</td>');
    expect(html).toContain('<li><b>b:</b> planned rate not reached (broker back-pressure): …</li>');
    expect(html).toContain('<th>unsent (not expected)</th><th>unconfirmed (not expected)</th>');
    expect(html).toContain('<td class="num">0</td><td class="num">7</td><td class="ok">kept</td>');
  });

  it('computes percentile curves from the histograms, and the capacity curve with its SLO line', () => {
    const data = dataOf(renderHtmlReport(twoRuns(), { library, generatedAt: AT }));
    const e2e = data.charts[0];
    expect(e2e.xKind).toBe('percentile');
    expect(e2e.ticks?.labels).toEqual(['50%', '90%', '99%', '99.9%', '99.99%']);
    expect(e2e.x.at(-1)).toBeGreaterThanOrEqual(20_000);
    expect(e2e.series[0].values.at(-1)).toBeGreaterThan(5);
    expect(e2e.series.map((s) => s.label)).toEqual(['mosquitto', 'emqx']);
    const at50 = e2e.x.findIndex((x) => x >= 2);
    expect(e2e.series[0].values[at50]).toBeGreaterThan(0.3);
    expect(e2e.series[0].values[at50]).toBeLessThan(0.55);
    expect(e2e.series[1].values[at50]).toBeGreaterThan(e2e.series[0].values[at50] ?? Infinity);
    const cap = data.charts.find((c) => c.id === 'chart-capacity-1');
    expect(cap?.x).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
    expect(cap?.series.map((s) => s.label)).toEqual(['emqx p99', 'SLO missed', 'SLO p99 20 ms']);
    expect(cap?.series[1].values).toEqual([null, null, null, null, 35, 90]);
    expect(cap?.series[2].values.every((v) => v === 20)).toBe(true);
    expect(cap?.markers?.map((m) => m.x)).toEqual([4000, 3500]);
  });

  it('is self-contained: no network URL in src/href/url(), none but the library licence header', () => {
    const html = renderHtmlReport(twoRuns(), { library, generatedAt: AT });
    expect(html).not.toMatch(/\b(src|href|action|poster)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<(link|iframe|img|object|embed)\b/i);
    const urls = (text: string): string[] => [...new Set(text.match(/https?:\/\/[^\s"'<>)]+/g) ?? [])].sort();
    const allowed = new Set(urls(library.js + library.license));
    expect(urls(html).filter((u) => !allowed.has(u))).toEqual([]);
    expect(html).toContain(library.js.slice(0, 200));
    expect(html).toContain('Permission is hereby granted');
  });

  it('escapes labels and values, so a label cannot end a script element', () => {
    const items = twoRuns();
    items[0].label = '</script><script>alert(1)</script>';
    const html = renderHtmlReport(items, { library, generatedAt: AT });
    expect(html.match(/<script\b/gi)).toHaveLength(3);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
    expect(dataOf(html).runs[0]).toBe('</script><script>alert(1)</script>');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('warns about embedded, saturated and partial runs, and survives unreadable histograms', () => {
    const r = makeResults({ status: 'partial', statusReason: 'interrupted', target: { embedded: true }, generator: { saturated: true, saturatedReason: 'event loop 250 ms' } });
    const html = renderHtmlReport([{ label: 'one', results: r }], { library, generatedAt: AT });
    expect(html).toContain('run is partial: interrupted');
    expect(html).toContain('the generator was saturated (event loop 250 ms)');
    expect(html).toContain('embedded aedes broker');
    expect(html).toContain('No run has readable latency histograms.');
    expect(html).not.toContain('<section id="capacity">');
    expect(dataOf(html).charts.map((c) => c.id)).toEqual(['chart-throughput', 'chart-e2e-time', 'chart-connections']);
  });
});
