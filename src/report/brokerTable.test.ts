import { describe, expect, it } from 'vitest';
import { makeBrokerResults } from '../observe/brokerFixture.test-helper.js';
import { createPaint } from './ansi.js';
import { brokerBlock } from './brokerTable.js';
import { makeResults } from './fixture.test-helper.js';
import { renderSummary } from './table.js';

const plain = createPaint(false);
const cells = (text: string, label: string) => {
  const line = text.split('\n').find((l) => l.replace(/^│/, '').trimStart().startsWith(label));
  return line
    ?.split('│')
    .map((c) => c.trim())
    .filter(Boolean);
};

describe('the Broker block of the summary', () => {
  it('is absent when the run did not watch the broker', () => {
    expect(brokerBlock(makeResults(), plain)).toEqual([]);
    expect(renderSummary(makeResults())).not.toContain('Broker');
  });

  it('shows CPU per host and per busiest thread, memory, fds, disk, costs and the cross-check with its difference', () => {
    const results = { ...makeResults(), broker: makeBrokerResults() };
    const text = renderSummary(results);
    expect(text).toContain('Broker (pid 4242; mqtt://127.0.0.1:1883 $SYS)');
    expect(cells(text, 'CPU ')).toEqual(['CPU', '0.50 cores = 13 % of 4 CPUs', '0.99 cores = 25 % of 4 CPUs']);
    expect(cells(text, 'busiest thread')).toEqual(['busiest thread', '0.50 cores = 50 % of one core', '0.99 cores = 99 % of one core']);
    expect(cells(text, 'memory (RSS)')).toEqual(['memory (RSS)', '5.00 MiB', '6.00 MiB']);
    expect(cells(text, 'open fds')).toEqual(['open fds', '1,010', '1,012']);
    expect(cells(text, 'disk read / written in window')).toEqual(['disk read / written in window', '0 B / 12.0 KiB']);
    expect(text).toContain(
      'CPU per 1,000 messages: 250 ms in, 250 ms out (15,000 CPU-ms over 30.0 s for 60,000 in / 59,990 out; messages counted by the broker)',
    );
    expect(text).toContain('Memory per connection: 5.10 KiB (slope of RSS over 0 → 1,000 connections in the connect phase, 5 s, R² 0.98)');
    expect(text).toContain('  broker received 60,000 · mqbench sent 60,000: equal');
    expect(text).toContain("  broker sent 59,990 (its 40 $SYS deliveries to mqbench's observer taken out) · mqbench received 60,000: 10 fewer at the broker");
    // The block comes after the latency table and before the verdict.
    expect(text.indexOf('Broker (')).toBeGreaterThan(text.indexOf('Latency'));
  });

  it("reports a failed source as a warning with its error, and prints the sources' caveats", () => {
    const b = makeBrokerResults({
      sources: [
        {
          kind: 'prometheus',
          target: 'http://127.0.0.1:1/metrics (rabbitmq)',
          ok: false,
          error: 'cannot scrape http://127.0.0.1:1/metrics: ECONNREFUSED',
          readings: 0,
          failures: 3,
          skipped: 0,
          costMs: { avg: 1, max: 1 },
          fields: [],
          notes: ['CPU is user time only'],
        },
      ],
      resources: { window: { fromT: 1, toT: 3, seconds: 0 } },
      costs: { cpuMsPer1kMessages: null, bytesPerConnection: null },
      counters: null,
      notes: ["cross-check of counts: no source gave the broker's received and sent message counters around the window"],
    });
    const lines = brokerBlock({ ...makeResults(), broker: b }, plain);
    expect(lines).toContain('Broker (http://127.0.0.1:1/metrics (rabbitmq) FAILED)');
    expect(lines).toContain('no resource figures: no source gave values');
    expect(lines).toContain('WARNING: broker source prometheus http://127.0.0.1:1/metrics (rabbitmq): cannot scrape http://127.0.0.1:1/metrics: ECONNREFUSED');
    expect(lines).toContain('note (prometheus): CPU is user time only');
    expect(lines).toContain("note: cross-check of counts: no source gave the broker's received and sent message counters around the window");
  });
});
