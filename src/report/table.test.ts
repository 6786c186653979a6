import { describe, expect, it } from 'vitest';
import { makeResults } from './fixture.test-helper.js';
import { renderSummary } from './table.js';

/** The cells of the table row whose first cell is `label`. */
function rowCells(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`│ ${label} `));
  if (!line) throw new Error(`no row "${label}" in:\n${text}`);
  return line.split('│').slice(1, -1).map((c) => c.trim());
}

const warnings = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('WARNING:'));

describe('renderSummary', () => {
  const text = renderSummary(makeResults());

  it('starts with a header naming scenario, target, status and duration', () => {
    const header = text.split('\n')[0];
    expect(header).toContain('fanout-commands');
    expect(header).toContain('mqtt://127.0.0.1:1883');
    expect(header).toContain('status complete');
    expect(header).toContain('duration 30.0 s');
  });

  it('renders latency percentiles in ms with the agreed precision, and no mean', () => {
    expect(rowCells(text, 'latency (ms)')).toEqual(['latency (ms)', 'count', 'min', 'p50', 'p90', 'p99', 'p99.9', 'max']);
    expect(rowCells(text, 'end-to-end (from intended send)')).toEqual(
      ['end-to-end (from intended send)', '60,000', '0.101', '0.311', '0.720', '1.24', '12.3', '123'],
    );
    expect(rowCells(text, 'publish→ack')[5]).toBe('1.24');
    expect(rowCells(text, 'connect')[5]).toBe('8.12');
    expect(rowCells(text, 'end-to-end (uncorrected)')[5]).toBe('1.19');
    expect(text).not.toMatch(/mean|avg|average/i);
  });

  it('shows dashes for a latency row without samples', () => {
    const empty = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const out = renderSummary(makeResults({ latencyMs: { publishAck: empty } }));
    expect(rowCells(out, 'publish→ack')).toEqual(['publish→ack', '0', '–', '–', '–', '–', '–', '–']);
  });

  it('shows connection and message counters', () => {
    expect(rowCells(text, 'attempted')).toEqual(['attempted', 'succeeded', 'failed', 'lost', 'reconnected', 'subscribe failed']);
    expect(text).toContain('│     1,001 │     1,001 │      0 │    0 │           0 │                0 │');
    expect(rowCells(text, 'sent')).toEqual(['sent', '60,000', 'expected', '60,000']);
    expect(rowCells(text, 'send rate')).toEqual(['send rate', '2,000/s', 'receive rate', '2,000/s']);
    expect(text).not.toContain('connection problem (failures, losses)');
  });

  it('lists the top connection failure reasons, most frequent first', () => {
    const errors = { ECONNREFUSED: 5, 'CONNACK: Not authorized': 7, a: 1, b: 1, c: 1, d: 1, e: 2 };
    const out = renderSummary(makeResults({ connections: { failed: 18, succeeded: 983, errors } }));
    expect(rowCells(out, 'CONNACK: Not authorized')[1]).toBe('7');
    expect(out.indexOf('CONNACK: Not authorized')).toBeLessThan(out.indexOf('ECONNREFUSED'));
    expect(rowCells(out, '… 2 other reasons')[1]).toBe('2');
  });

  it('states a clean delivery verdict', () => {
    expect(text).toContain('\nDelivery: all 60,000 expected messages received, no duplicates\n');
  });

  it('says in words what was lost or duplicated', () => {
    const lost = renderSummary(makeResults({ messages: { lost: 12, received: 59_988 } }));
    expect(lost).toContain('Delivery: 12 of 60,000 expected messages lost (0.02%), no duplicates');
    expect(rowCells(lost, 'publish errors')[3]).toBe('12 (0.02%)');
    const dup = renderSummary(makeResults({ messages: { duplicated: 1, received: 60_001 } }));
    expect(dup).toContain('Delivery: all 60,000 expected messages received, but 1 duplicate delivery');
    const both = renderSummary(makeResults({ messages: { lost: 1, duplicated: 3 } }));
    expect(both).toContain('Delivery: 1 of 60,000 expected messages lost (0.002%) and 3 duplicate deliveries');
  });

  it('does not claim success when nothing was expected', () => {
    const out = renderSummary(makeResults({ messages: { expected: 0, received: 0 } }));
    expect(out).toContain('Delivery: no deliveries were expected');
    expect(out).not.toContain('all 0 expected');
  });

  it('prints no warning for a complete run against an external broker', () => {
    expect(warnings(text)).toEqual([]);
  });

  it('warns about each condition exactly when it holds', () => {
    expect(warnings(renderSummary(makeResults({ target: { embedded: true } })))).toEqual([
      'WARNING: these numbers measure the embedded aedes broker inside mqbench, not a production broker',
    ]);
    expect(warnings(renderSummary(makeResults({ generator: { saturated: true, saturatedReason: 'event-loop delay 250 ms' } })))).toEqual([
      'WARNING: the generator was saturated (event-loop delay 250 ms): the numbers describe mqbench, not the broker',
    ]);
    expect(warnings(renderSummary(makeResults({ status: 'partial', statusReason: 'interrupted by SIGINT' })))).toEqual([
      'WARNING: run is partial: interrupted by SIGINT',
    ]);
    const all = renderSummary(makeResults({
      status: 'failed', statusReason: 'broker unreachable', target: { embedded: true }, generator: { saturated: true },
    }));
    expect(warnings(all)).toHaveLength(3);
    expect(all.split('\n')[0]).toContain('status failed');
  });

  it('is plain text by default and colored only on request', () => {
    expect(text).not.toContain('\x1b[');
    const colored = renderSummary(makeResults({ target: { embedded: true } }), { color: true });
    expect(colored).toContain('\x1b[');
    // Same content once the colors are stripped: color never changes the layout.
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(renderSummary(makeResults({ target: { embedded: true } })));
  });
});
