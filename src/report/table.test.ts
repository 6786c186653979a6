import { describe, expect, it } from 'vitest';
import { makeResults, rowCells } from './fixture.test-helper.js';
import { renderSummary } from './table.js';

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
    expect(rowCells(text, 'end-to-end (from intended send)')).toEqual([
      'end-to-end (from intended send)',
      '60,000',
      '0.101',
      '0.311',
      '0.720',
      '1.24',
      '12.3',
      '123',
    ]);
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
    expect(rowCells(lost, 'unsent')[3]).toBe('12 (0.02%)');
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
    const all = renderSummary(
      makeResults({
        status: 'failed',
        statusReason: 'broker unreachable',
        target: { embedded: true },
        generator: { saturated: true },
      }),
    );
    expect(warnings(all)).toHaveLength(3);
    expect(all.split('\n')[0]).toContain('status failed');
  });

  it('shows the publish accounting: planned, unsent, unconfirmed, refused, the window, the waits and back-pressure', () => {
    const base = makeResults({
      messages: {
        planned: 5000,
        sent: 2703,
        acked: 2703,
        expected: 2703,
        received: 2703,
        unsent: 2297,
        waitingAtEnd: 2297,
        unconfirmed: 0,
        refused: 0,
        accepted: 2703,
        waitedSends: 2600,
        inflightWindow: 20,
      },
      latencyMs: { unsentWait: { count: 2297, min: 1, mean: 900, p50: 900, p90: 1600, p99: 1790, p999: 1799, max: 1800.4 } },
    });
    const reason = 'planned rate not reached (broker back-pressure): 2,297 messages were still waiting when the run or their connection ended';
    const withQos = {
      ...base,
      summary: {
        ...base.summary,
        backPressure: { reason },
        byQos: {
          '1': {
            expected: 2703,
            received: 2703,
            lost: 0,
            duplicated: 0,
            outOfOrder: 0,
            unsent: 0,
            unconfirmed: 12,
            refused: 0,
            ok: true,
            verdict: 'QoS 1: no loss, no duplicates',
          },
        },
      },
    };
    const out = renderSummary(withQos);
    expect(rowCells(out, 'planned')).toEqual(['planned', '5,000', '', '']);
    expect(rowCells(out, 'sent')).toEqual(['sent', '2,703', 'expected', '2,703']);
    expect(rowCells(out, 'unsent')).toEqual(['unsent', '2,297', 'lost', '0']);
    expect(rowCells(out, 'unconfirmed')).toEqual(['unconfirmed', '0', 'duplicated', '0']);
    expect(rowCells(out, 'refused')).toEqual(['refused', '0', 'out-of-order', '0']);
    expect(rowCells(out, 'in-flight window')).toEqual(['in-flight window', '20', '', '']);
    expect(rowCells(out, 'unsent: waited until the end')).toEqual(['unsent: waited until the end', '2,297', '1.00', '900', '1,600', '1,790', '1,799', '1,800']);
    // Only the withdrawn kind that occurred gets a column.
    expect(rowCells(out, 'QoS')).toEqual(['QoS', 'expected', 'received', 'lost', 'duplicated', 'out-of-order', 'unconfirmed (not expected)', 'promise']);
    expect(rowCells(out, '1')).toEqual(['1', '2,703', '2,703', '0', '0', '0', '12', 'at least once: kept']);
    expect(warnings(out)).toEqual([`WARNING: ${reason}`]);
    // Without waits, no latency row; a file from before the accounting shows dashes, not zeros.
    expect(text).not.toContain('unsent: waited');
    expect(rowCells(text, 'unsent')[1]).toBe('–');
    expect(text).not.toContain('│ planned');
  });

  it('is plain text by default and colored only on request', () => {
    expect(text).not.toContain('\x1b[');
    const colored = renderSummary(makeResults({ target: { embedded: true } }), { color: true });
    expect(colored).toContain('\x1b[');
    // Same content once the colors are stripped: color never changes the layout.
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(renderSummary(makeResults({ target: { embedded: true } })));
  });
});
