import { describe, expect, it } from 'vitest';
import { makeResults } from '../report/fixture.test-helper.js';
import { METRIC_PATHS } from './thresholdMetrics.js';
import { checkThresholds, parseThreshold, type ParsedThreshold } from './thresholds.js';
import { tokenize } from './thresholdTokens.js';
import { HISTOGRAM_KEYS } from './types.js';

function ok(text: string) {
  const p = parseThreshold(text);
  if (!p.ok) throw new Error(`expected "${text}" to parse: ${p.message}`);
  return p.threshold;
}

function bad(text: string): Extract<ParsedThreshold, { ok: false }> {
  const p = parseThreshold(text);
  if (p.ok) throw new Error(`expected "${text}" to be refused`);
  return p;
}

describe('tokenize', () => {
  it('splits words, operators, numbers and slashes with their columns', () => {
    expect(tokenize('endToEnd.p99<=1.5ms')).toEqual([
      { kind: 'word', text: 'endToEnd.p99', col: 1 },
      { kind: 'op', text: '<=', col: 13 },
      { kind: 'number', text: '1.5', col: 15 },
      { kind: 'word', text: 'ms', col: 18 },
    ]);
    expect(tokenize('a >= 10/s').map((t) => t.kind)).toEqual(['word', 'op', 'number', 'slash', 'word']);
    expect(tokenize('x == 1; y').map((t) => t.kind)).toEqual(['word', 'op', 'number', 'other', 'word']);
  });
});

describe('parseThreshold', () => {
  it.each([
    ['endToEnd.p99 < 50ms', 'endToEnd.p99', '<', 50, 'latency'],
    ['messages.lost == 0', 'messages.lost', '==', 0, 'count'],
    ['throughput.receivedPerSec >= 1000', 'throughput.receivedPerSec', '>=', 1000, 'rate'],
    ['throughput.sentPerSec > 1000/s', 'throughput.sentPerSec', '>', 1000, 'rate'],
    ['connections.failed <= 5', 'connections.failed', '<=', 5, 'count'],
    ['publishAck.p999 < 0.5s', 'publishAck.p999', '<', 500, 'latency'],
    ['messages.duplicated == 0', 'messages.duplicated', '==', 0, 'count'],
    ['connect.max != 0', 'connect.max', '!=', 0, 'latency'],
    ['  endToEndUncorrected.p50<250us ', 'endToEndUncorrected.p50', '<', 0.25, 'latency'],
    ['reconnect.mean < 2 s', 'reconnect.mean', '<', 2000, 'latency'],
    ['endToEnd.p90 < 12.5', 'endToEnd.p90', '<', 12.5, 'latency'],
    ['endToEnd.min >= 100µs', 'endToEnd.min', '>=', 0.1, 'latency'],
  ] as const)('%s', (text, metric, op, value, kind) => {
    const t = ok(text);
    expect(t).toMatchObject({ metric, op, kind, expression: text.trim() });
    expect(t.value).toBeCloseTo(value, 9);
  });

  it('knows every latency stat of every histogram and the counters', () => {
    expect(METRIC_PATHS).toContain('reconnect.p999');
    expect(METRIC_PATHS).toContain('connections.subscribeFailed');
    expect(METRIC_PATHS).toContain('messages.outOfOrder');
    expect(METRIC_PATHS).toContain('messages.notOffered');
    expect(METRIC_PATHS).toEqual(expect.arrayContaining(['messages.planned', 'messages.unsent', 'messages.unconfirmed', 'messages.accepted', 'unsentWait.max']));
    expect(METRIC_PATHS).toContain('messages.unverifiable');
    expect(METRIC_PATHS).not.toContain('connections.errors');
    expect(METRIC_PATHS).toHaveLength(HISTOGRAM_KEYS.length * 7 + 13 + 8 + 4 + 7 + 2); // + 8: the publish accounting's; + 4: the receive-side ledger's
  });

  it('suggests the metric that was meant', () => {
    expect(bad('endToEnd.99 < 5ms')).toEqual({ ok: false, message: 'unknown metric "endToEnd.99"', hint: 'did you mean "endToEnd.p99"?' });
    expect(bad('endToEnd.p99x < 5ms').hint).toBe('did you mean "endToEnd.p99"?');
    expect(bad('endtoend.p99 < 5ms').hint).toBe('did you mean "endToEnd.p99"?');
    expect(bad('messages.lots == 0').hint).toBe('did you mean "messages.lost"?');
    expect(bad('endToEnd.p99.9 < 5ms').hint).toBe('did you mean "endToEnd.p999"?');
    expect(bad('throughput.received > 10').hint).toBe('did you mean "throughput.receivedPerSec"?');
    expect(bad('publishAck.median < 1ms').hint).toBe('did you mean "publishAck.p50"?');
    expect(bad('connect.avg < 1ms').hint).toBe('did you mean "connect.mean"?');
    expect(bad('publishAck.slowest < 1ms').hint).toBe('publishAck has: min, mean, p50, p90, p99, p999, max');
    expect(bad('latency.p99 < 5ms').hint).toMatch(/^metrics are <connect\|publishAck\|endToEnd/);
  });

  it('explains a bad operator', () => {
    expect(bad('messages.lost = 0')).toEqual({ ok: false, message: '"=" is not a comparison', hint: 'did you mean "=="?' });
    expect(bad('messages.lost => 0').hint).toBe('did you mean ">="?');
    expect(bad('messages.lost <> 0').hint).toBe('did you mean "!="?');
    expect(bad('messages.lost 0').message).toBe('expected a comparison (<, <=, >, >=, == or !=) after "messages.lost", got "0"');
    expect(bad('messages.lost').message).toMatch(/got the end$/);
  });

  it('refuses a missing, negative or non-numeric value', () => {
    expect(bad('messages.lost ==').message).toBe('expected a number after "==", got the end');
    expect(bad('messages.lost > -1').hint).toBe('a threshold value cannot be negative');
    expect(bad('endToEnd.p99 < fast').message).toBe('expected a number after "<", got "fast"');
  });

  it('checks units against the kind of metric', () => {
    expect(bad('endToEnd.p99 < 5m')).toEqual({ ok: false, message: 'unknown latency unit "m"', hint: 'use us, ms or s; a plain number is ms' });
    expect(bad('endToEnd.p99 < 5/s').message).toMatch(/^unexpected "\/"/);
    expect(bad('messages.lost == 0ms').message).toBe('messages.lost is a count: write a plain number without a unit');
    expect(bad('connections.failed < 5/s').message).toMatch(/is a count/);
    expect(bad('throughput.sentPerSec > 10ms').message).toBe('throughput.sentPerSec is a rate per second: "ms" is not its unit');
    expect(bad('throughput.sentPerSec > 10/m').message).toBe('throughput.sentPerSec is a rate per second: write /s after the number');
  });

  it('refuses anything after the comparison, and empty text', () => {
    expect(bad('messages.lost == 0 && messages.duplicated == 0').message).toBe('unexpected "&" at column 20');
    expect(bad('messages.lost == 0; process.exit()').message).toBe('unexpected ";" at column 19');
    expect(bad('   ').message).toBe('the threshold is empty');
    expect(bad('< 5').message).toBe('a threshold starts with a metric name, got "<"');
    expect(bad('(messages.lost) == 0').message).toBe('a threshold starts with a metric name, got "("');
  });
});

describe('checkThresholds', () => {
  const results = makeResults({ messages: { sent: 60_000, expected: 60_000, received: 59_997, lost: 3, duplicated: 0 } });

  it('compares each expression with the summary, in the metric unit', () => {
    expect(checkThresholds(results, [
      'endToEnd.p99 < 50ms', // 1.2449 ms
      'endToEnd.p99 < 1ms',
      'endToEnd.p99 < 1300us',
      'publishAck.max <= 0.02s', // 23.45 ms
      'messages.lost == 0',
      'messages.duplicated == 0',
      'throughput.receivedPerSec >= 1000/s',
      'connections.failed <= 5',
      'connections.succeeded != 1001',
    ])).toEqual([
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
    expect(checkThresholds(results, ['reconnect.p99 < 1s'])).toEqual([
      { expression: 'reconnect.p99 < 1s', actual: 0, ok: false, note: 'no samples' },
    ]);
  });

  it('fails a count threshold with no data behind it ("no data") rather than passing it on zeros', () => {
    const nothingExpected = makeResults({ messages: { sent: 500, acked: 0, expected: 0, received: 0, lost: 0, duplicated: 0 } });
    expect(checkThresholds(nothingExpected, ['messages.lost == 0', 'messages.duplicated == 0', 'throughput.receivedPerSec >= 0/s', 'messages.publishErrors == 0'])).toEqual([
      { expression: 'messages.lost == 0', actual: 0, ok: false, note: 'no data: nothing was expected to arrive (nothing sent, or no subscription in place)' },
      { expression: 'messages.duplicated == 0', actual: 0, ok: false, note: 'no data: nothing was expected to arrive (nothing sent, or no subscription in place)' },
      { expression: 'throughput.receivedPerSec >= 0/s', actual: 1999.6, ok: false, note: 'no data: nothing was expected to arrive (nothing sent, or no subscription in place)' },
      { expression: 'messages.publishErrors == 0', actual: 0, ok: true }, // 500 publishes were due
    ]);
    // A broker that refused every connection (failed TLS, crashed broker): no message metric has data.
    const noConnection = makeResults({ connections: { attempted: 10, succeeded: 0, failed: 10 }, messages: { sent: 0, expected: 0, received: 0, lost: 0 } });
    expect(checkThresholds(noConnection, ['messages.lost == 0', 'messages.publishErrors == 0', 'connections.failed <= 10'])).toEqual([
      { expression: 'messages.lost == 0', actual: 0, ok: false, note: 'no data: no connection succeeded' },
      { expression: 'messages.publishErrors == 0', actual: 0, ok: false, note: 'no data: no connection succeeded' },
      { expression: 'connections.failed <= 10', actual: 10, ok: true },
    ]);
    const noPublisher = makeResults({ messages: { sent: 0, missedSends: 0, publishErrors: 0, expected: 0, received: 0 } });
    expect(checkThresholds(noPublisher, ['messages.sent == 0'])[0]).toMatchObject({ ok: false, note: 'no data: no publish was due' });
    // Received something although nothing was expected (e.g. only "unexpected" deliveries): duplicates can be judged, loss cannot.
    const someReceived = makeResults({ messages: { sent: 5, expected: 0, received: 5, duplicated: 0, lost: 0 } });
    expect(checkThresholds(someReceived, ['messages.duplicated == 0', 'messages.lost == 0']).map((t) => t.ok)).toEqual([true, false]);
  });

  it('reads a counter an older results file lacks as 0', () => {
    const old = makeResults();
    delete (old.summary.messages as Partial<typeof old.summary.messages>).missedSends;
    expect(checkThresholds(old, ['messages.missedSends == 0'])[0].ok).toBe(true);
  });

  it('throws on an expression that was not validated', () => {
    expect(() => checkThresholds(results, ['nope'])).toThrow(/invalid threshold "nope"/);
  });
});
