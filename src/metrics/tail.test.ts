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

  it('withTail adds both fields, or nothing when no client was a receiver', () => {
    const m = { lost: 5 };
    expect(withTail(m, rows([1, 4]), 1)).toEqual({ lost: 5, lostAtTail: 4, tailFromSec: 1 });
    expect(withTail(m, rows([1, 4]), undefined)).toBe(m);
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
