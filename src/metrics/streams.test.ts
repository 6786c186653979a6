import { describe, expect, it } from 'vitest';
import { SeqBitmap, type SeqLayout } from './seqBitmap.js';
import { ChunkSlab } from './seqSet.js';
import { ArrivalLedger, type Arrival, type ShareTarget } from './streams.js';

const NO_SHARES: ShareTarget[] = [];
/** A client with one plain subscription: the common case. */
const one = (l: ArrivalLedger, publisher: number, seq: number): Arrival => l.arrive(publisher, seq, 1, true, true, NO_SHARES, 0);

describe('ArrivalLedger: one stream per publisher, exact over the whole run', () => {
  it.each<[string, [number, number][], Arrival[]]>([
    [
      'new, duplicate, out of order',
      [
        [0, 0],
        [0, 2],
        [0, 2],
        [0, 1],
        [0, 1],
        [0, 3],
      ],
      ['new', 'new', 'duplicate', 'outOfOrder', 'duplicate', 'new'],
    ],
    [
      'streams are apart: the same seq from two publishers is two messages',
      [
        [0, 5],
        [1, 5],
        [1, 5],
        [0, 5],
      ],
      ['new', 'new', 'duplicate', 'duplicate'],
    ],
    [
      'a duplicate of the very first message after 300 chunks',
      [[7, 0], ...Array.from({ length: 300 * 256 }, (_, i): [number, number] => [7, i + 1]), [7, 0]],
      ['new', ...Array<Arrival>(300 * 256).fill('new'), 'duplicate'],
    ],
  ])('%s', (_name, arrivals, want) => {
    const l = new ArrivalLedger(new ChunkSlab());
    expect(arrivals.map(([p, s]) => one(l, p, s))).toEqual(want);
  });

  it('> 20,000 messages: an old duplicate is a duplicate, and a lost one that arrives late is new (out of order)', () => {
    const l = new ArrivalLedger(new ChunkSlab());
    let fresh = 0;
    for (let s = 0; s < 25_000; s++) if (s !== 1234 && one(l, 3, s) === 'new') fresh++;
    expect(fresh).toBe(24_999);
    expect(one(l, 3, 17)).toBe('duplicate'); // 24,983 messages older
    expect(one(l, 3, 1234)).toBe('outOfOrder');
    expect(one(l, 3, 1234)).toBe('duplicate');
    expect(one(l, 3, 25_000)).toBe('new');
  });
});

describe('ArrivalLedger: overlapping subscriptions (MQTT allows one copy per matching subscription)', () => {
  // A client with a QoS 1 and a QoS 0 filter matching the topic: publishers counted one delivery at QoS 1.
  const cases: [string, boolean[], Arrival[]][] = [
    ['owed copy first, then the QoS 0 copy', [true, false], ['new', 'extra']],
    ['QoS 0 copy first, then the owed one', [false, true], ['extra', 'new']],
    ['a third copy is a duplicate', [true, false, true], ['new', 'extra', 'duplicate']],
    ['only the QoS 0 copy arrives: the owed one is missing (never "new")', [false], ['extra']],
    ['two copies at the owed QoS (two filters of that QoS): one new, one extra', [true, true, true], ['new', 'extra', 'duplicate']],
  ];
  it.each(cases)('%s', (_name, tops, want) => {
    const l = new ArrivalLedger(new ChunkSlab());
    expect(tops.map((top) => l.arrive(0, 9, 2, true, top, NO_SHARES, 0))).toEqual(want);
  });
});

// Publisher 0 (group 0, 2 clients) publishes seqs 0..29 999; nothing else is covered.
const layout: SeqLayout = { clientBase: [0], counts: [2], base: [0], perClient: [30_000], bits: 60_000 };

describe('ArrivalLedger: $share groups', () => {
  it('two members in two "threads" (two views of one shared buffer): a message the group got twice is one duplicate', () => {
    const a = new SeqBitmap(layout);
    const b = new SeqBitmap(layout, a.buffer); // what another worker thread sees
    const memberA = new ArrivalLedger(new ChunkSlab());
    const memberB = new ArrivalLedger(new ChunkSlab());
    const viaA: ShareTarget[] = [{ record: a, local: -1 }];
    const viaB: ShareTarget[] = [{ record: b, local: -1 }];
    expect(memberA.arrive(0, 1, 0, true, true, viaA, 1)).toBe('new');
    expect(memberB.arrive(0, 2, 0, true, true, viaB, 1)).toBe('new');
    expect(memberB.arrive(0, 1, 0, true, true, viaB, 1)).toBe('duplicate'); // the group already had it through A
    expect(memberA.arrive(0, 1, 0, true, true, viaA, 1)).toBe('duplicate');
    // > 20,000 messages later, an old one delivered again to the group is still a duplicate.
    for (let s = 3; s < 25_000; s++) (s % 2 ? memberA : memberB).arrive(0, s, 0, true, true, s % 2 ? viaA : viaB, 1);
    expect(memberB.arrive(0, 3, 0, true, true, viaB, 1)).toBe('duplicate');
  });

  it('a client with its own subscription and a $share one matching the topic: one copy each, a third is a duplicate', () => {
    const rec = new SeqBitmap(layout);
    const l = new ArrivalLedger(new ChunkSlab());
    const shares: ShareTarget[] = [{ record: rec, local: -1 }];
    expect([l.arrive(0, 5, 1, true, true, shares, 1), l.arrive(0, 5, 1, true, true, shares, 1), l.arrive(0, 5, 1, true, true, shares, 1)]).toEqual([
      'new',
      'new',
      'duplicate',
    ]);
  });

  it('a group with this client as its only member is checked in its own stream', () => {
    const l = new ArrivalLedger(new ChunkSlab());
    const local: ShareTarget[] = [{ record: null, local: 0 }];
    expect([l.arrive(0, 5, 0, true, true, local, 1), l.arrive(0, 6, 0, true, true, local, 1), l.arrive(0, 5, 0, true, true, local, 1)]).toEqual([
      'new',
      'new',
      'duplicate',
    ]);
  });

  it('a group without a record, or a message its record does not cover, is unverifiable (never new)', () => {
    const l = new ArrivalLedger(new ChunkSlab());
    expect(l.arrive(0, 5, 0, true, true, [{ record: null, local: -1 }], 1)).toBe('unverifiable');
    expect(l.arrive(0, 30_000, 0, true, true, [{ record: new SeqBitmap(layout), local: -1 }], 1)).toBe('unverifiable');
  });
});

describe('ArrivalLedger: memory bound', () => {
  it('when the bound is hit, arrivals are unverifiable: a duplicate is never counted new', () => {
    const slab = new ChunkSlab(2048);
    const l = new ArrivalLedger(slab);
    const seen = new Set<number>();
    const tally: Record<Arrival, number> = { new: 0, outOfOrder: 0, duplicate: 0, extra: 0, unverifiable: 0 };
    for (let round = 0; round < 2; round++) {
      for (let s = 0; s < 50_000; s += 3) {
        if (s % 150 === 0) continue; // lost messages: chunks never fill up
        const a = one(l, 1, s);
        tally[a]++;
        if (a === 'new' || a === 'outOfOrder') {
          expect(seen.has(s)).toBe(false);
          seen.add(s);
        }
      }
    }
    expect(slab.exhausted).toBe(true);
    expect(tally.unverifiable).toBeGreaterThan(0);
    expect(tally.new + tally.outOfOrder).toBe(seen.size);
    expect(tally.new + tally.duplicate + tally.unverifiable).toBe(2 * (Math.ceil(50_000 / 3) - Math.ceil(50_000 / 150)));
  });
});
