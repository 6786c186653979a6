import { describe, expect, it } from 'vitest';
import { HISTOGRAM_KEYS } from '../metrics/histogramKeys.js';
import { METRIC_PATHS } from './metrics.js';
import { parseThreshold, thresholdUnit, type ParsedThreshold } from './parse.js';
import { tokenize } from './tokens.js';

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
    expect(METRIC_PATHS).toEqual(
      expect.arrayContaining(['messages.planned', 'messages.unsent', 'messages.unconfirmed', 'messages.accepted', 'unsentWait.max']),
    );
    expect(METRIC_PATHS).toContain('messages.unverifiable');
    expect(METRIC_PATHS).not.toContain('connections.errors');
    expect(METRIC_PATHS).toContain('messages.otherRuns');
    expect(METRIC_PATHS).toContain('messages.lostAtTail');
    expect(METRIC_PATHS).not.toContain('messages.tailFromSec');
    expect(METRIC_PATHS).toHaveLength(HISTOGRAM_KEYS.length * 7 + 13 + 8 + 4 + 7 + 2 + 2 + 1 + 1); // + 8: the publish accounting's; + 4: the receive-side ledger's; + 2: session recovery at reconnect; + 1: other runs' messages (sub); + 1: lostAtTail
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

describe('thresholdUnit', () => {
  it('is the unit of the metric an expression names, or "" when it does not parse', () => {
    expect(['endToEnd.p99 < 5s', 'throughput.sentPerSec > 1', 'messages.lost == 0', 'nope'].map(thresholdUnit)).toEqual(['ms', '/s', '', '']);
  });
});
