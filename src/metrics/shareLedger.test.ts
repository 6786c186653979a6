import { describe, expect, it } from 'vitest';
import type { SeqLayout } from './seqBitmap.js';
import { allocateShareRecords, ShareLedger, shareGroups } from './shareLedger.js';

const layout: SeqLayout = { clientBase: [0], counts: [1], base: [0], perClient: [64], bits: 64 };
const sub = (client: number, filter: string) => ({ client, slot: client, filter, qos: 1 as const });

describe('share groups', () => {
  it('are keyed by share name and filter (as brokers share subscriptions), counting distinct members', () => {
    const g = shareGroups([sub(0, '$share/a/t/#'), sub(1, '$share/a/t/#'), sub(1, '$share/a/t/x'), sub(2, 't/#'), sub(3, '$share/b/t/#')]);
    expect([...g]).toEqual([
      ['$share/a/t/#', 2],
      ['$share/a/t/x', 1],
      ['$share/b/t/#', 1],
    ]);
  });

  it('get a shared record only with several members, within the byte budget and a layout; the rest are unverifiable', () => {
    const groups = new Map([
      ['$share/a/x', 3],
      ['$share/b/x', 1],
      ['$share/c/x', 2],
      ['$share/d/x', 2],
    ]);
    const b = allocateShareRecords(groups, layout, false, 16); // room for two 8-byte bitmaps
    expect(b.recorded.map((r) => r.key)).toEqual(['$share/a/x', '$share/c/x']);
    expect(b.unrecorded).toEqual(['$share/d/x']);
    const ledger = new ShareLedger(b, layout);
    expect(ledger.target('$share/a/x', 0).record).not.toBeNull();
    expect(ledger.target('$share/b/x', 2)).toEqual({ record: null, local: 2 }); // its only member checks it itself
    expect(ledger.target('$share/d/x', 0)).toEqual({ record: null, local: -1 });
    expect(allocateShareRecords(groups, { ...layout, bits: 0 }).unrecorded).toEqual(['$share/a/x', '$share/c/x', '$share/d/x']);
  });
});
