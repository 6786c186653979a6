import { describe, expect, it } from 'vitest';
import { SeqBitmap, type SeqLayout } from './seqBitmap.js';

// Two groups: group 0 (clients 0..2) publishes 4 seqs each, group 1 (clients 3..4) never publishes,
// group 2 (clients 5..6) publishes 2 seqs each.
const layout: SeqLayout = { clientBase: [0, 3, 5], counts: [3, 2, 2], base: [0, 12, 12], perClient: [4, 0, 2], bits: 16 };

describe('SeqBitmap', () => {
  it('gives every covered (publisher, seq) its own bit and nothing else a bit', () => {
    const b = new SeqBitmap(layout);
    const bits = new Set<number>();
    for (let p = 0; p < 8; p++)
      for (let s = -1; s < 6; s++) {
        const bit = b.bitOf(p, s);
        if (bit >= 0) bits.add(bit);
        const covered = s >= 0 && ((p < 3 && s < 4) || (p >= 5 && p < 7 && s < 2));
        expect(bit >= 0, `p${p} s${s}`).toBe(covered);
      }
    expect([...bits].sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, k) => k));
  });

  it('testAndSet reports the first set as new and every later one as seen, per message', () => {
    const b = new SeqBitmap(layout);
    expect(b.testAndSet(1, 3)).toBe(false);
    expect(b.testAndSet(1, 3)).toBe(true);
    expect(b.has(1, 3)).toBe(true);
    expect(b.has(1, 2)).toBe(false);
    expect(b.has(2, 3)).toBe(false);
    expect(b.testAndSet(6, 1)).toBe(false);
    expect(b.testAndSet(6, 2)).toBeNull();
    expect(b.has(4, 0)).toBeNull();
  });

  it('shares its bits with another view of the same buffer (as another thread sees them)', () => {
    const a = new SeqBitmap(layout);
    const other = new SeqBitmap(layout, a.buffer);
    a.testAndSet(5, 0);
    expect(other.has(5, 0)).toBe(true);
    expect(other.testAndSet(5, 0)).toBe(true);
  });
});
