import { describe, expect, it } from 'vitest';
import { ADDED, CHUNK_BITS, ChunkSlab, NO_MEMORY, PRESENT, SeqSet } from './seqSet.js';

/** A deterministic pseudo-random generator (tests must be repeatable). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Adds every sequence number to a SeqSet and to a plain Set (the independent truth); they must agree on each. */
function replay(seqs: number[], slab = new ChunkSlab()): { set: SeqSet; slab: ChunkSlab; truth: Set<number> } {
  const set = new SeqSet();
  const truth = new Set<number>();
  seqs.forEach((seq, i) => {
    const want = truth.has(seq) ? PRESENT : ADDED;
    truth.add(seq);
    const got = set.add(seq, slab);
    if (got !== want) throw new Error(`arrival ${i} (seq ${seq}): got ${got}, want ${want}`);
  });
  for (const seq of truth) expect(set.has(seq, slab)).toBe(true);
  return { set, slab, truth };
}

const range = (n: number, f: (i: number) => number = (i) => i) => Array.from({ length: n }, (_, i) => f(i));

describe('SeqSet: exact membership (checked against a plain Set)', () => {
  const r = rng(7);
  const shuffled = (xs: number[]) => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  const cases: [string, number[]][] = [
    ['in order', range(5000)],
    ['every chunk boundary twice', range(6 * CHUNK_BITS).flatMap((i) => (i % CHUNK_BITS < 2 || i % CHUNK_BITS > CHUNK_BITS - 3 ? [i, i] : [i]))],
    ['shuffled with repeats', shuffled([...range(3000), ...range(300, (i) => i * 7)])],
    ['stride 2000 from 17 (a {target} fan-out subscriber)', range(3000, (i) => 17 + 2000 * i)],
    ['stride 3 with gaps (lost messages) and late first arrivals', [...range(900, (i) => 3 * i).filter((s) => s % 5 !== 0), ...range(180, (i) => 15 * i)]],
    ['duplicate of a message 25,000 older', [...range(25_000), 3, 24_999, 0]],
    ['stride shrinks early: 10, 30, then 20 (gcd 10), then 15 (gcd 5)', [10, 30, 20, 15, 25, 10, 35, 5]],
    ['off-stride member after a long stride run (second set)', [...range(3000, (i) => 5 + 1000 * i), 6, 7, 6, 5, 2_999_005]],
    ['starts high then goes below the first chunk', [100_000, 100_001, 5, 4, 99_999, 5]],
    ['extremes of uint32', [2 ** 32 - 1, 0, 2 ** 32 - 2, 2 ** 32 - 1]],
  ];
  it.each(cases)('%s', (_name, seqs) => {
    replay(seqs);
  });

  it('random sequences of every shape agree with a plain Set', () => {
    for (let t = 0; t < 40; t++) {
      const n = 200 + Math.floor(r() * 3000);
      const stride = 1 + Math.floor(r() * 50);
      const seqs = range(n, () => Math.floor(r() * n) * stride + (r() < 0.05 ? Math.floor(r() * stride) : 0));
      replay(seqs);
    }
  });
});

describe('SeqSet: memory', () => {
  it('an in-order stream of 1,000,000 keeps about a reference per 256 messages, and its slab never grows after the start', () => {
    const slab = new ChunkSlab();
    const set = new SeqSet();
    for (let i = 0; i < 10_000; i++) set.add(i, slab);
    const early = slab.bytes;
    let added = 0;
    for (let i = 10_000; i < 1_000_000; i++) if (set.add(i, slab) === ADDED) added++;
    expect(added).toBe(990_000);
    // Full chunks are given back: only the references grow (8 bytes per 256 messages).
    expect(slab.bytes - early).toBeLessThanOrEqual((1_000_000 / CHUNK_BITS) * 8 + 8);
    expect(slab.bytes).toBeLessThan(1_000_000 / 8); // far below one bit per message
    expect(set.add(123_456, slab)).toBe(PRESENT);
  });

  it('a stride-2,000 subscriber (fan-out over 2,000 devices) costs bits per delivery, not per publisher message', () => {
    const slab = new ChunkSlab();
    const set = new SeqSet();
    for (let i = 0; i < 5000; i++) if (i % 97 !== 0) set.add(42 + 2000 * i, slab); // some lost
    expect(slab.bytes).toBeLessThan(4096); // 5,000 deliveries; a plain bitmap would take 1.25 MB
    expect(set.add(42 + 2000 * 3, slab)).toBe(PRESENT);
    expect(set.add(42 + 2000 * 97, slab)).toBe(ADDED); // a lost one arriving late
  });

  it('at the memory bound it answers NO_MEMORY, never ADDED for a member it holds, and says it was exhausted', () => {
    const slab = new ChunkSlab(2048);
    const set = new SeqSet();
    const held: number[] = [];
    let refused = 0;
    for (let i = 0; i < 20_000; i += 2) {
      const a = set.add(i, slab);
      if (a === ADDED) held.push(i);
      else if (a === NO_MEMORY) refused++;
      else throw new Error(`seq ${i} reported present`);
    }
    expect(refused).toBeGreaterThan(0);
    expect(slab.exhausted).toBe(true);
    expect(slab.bytes).toBeLessThanOrEqual(2048);
    for (const s of held) expect(set.add(s, slab)).toBe(PRESENT);
  });
});
