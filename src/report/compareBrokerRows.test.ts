import { describe, expect, it } from 'vitest';
import { makeBrokerResults } from '../observe/brokerFixture.test-helper.js';
import { renderComparison } from './compare.js';
import { makeResults } from './fixture.test-helper.js';

const cells = (text: string, label: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`│ ${label} `));
  if (!line) throw new Error(`no row "${label}" in:\n${text}`);
  return line.split('│').slice(1, -1).map((c) => c.trim());
};

describe('broker rows in compare', () => {
  it('puts broker CPU and memory side by side, with CPU per 1k messages as a ratio', () => {
    const a = { ...makeResults(), broker: makeBrokerResults() };
    const rabbit = makeBrokerResults();
    rabbit.resources = { ...rabbit.resources, cpuCores: { avg: 1.5, max: 2.1 }, maxThreadCpuCores: { avg: 0.3, max: 0.4 }, rssBytes: { avg: 150 * 2 ** 20, max: 160 * 2 ** 20 } };
    rabbit.costs = { ...rabbit.costs, cpuMsPer1kMessages: { ...rabbit.costs.cpuMsPer1kMessages!, in: 750, out: 751.2 } };
    rabbit.counters = { ...rabbit.counters!, difference: { received: 0, sent: 0 } };
    const text = renderComparison([{ label: 'mosquitto', results: a }, { label: 'rabbitmq', results: { ...makeResults(), broker: rabbit } }], { markdown: false });
    expect(cells(text, 'broker CPU avg (cores)')).toEqual(['broker CPU avg (cores)', '0.50', '1.50', '3.00×', 'a']);
    expect(cells(text, 'broker busiest thread max (cores)')).toEqual(['broker busiest thread max (cores)', '0.99', '0.40', '0.40×', 'b']);
    expect(cells(text, 'broker memory max (RSS)')).toEqual(['broker memory max (RSS)', '6.00 MiB', '160 MiB', '26.7×', 'a']);
    expect(cells(text, 'broker CPU per 1k msgs in (ms)')).toEqual(['broker CPU per 1k msgs in (ms)', '250', '750', '3.00×', 'a']);
    expect(cells(text, 'broker memory per connection')).toEqual(['broker memory per connection', '5.10 KiB', '5.10 KiB', '1.00×', '=']);
    expect(cells(text, 'broker − mqbench counts (in / out)')).toEqual(['broker − mqbench counts (in / out)', '0 / -10', '0 / 0', '', '']);
  });

  it('are left out when no run watched the broker, and read "–" for a run that did not', () => {
    const plain = renderComparison([{ label: 'a', results: makeResults() }, { label: 'b', results: makeResults() }], { markdown: false });
    expect(plain).not.toContain('broker CPU');
    const one = renderComparison([{ label: 'a', results: { ...makeResults(), broker: makeBrokerResults() } }, { label: 'b', results: makeResults() }], { markdown: false });
    expect(cells(one, 'broker CPU avg (cores)')).toEqual(['broker CPU avg (cores)', '0.50', '–', '–', '']);
  });
});
