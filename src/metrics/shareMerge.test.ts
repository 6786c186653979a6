import { describe, expect, it } from 'vitest';
import type { SeqLayout } from './seqBitmap.js';
import { allocateShareRecords, ShareLedger } from './shareLedger.js';
import { crossSegmentShares, dumpShareLedger } from './shareMerge.js';

// Two publishers (clients 0, 1) of 40,000 messages each.
const layout: SeqLayout = { clientBase: [0], counts: [2], base: [0], perClient: [40_000], bits: 80_000 };
const groups = new Map([
  ['$share/g/t/#', 4],
  ['$share/h/t/#', 2],
]);

/** One segment's process: its threads mark the groups' first deliveries of measured messages (class q). */
function segment(marks: [string, number, number, number][]) {
  const buffers = allocateShareRecords(groups, layout, true);
  const ledger = new ShareLedger(buffers, layout);
  for (const [key, publisher, seq, q] of marks) {
    const rec = ledger.records.get(key)!;
    expect(rec.testAndSet(publisher, seq)).toBe(false);
    rec.measured(publisher, seq, q);
  }
  return dumpShareLedger(buffers, layout);
}

describe('$share groups across segments', () => {
  it('a message a group received in n segments counts n − 1 duplicates, in the class it arrived with there', () => {
    const a = segment([
      ['$share/g/t/#', 0, 0, 1],
      ['$share/g/t/#', 0, 39_999, 1],
      ['$share/g/t/#', 1, 7, 0],
      ['$share/h/t/#', 0, 5, 2],
    ]);
    const b = segment([
      ['$share/g/t/#', 0, 0, 1],
      ['$share/g/t/#', 1, 8, 0],
      ['$share/h/t/#', 0, 5, 2],
      ['$share/g/t/#', 0, 5, 1],
    ]);
    const c = segment([
      ['$share/g/t/#', 0, 0, 0],
      ['$share/g/t/#', 0, 39_999, 1],
    ]);
    const found = crossSegmentShares([a, b, c], ['0/3', '1/3', '2/3']);
    // g: (0,0) in 3 segments → 2 (classes 1 and 0); (0,39 999) in 2 → 1 (class 1); h: (0,5) in 2 → 1 (class 2).
    // (0,5) in g only once, (1,7)/(1,8) once each: no duplicates.
    expect(found.byQos).toEqual([1, 2, 1]);
    expect(found.note).toMatch(/^\$share groups: 4 messages received by a group in more than one segment/);
    expect(a!.groups[0].classes.length).toBeLessThan(200); // 40,000 bytes of cells, nearly all zero
  });

  it('says what was not checked: a group without a record, records not written', () => {
    const a = segment([]);
    const found = crossSegmentShares(
      [
        { ...a!, unrecorded: ['$share/x/y'] },
        { groups: [], unrecorded: [], omitted: 'too large' },
      ],
      ['0/2', '1/2'],
    );
    expect(found.byQos).toEqual([0, 0, 0]);
    expect(found.note).toContain('NOT checked across segments: segment 0/2: no record for $share/x/y; segment 1/2: too large');
    expect(crossSegmentShares([undefined, undefined], ['0/2', '1/2'])).toEqual({ byQos: [0, 0, 0] });
  });
});
