/**
 * Honest words when nothing could be checked: "no subscription matched" only when it is true, and loss while
 * connections closed is not presented as plain broker loss.
 */
import { describe, expect, it } from 'vitest';
import type { Results } from '../metrics/resultsFile.js';
import { makeResults, type ResultsOverrides } from './fixture.test-helper.js';
import { renderSummary, windowNote } from './table.js';
import { deliveryVerdict } from './verdict.js';
import { runWarnings } from './warnings.js';

const pubSub = [
  { name: 'pub', publish: { topic: 't/{i}' }, subscribe: [] },
  { name: 'sub', subscribe: [{ topic: 't/#' }] },
];

function results(o: ResultsOverrides, groups: unknown[] = pubSub): Results {
  const r = makeResults(o);
  return { ...r, scenario: { ...r.scenario, groups } };
}

const nothing = { sent: 0, acked: 0, expected: 0, received: 0 };
const verdict = (r: Results) => deliveryVerdict(r.summary.messages, r);

describe('why nothing was expected', () => {
  it('no subscription matched: messages were sent, subscribers were there, none matched', () => {
    expect(verdict(results({ messages: { expected: 0, received: 0 } }))).toBe(
      'Delivery: no deliveries were expected (no subscription matched), nothing to check',
    );
  });

  it('an authentication failure: no connection succeeded, the reason named', () => {
    const r = results({
      status: 'failed',
      statusReason: 'no connection succeeded',
      messages: nothing,
      connections: { attempted: 11, succeeded: 0, failed: 11, errors: { 'CONNACK refused: Not authorized': 11 } },
    });
    expect(verdict(r)).toBe('Delivery: nothing was checked: no connection succeeded: CONNACK refused: Not authorized ×11');
  });

  it('a publisher that never connected while the subscribers did', () => {
    const r = results({
      messages: { ...nothing, publishErrors: 40 },
      connections: { attempted: 11, succeeded: 1, failed: 10, errors: { 'timeout: no CONNACK': 10 } },
    });
    expect(verdict(r)).toBe('Delivery: nothing was checked: no message was sent (10 of 11 connections failed: timeout: no CONNACK ×10)');
  });

  it('Ctrl-C during connect', () => {
    const r = results({
      status: 'partial',
      statusReason: 'interrupted by the user',
      messages: nothing,
      connections: { attempted: 11, succeeded: 5, failed: 0 },
    });
    expect(verdict(r)).toBe('Delivery: nothing was checked: the run was interrupted before any message was sent');
  });

  it('an overload where no message due in the window was sent', () => {
    const r = results({ messages: { ...nothing, missedSends: 5_936_000 } });
    expect(verdict(r)).toBe(
      'Delivery: nothing was checked: none of the messages due in the measured window was sent (5,936,000 missed: the generator fell behind)',
    );
  });

  it('a scenario without publishers (idle connections), or without subscribers', () => {
    expect(verdict(results({ messages: nothing }, [{ name: 'devices', subscribe: [] }]))).toBe('Delivery: nothing to check: no group publishes');
    expect(verdict(results({ messages: { expected: 0, received: 0 } }, [{ name: 'pub', publish: { topic: 't' }, subscribe: [] }]))).toBe(
      'Delivery: nothing to check: no group subscribes',
    );
  });

  it('subscriptions the broker refused', () => {
    expect(verdict(results({ messages: { expected: 0, received: 0 }, connections: { subscribeFailed: 3 } }))).toBe(
      'Delivery: nothing was checked: the broker refused 3 subscriptions',
    );
  });

  it('"no subscription matched" appears in none of the other cases', () => {
    const others = [
      results({ status: 'failed', messages: nothing, connections: { succeeded: 0, failed: 1001 } }),
      results({ messages: { ...nothing, publishErrors: 1 }, connections: { failed: 1 } }),
      results({ status: 'partial', statusReason: 'interrupted by the user', messages: nothing }),
      results({ messages: { ...nothing, missedSends: 1 } }),
    ];
    for (const r of others) expect(renderSummary(r)).not.toContain('no subscription matched');
  });
});

describe('counts and rates from different windows are explained', () => {
  it('no note when they agree', () => {
    expect(windowNote(makeResults())).toBe('');
  });

  it('"sent 0" beside a send rate gets a note with the counts behind the rates', () => {
    const r = makeResults({ messages: { ...nothing, missedSends: 5_936_000 } });
    const overloaded = { ...r, summary: { ...r.summary, throughput: { sentPerSec: 186_289, receivedPerSec: 0 } } };
    expect(windowNote(overloaded)).toBe(
      'Counts are of messages due in the measured window (30.0 s); the rates are of what was actually sent (5,588,670) and received (0) during it, whenever it was due.',
    );
    expect(renderSummary(overloaded)).toContain('\nCounts are of messages due in the measured window');
  });
});

describe('connections the broker closed', () => {
  const closed = (lost: number, reconnected: number, errors: Record<string, number>, messages: ResultsOverrides['messages'] = {}) =>
    results({ connections: { lost, reconnected, errors }, messages });

  it('a warning names the broker and its reasons, and whether they came back', () => {
    const r = closed(3, 3, { 'lost: broker sent DISCONNECT: Topic Name invalid': 3 });
    expect(runWarnings(r)).toContain(
      'the broker closed 3 connections during the run: broker sent DISCONNECT: Topic Name invalid ×3; all came back. Deliveries missing around those closes may be messages the broker never accepted, not messages it lost',
    );
    const p = closed(2, 1, { 'lost: closed by the broker right after a PUBLISH': 2 });
    expect(runWarnings(p).join('\n')).toContain(
      'the broker closed 2 connections during the run: closed by the broker right after a PUBLISH ×2; 1 did not come back.',
    );
  });

  it('losses with other reasons are named as lost, not as closed by the broker', () => {
    expect(runWarnings(closed(2, 2, { 'lost: closed by the broker or network': 2 }))[0]).toMatch(
      /^2 connections were lost during the run: closed by the broker or network ×2;/,
    );
    const r = closed(31, 31, { 'lost: ECONNRESET': 31 });
    expect(runWarnings(r)).toContain(
      '31 connections were lost during the run: ECONNRESET ×31; all came back. Deliveries missing around those closes may be messages the broker never accepted, not messages it lost',
    );
  });

  it('loss beside closed connections is not presented as plain broker loss', () => {
    const r = closed(3, 3, { 'lost: broker sent DISCONNECT: Topic Name invalid': 3 }, { lost: 12, received: 59_988 });
    expect(verdict(r)).toBe(
      'Delivery: 12 of 60,000 expected messages lost (0.02%), no duplicates — the broker closed 3 connections during the run, so part of this may be messages the broker never accepted (see the warning)',
    );
    expect(verdict(results({ messages: { lost: 12, received: 59_988 } }))).toBe('Delivery: 12 of 60,000 expected messages lost (0.02%), no duplicates');
  });
});

describe('late or lost: the verdict names the part of `lost` that may have been still queued when the drain ended', () => {
  const lossy = (messages: ResultsOverrides['messages'], drainMs?: number) => {
    const r = results({ messages: { expected: 60_000, received: 60_000 - (messages?.lost ?? 0), duplicated: 0, ...messages } });
    return { ...r, scenario: { ...r.scenario, ...(drainMs !== undefined ? { drainMs } : {}) } };
  };

  it('some at the tail: both counts, the drain and what to do', () => {
    expect(verdict(lossy({ lost: 12, lostAtTail: 9 }, 3000))).toBe(
      'Delivery: 12 of 60,000 expected messages lost (0.02%; 9 of them not behind a later delivery: they may have been still queued when the 3 s drain ended (raise `drain` to tell late from lost)), no duplicates',
    );
  });

  it('all at the tail, none at the tail, and files without the split', () => {
    expect(verdict(lossy({ lost: 12, lostAtTail: 12 }, 500))).toMatch(
      /lost \(0\.02%; none missing behind a later delivery: all may have been still queued when the 0\.5 s drain ended/,
    );
    expect(verdict(lossy({ lost: 1, lostAtTail: 1 }))).toMatch(
      /lost \(0\.002%; none missing behind a later delivery: it may have been still queued when the drain ended/,
    );
    expect(verdict(lossy({ lost: 12, lostAtTail: 0 }, 3000))).toBe(
      'Delivery: 12 of 60,000 expected messages lost (0.02%; every one missing behind a later delivery of its publisher), no duplicates',
    );
    expect(verdict(lossy({ lost: 12 }, 3000))).toBe('Delivery: 12 of 60,000 expected messages lost (0.02%), no duplicates');
  });

  it('the summary table shows the tail next to lost', () => {
    const table = renderSummary(lossy({ lost: 12, lostAtTail: 9 }, 3000), { color: false });
    expect(table).toMatch(/lost\s*│\s*12 \(0\.02%; 9 at the tail\)/);
  });
});
