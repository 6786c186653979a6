/**
 * Late or lost: a missing delivery counts as proven only behind a later arrival of its stream; the rest is
 * `lostAtTail` (maybe still queued when the drain ended).
 */
import { describe, expect, it } from 'vitest';
import { ChunkSlab } from './seqSet.js';
import { ArrivalLedger } from './streams.js';
import { lostAtTail, tailFromSec, withTail } from './tail.js';

/** Interval rows: row t holds the loss of messages intended in second t − 1. */
const rows = (lostByIntendedSecond: number[]) => lostByIntendedSecond.map((lost, s) => ({ t: s + 1, lost }));

describe('lostAtTail', () => {
  it('counts the missing deliveries of messages intended from the horizon second on; earlier ones are proven', () => {
    // 2 lost in second 0, 1 in second 1, 5 in second 2, 9 in second 3; horizon in second 2.
    expect(lostAtTail(17, rows([2, 1, 5, 9]), 2)).toBe(14);
    expect(lostAtTail(17, rows([2, 1, 5, 9]), 0)).toBe(17); // a subscriber received nothing: nothing proven
    expect(lostAtTail(17, rows([2, 1, 5, 9]), 4)).toBe(0); // every stream got past the last lost message
  });

  it('never proves more than the total: what the rows do not attribute stays at the tail', () => {
    expect(lostAtTail(3, rows([2, 4, 0]), 3)).toBe(0); // per-second figures above the total are capped
    expect(lostAtTail(10, rows([2, 1]), 2)).toBe(7); // 7 lost deliveries not in any row: not proven
    expect(lostAtTail(0, rows([0, 0]), 1)).toBe(0);
  });

  it('tailFromSec: whole seconds since publishing start, never negative', () => {
    expect(tailFromSec(10_000 + 2_999, 10_000)).toBe(2);
    expect(tailFromSec(10_000 + 3_000, 10_000)).toBe(3);
    expect(tailFromSec(0, 10_000)).toBe(0); // "received nothing" (horizon 0)
  });

  it('withTail adds both fields and qualifies a QoS verdict that calls the loss broken, or does nothing without receivers', () => {
    const broken = 'QoS 1: 5 lost, no duplicates — at-least-once broken';
    const allowed = 'QoS 0: 2 lost (allowed), 1 duplicate — at-most-once broken'; // broken by the duplicate, not the loss
    const d = (lost: number, verdict: string) => ({ expected: 10, received: 10 - lost, lost, duplicated: 0, outOfOrder: 0, ok: false, verdict });
    const summary = { messages: { lost: 7 }, byQos: { '0': d(2, allowed), '1': d(5, broken) }, verdicts: ['Publishing: …', allowed, broken] };
    const split = withTail(summary as never, rows([3, 4]), 1) as unknown as typeof summary & { messages: { lostAtTail: number; tailFromSec: number } };
    expect(split.messages).toEqual({ lost: 7, lostAtTail: 4, tailFromSec: 1 });
    const note = `${broken} (4 of all 7 lost may have been still queued when the drain ended)`;
    expect(split.byQos['1'].verdict).toBe(note);
    expect(split.byQos['0'].verdict).toBe(allowed); // QoS 0 may lose: its loss needs no qualifying
    expect(split.verdicts).toEqual(['Publishing: …', allowed, note]);
    const allLate = withTail(summary as never, rows([3, 4]), 0) as unknown as typeof summary;
    expect(allLate.byQos['1'].verdict).toMatch(/broken \(or late: none of the lost was missing behind a later delivery of its publisher; all may/);
    expect(withTail(summary as never, rows([7]), 5)).toMatchObject({ verdicts: summary.verdicts }); // all proven: words unchanged
    expect(withTail(summary as never, rows([3, 4]), undefined)).toBe(summary);
  });
});

describe('a stream horizon (ArrivalLedger)', () => {
  const deliver = (l: ArrivalLedger, publisher: number, seq: number, intendedMs: number) => {
    const a = l.arrive(publisher, seq, 1, true, true, [], 0);
    if (a === 'new') l.noteNewest(intendedMs);
    return a;
  };

  it('is the oldest of the streams\u2019 newest intended times; an out-of-order arrival does not move it', () => {
    const l = new ArrivalLedger(new ChunkSlab());
    expect(l.horizon()).toBe(Infinity);
    deliver(l, 1, 0, 1000);
    deliver(l, 1, 5, 1500);
    deliver(l, 2, 0, 1100);
    deliver(l, 2, 1, 1200);
    expect(l.horizon()).toBe(1200); // publisher 2's stream got least far
    expect(deliver(l, 2, 9, 1900)).toBe('new');
    expect(l.horizon()).toBe(1500);
    expect(deliver(l, 1, 3, 1300)).toBe('outOfOrder'); // a late one behind seq 5: the horizon stays
    expect(deliver(l, 1, 5, 1500)).toBe('duplicate');
    expect(l.horizon()).toBe(1500);
  });
});
