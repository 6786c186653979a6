import { beforeAll, describe, expect, it } from 'vitest';
import { brokerSeconds, makeBrokerResults } from '../observe/brokerFixture.test-helper.js';
import type { ComparisonItem } from './compare.js';
import { renderHtmlReport } from './html.js';
import { loadChartLibrary, type ChartLibrary } from './htmlAssets.js';
import { brokerTimeCharts } from './htmlBrokerCharts.js';
import { timeCharts } from './htmlData.js';
import { makeReportResults } from './reportFixture.test-helper.js';

let library: ChartLibrary;
beforeAll(async () => {
  library = await loadChartLibrary();
});

/** Two runs; the first watched the broker in each of its seconds but the first. */
function runs(): ComparisonItem[] {
  const a = makeReportResults({ seed: 1, url: 'mqtt://10.0.0.1:1883', medianMs: 0.4 });
  const per = brokerSeconds(a.intervals.length);
  a.intervals = a.intervals.map((r, i) => (i === 0 ? r : { ...r, broker: per[i] }));
  a.broker = makeBrokerResults();
  return [
    { label: 'mosquitto', results: a },
    { label: 'emqx', results: makeReportResults({ seed: 2, url: 'mqtt://10.0.0.2:1883', medianMs: 0.9 }) },
  ];
}

describe('broker charts of the HTML report', () => {
  it('CPU (and busiest thread) and RSS per second, on the same time axis as throughput and p99', () => {
    const items = runs();
    const chartRuns = items.map((item, i) => ({ item, name: item.label, color: ['#000', '#111'][i], width: 2 }));
    const [cpu, mem] = brokerTimeCharts('chart-0-', chartRuns);
    const throughput = timeCharts('chart-0-', chartRuns)[0];
    expect(cpu.id).toBe('chart-0-broker-cpu');
    expect(cpu.x).toEqual(throughput.x);
    expect(cpu.series.map((s) => s.label)).toEqual(['mosquitto CPU', 'mosquitto busiest thread']);
    const t1 = items[0].results.intervals[1];
    expect(cpu.series[0].values[cpu.x.indexOf(t1.t)]).toBeCloseTo(t1.broker!.cpuCores!, 9);
    expect(cpu.series[0].values[cpu.x.indexOf(items[0].results.intervals[0].t)]).toBeNull(); // a second without readings is a gap
    expect(mem.id).toBe('chart-0-broker-memory');
    expect(mem.series[0].values[mem.x.indexOf(t1.t)]).toBeCloseTo(t1.broker!.rssBytes! / 2 ** 20, 9);
  });

  it("are placed after the generator's charts; none without an observation", () => {
    const html = renderHtmlReport(runs(), { library, generatedAt: new Date(0) });
    expect(html).toMatch(/id="chart-\d+-broker-cpu"/);
    expect(html.search(/id="chart-\d+-broker-cpu"/)).toBeGreaterThan(html.search(/id="chart-\d+-e2e-time"/));
    expect(html).toMatch(/id="chart-\d+-broker-memory"/);
    const plain = [runs()[1], runs()[1]].map((item) => ({ item, name: item.label, color: '#000', width: 2 }));
    expect(brokerTimeCharts('p-', plain)).toEqual([]);
  });
});
