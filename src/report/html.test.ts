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
  it('has the overview, one section per scenario, the broker labels and a container for every chart', () => {
    const html = renderHtmlReport(twoRuns(), { library, generatedAt: AT });
    expect(html).toContain('<section id="overview">');
    expect(html).toContain('<section id="scenario-0" class="scenario">');
    for (const h of ['Warnings', 'Comparison', 'Latency by percentile', 'Over time', 'Delivery by QoS', 'Thresholds', 'Capacity'])
      expect(html).toContain(`<h3>${h}</h3>`);
    expect(html).toContain('<th>scenario</th><th>mosquitto</th><th>emqx</th>');
    expect(html).toContain('<th>figure</th><th>mosquitto</th><th>emqx</th><th>change</th><th>verdict</th>');
    expect(html).toContain('generated 2025-03-04T05:06:07.000Z');
    const data = dataOf(html);
    expect(data.runs).toEqual(['mosquitto', 'emqx']);
    expect(data.charts.map((c) => c.id)).toEqual([
      'chart-0-pct-endToEnd',
      'chart-0-pct-publishAck',
      'chart-0-pct-connect',
      'chart-0-throughput',
      'chart-0-e2e-time',
      'chart-0-connections',
      'chart-0-capacity',
    ]);
    for (const c of data.charts) expect(html).toContain(`<div class="chart" id="${c.id}"></div>`);
  });

  it('puts the figures in the tables: summary, thresholds, delivery per QoS, capacity steps', () => {
    const html = renderHtmlReport(twoRuns(), { library, generatedAt: AT });
    expect(html).toContain('<th scope="row">lost (% of expected)</th><td class="num">0 %</td><td class="num bad">0.015 %</td>');
    expect(html).toContain(
      '<th scope="row">lost (% of expected)</th><td class="num">0 %</td><td class="num">0.015 %</td><td class="num">up from 0</td><td class="muted">no verdict (one run on a side)</td>',
    );
    expect(html).toContain('<th scope="row">thresholds</th><td class="ok">all 2 passed</td><td class="bad">1 of 2 failed</td>');
    expect(html).toContain('<td>messages.lost == 0</td><td class="num">3</td><td class="bad">FAIL</td>');
    expect(html).toContain('<td>QoS 1</td><td>at least once</td>');
    expect(html).toContain('QoS 1: at least once BROKEN: 3 lost');
    expect(html).toContain('SLO: endToEnd.p99 &lt; 20ms · messages.lost == 0. Highest rate within the SLO: 4,000/s; knee at 3,500/s.');
  });

  it('shows the publish accounting: planned/unsent/unconfirmed rows, back-pressure, and per QoS the deliveries not expected', () => {
    const pressed = makeResults({ messages: { planned: 600, sent: 389, unsent: 211, unconfirmed: 0, inflightWindow: 20 } });
    pressed.summary.backPressure = { reason: 'planned rate not reached (broker back-pressure): …' };
    pressed.summary.byQos = {
      '1': {
        expected: 389,
        received: 389,
        lost: 0,
        duplicated: 0,
        outOfOrder: 0,
        unsent: 0,
        unconfirmed: 7,
        refused: 0,
        ok: true,
        verdict: 'QoS 1: no loss, no duplicates',
      },
    };
    const html = renderHtmlReport(
      [
        { label: 'a', results: makeResults() },
        { label: 'b', results: pressed },
      ],
      { library, generatedAt: AT },
    );
    expect(html).toContain('<th scope="row">messages planned</th><td class="num">–</td><td class="num">600</td>');
    expect(html).toContain('<th scope="row">unsent (% of planned)</th><td class="num">–</td><td class="num">35.2 %</td>');
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
    expect(e2e.logToggle).toBe('pct-log');
    const at50 = e2e.x.findIndex((x) => x >= 2);
    expect(e2e.series[0].values[at50]).toBeGreaterThan(0.3);
    expect(e2e.series[0].values[at50]).toBeLessThan(0.55);
    expect(e2e.series[1].values[at50]).toBeGreaterThan(e2e.series[0].values[at50] ?? Infinity);
    const cap = data.charts.find((c) => c.id === 'chart-0-capacity');
    expect(cap?.x).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
    expect(cap?.series.map((s) => s.label)).toEqual(['emqx p99', 'SLO missed', 'SLO p99 20 ms']);
    expect(cap?.series[1].values).toEqual([null, null, null, null, 35, 90]);
    expect(cap?.series[2].values.every((v) => v === 20)).toBe(true);
    expect(cap?.markers?.map((m) => m.x)).toEqual([4000, 3500]);
    const time = data.charts.find((c) => c.id === 'chart-0-e2e-time');
    expect(time?.logToggle).toBe('time-log');
    expect(time?.series.map((s) => [s.label, s.color, s.dash ?? 'solid', s.hollow ?? false])).toEqual([
      ['mosquitto p99', '#0072b2', 'solid', false],
      ['mosquitto p50', '#0072b2', [2, 4], true],
      ['emqx p99', '#d55e00', 'solid', false],
      ['emqx p50', '#d55e00', [2, 4], true],
    ]);
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
    const r = makeResults({
      status: 'partial',
      statusReason: 'interrupted',
      target: { embedded: true },
      generator: { saturated: true, saturatedReason: 'event loop 250 ms' },
    });
    const html = renderHtmlReport([{ label: 'one', results: r }], { library, generatedAt: AT });
    expect(html).toContain('run is partial: interrupted');
    expect(html).toContain('the generator was saturated (event loop 250 ms)');
    expect(html).toContain('embedded aedes broker');
    expect(html).toContain('No run has readable latency histograms.');
    expect(html).not.toContain('<h3>Capacity</h3>');
    expect(dataOf(html).charts.map((c) => c.id)).toEqual(['chart-0-throughput', 'chart-0-e2e-time', 'chart-0-connections']);
  });
});

describe('HTML report: two brokers × two scenarios', () => {
  function suite(): ComparisonItem[] {
    const run = (broker: string, scenario: string, seed: number, medianMs: number, hash = scenario) => {
      const r = makeReportResults({ seed, url: `mqtt://127.0.0.1:${1880 + seed}`, medianMs });
      r.target.label = broker;
      r.scenarioFile = `${scenario}.yaml`;
      r.environment.scenarioHash = hash;
      r.thresholds = [{ expression: 'endToEnd.p99 < 5ms', actual: medianMs * 3, ok: medianMs * 3 < 5 }];
      return { label: broker, results: r };
    };
    return [
      run('mosquitto', 'fanout', 1, 0.4),
      run('rabbitmq', 'fanout', 2, 2.0),
      run('mosquitto', 'fanout', 3, 0.41),
      run('rabbitmq', 'fanout', 4, 2.1),
      run('mosquitto', 'p2p', 5, 0.5),
      run('rabbitmq', 'p2p', 6, 0.5),
    ];
  }

  it('groups by scenario file with the brokers side by side, repeats as one side, and an overview on top', () => {
    const html = renderHtmlReport(suite(), { library, generatedAt: AT });
    expect(html.indexOf('<section id="overview">')).toBeLessThan(html.indexOf('<section id="scenario-0"'));
    expect(html).toContain('<h2>Scenario fanout.yaml</h2>');
    expect(html).toContain('<h2>Scenario p2p.yaml</h2>');
    expect(html).toContain('<p class="meta">mosquitto (2 runs) · rabbitmq (2 runs)</p>');
    expect(html).toContain('<th>figure</th><th>mosquitto (2 runs)</th><th>rabbitmq (2 runs)</th><th>change</th><th>verdict</th>');
    expect(html).not.toMatch(/127\.0\.0\.1:188\d \(/); // never named by port
    const overview = /<table class="overview">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    expect(overview).toContain('<th>scenario</th><th>mosquitto</th><th>rabbitmq</th>');
    expect(overview).toMatch(
      /<a href="#scenario-0">fanout\.yaml<\/a><\/th><td class="ok">met: 2\/2 runs pass every threshold<br>tightest: endToEnd\.p99 &lt; 5ms at [\d.]+ ms \([\d.]+ % headroom\)/,
    );
    expect(overview).toMatch(/<td class="bad">MISSED: 0\/2 runs pass every threshold<br>tightest: endToEnd\.p99 &lt; 5ms at [\d.]+ ms \([\d.]+ % beyond\)/);
    const data = dataOf(html);
    expect(data.runs).toEqual(['mosquitto', 'rabbitmq']);
    const pct = data.charts.find((c) => c.id === 'chart-0-pct-endToEnd');
    expect(pct?.series.map((s) => [s.label, s.color, s.width])).toEqual([
      ['mosquitto #1', '#0072b2', 2],
      ['mosquitto #2', '#0072b2', 1.25],
      ['rabbitmq #1', '#d55e00', 2],
      ['rabbitmq #2', '#d55e00', 1.25],
    ]);
    expect(data.charts.find((c) => c.id === 'chart-1-pct-endToEnd')?.series.map((s) => s.label)).toEqual(['mosquitto', 'rabbitmq']);
  });

  it('says the scenarios differ only when their hashes differ, and what differs', () => {
    const same = renderHtmlReport(suite(), { library, generatedAt: AT });
    expect(same).not.toContain('scenarios differ');
    const items = suite();
    items[1].results.environment.scenarioHash = 'changed';
    items[1].results.scenario = { ...items[1].results.scenario, durationMs: 5000 };
    const html = renderHtmlReport(items, { library, generatedAt: AT });
    expect(html).toMatch(/the scenarios differ \(durationMs: [^)]+ vs 5000\)/);
  });
});
