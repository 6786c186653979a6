import { describe, expect, it } from 'vitest';
import { makeResults } from '../report/fixture.test-helper.js';
import { checkThresholds, combineThresholds } from './evaluate.js';
import { parsed } from './parsed.test-helper.js';
import { recordedThresholds } from './recorded.js';

describe('checkThresholds', () => {
  const results = makeResults({ messages: { sent: 60_000, expected: 60_000, received: 59_997, lost: 3, duplicated: 0 } });

  it('compares each expression with the summary, in the metric unit', () => {
    expect(
      checkThresholds(
        results,
        parsed([
          'endToEnd.p99 < 50ms', // 1.2449 ms
          'endToEnd.p99 < 1ms',
          'endToEnd.p99 < 1300us',
          'publishAck.max <= 0.02s', // 23.45 ms
          'messages.lost == 0',
          'messages.duplicated == 0',
          'throughput.receivedPerSec >= 1000/s',
          'connections.failed <= 5',
          'connections.succeeded != 1001',
        ]),
      ),
    ).toEqual([
      { expression: 'endToEnd.p99 < 50ms', actual: 1.2449, ok: true },
      { expression: 'endToEnd.p99 < 1ms', actual: 1.2449, ok: false },
      { expression: 'endToEnd.p99 < 1300us', actual: 1.2449, ok: true },
      { expression: 'publishAck.max <= 0.02s', actual: 23.45, ok: false },
      { expression: 'messages.lost == 0', actual: 3, ok: false },
      { expression: 'messages.duplicated == 0', actual: 0, ok: true },
      { expression: 'throughput.receivedPerSec >= 1000/s', actual: 1999.6, ok: true },
      { expression: 'connections.failed <= 5', actual: 0, ok: true },
      { expression: 'connections.succeeded != 1001', actual: 1001, ok: false },
    ]);
  });

  it('fails a latency threshold that has no samples rather than passing it on zeros', () => {
    expect(checkThresholds(results, parsed(['reconnect.p99 < 1s']))).toEqual([{ expression: 'reconnect.p99 < 1s', actual: 0, ok: false, note: 'no samples' }]);
  });

  it('fails a count threshold with no data behind it ("no data") rather than passing it on zeros', () => {
    const nothingExpected = makeResults({ messages: { sent: 500, acked: 0, expected: 0, received: 0, lost: 0, duplicated: 0 } });
    expect(
      checkThresholds(
        nothingExpected,
        parsed(['messages.lost == 0', 'messages.duplicated == 0', 'throughput.receivedPerSec >= 0/s', 'messages.publishErrors == 0']),
      ),
    ).toEqual([
      { expression: 'messages.lost == 0', actual: 0, ok: false, note: 'no data: nothing was expected to arrive (nothing sent, or no subscription in place)' },
      {
        expression: 'messages.duplicated == 0',
        actual: 0,
        ok: false,
        note: 'no data: nothing was expected to arrive (nothing sent, or no subscription in place)',
      },
      {
        expression: 'throughput.receivedPerSec >= 0/s',
        actual: 1999.6,
        ok: false,
        note: 'no data: nothing was expected to arrive (nothing sent, or no subscription in place)',
      },
      { expression: 'messages.publishErrors == 0', actual: 0, ok: true }, // 500 publishes were due
    ]);
    // A broker that refused every connection (failed TLS, crashed broker): no message metric has data.
    const noConnection = makeResults({ connections: { attempted: 10, succeeded: 0, failed: 10 }, messages: { sent: 0, expected: 0, received: 0, lost: 0 } });
    expect(checkThresholds(noConnection, parsed(['messages.lost == 0', 'messages.publishErrors == 0', 'connections.failed <= 10']))).toEqual([
      { expression: 'messages.lost == 0', actual: 0, ok: false, note: 'no data: no connection succeeded' },
      { expression: 'messages.publishErrors == 0', actual: 0, ok: false, note: 'no data: no connection succeeded' },
      { expression: 'connections.failed <= 10', actual: 10, ok: true },
    ]);
    const noPublisher = makeResults({ messages: { sent: 0, missedSends: 0, publishErrors: 0, expected: 0, received: 0 } });
    expect(checkThresholds(noPublisher, parsed(['messages.sent == 0']))[0]).toMatchObject({ ok: false, note: 'no data: no publish was due' });
    // Received something although nothing was expected (e.g. only "unexpected" deliveries): duplicates can be judged, loss cannot.
    const someReceived = makeResults({ messages: { sent: 5, expected: 0, received: 5, duplicated: 0, lost: 0 } });
    expect(checkThresholds(someReceived, parsed(['messages.duplicated == 0', 'messages.lost == 0'])).map((t) => t.ok)).toEqual([true, false]);
  });

  it('reads a counter an older results file lacks as 0', () => {
    const old = makeResults();
    delete (old.summary.messages as Partial<typeof old.summary.messages>).missedSends;
    expect(checkThresholds(old, parsed(['messages.missedSends == 0']))[0].ok).toBe(true);
  });
});

describe('combineThresholds', () => {
  it('keeps each expression once, the first list first', () => {
    const list = combineThresholds(parsed(['messages.lost == 0', 'endToEnd.p99 < 5ms']), parsed(['endToEnd.p99 < 5ms', 'connections.failed == 0']));
    expect(list.map((t) => t.expression)).toEqual(['messages.lost == 0', 'endToEnd.p99 < 5ms', 'connections.failed == 0']);
  });
});

describe('recordedThresholds', () => {
  it('parses the expressions a results file records, and names each entry that is not one', () => {
    expect(recordedThresholds({ name: 'x' })).toEqual({ thresholds: [], problems: [] });
    const r = recordedThresholds({ name: 'x', thresholds: [' messages.lost == 0', 'nope', 5] });
    expect(r.thresholds).toEqual(parsed(['messages.lost == 0']));
    expect(r.problems).toEqual(['scenario.thresholds[1]: unknown metric "nope"', 'scenario.thresholds[2]: not an expression']);
    expect(recordedThresholds({ name: 'x', thresholds: 'messages.lost == 0' }).problems).toEqual(['scenario.thresholds is not a list']);
  });
});
