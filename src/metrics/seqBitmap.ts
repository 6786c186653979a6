/**
 * One bit per (publisher, sequence number) of a run, in shared memory: every worker thread of the
 * process (and the coordinator) sees the same bits, so "has any subscriber received message
 * (p, seq)?" or "has this `$share` group received it already?" is answered exactly across threads.
 *
 * The layout comes from the plan (see plan/seqSpace.ts): publisher p (a global client index) owns
 * `perClient[g]` bits starting at `base[g] + (p - clientBase[g]) * perClient[g]` for its group g. A
 * sequence number past its publisher's bound (or a publisher outside the layout) is not covered:
 * callers must then keep an exact record of their own, never guess.
 */
export interface SeqLayout {
  /** Global client index of each group's client 0 (as RunPlan.clientBase). */
  clientBase: number[];
  /** Client count of each group. */
  counts: number[];
  /** First bit of each group's client 0 (groups that never publish own no bits). */
  base: number[];
  /** Bits (sequence numbers) per client of each group; 0 for groups that never publish. */
  perClient: number[];
  /** Total bits of one bitmap. */
  bits: number;
}

export class SeqBitmap {
  private readonly words: Int32Array;

  constructor(
    readonly layout: SeqLayout,
    /** A buffer of at least `SeqBitmap.bytes(layout)` bytes; shared between threads, or a plain one in tests. */
    readonly buffer: SharedArrayBuffer | ArrayBuffer = new SharedArrayBuffer(SeqBitmap.bytes(layout)),
  ) {
    this.words = new Int32Array(buffer, 0, SeqBitmap.bytes(layout) / 4);
  }

  static bytes(layout: SeqLayout): number {
    return Math.max(4, Math.ceil(layout.bits / 32) * 4);
  }

  /** The bit of (publisher, seq), or -1 when the layout does not cover it. */
  bitOf(publisher: number, seq: number): number {
    const l = this.layout;
    const cb = l.clientBase;
    // Groups are few: a linear scan from the last group is cheaper than a search.
    for (let g = cb.length - 1; g >= 0; g--) {
      if (publisher < cb[g]) continue;
      const i = publisher - cb[g];
      const per = l.perClient[g];
      if (i >= l.counts[g] || seq < 0 || seq >= per) return -1;
      return l.base[g] + i * per + seq;
    }
    return -1;
  }

  /** Whether the layout has a bit for this message. */
  covers(publisher: number, seq: number): boolean {
    return this.bitOf(publisher, seq) >= 0;
  }

  /**
   * Sets the bit atomically; returns whether it was set before (true: seen already), or null when
   * the layout does not cover the message.
   */
  testAndSet(publisher: number, seq: number): boolean | null {
    const bit = this.bitOf(publisher, seq);
    if (bit < 0) return null;
    const mask = 1 << (bit & 31);
    return (Atomics.or(this.words, bit >>> 5, mask) & mask) !== 0;
  }

  /** Whether the bit is set; null when not covered. */
  has(publisher: number, seq: number): boolean | null {
    const bit = this.bitOf(publisher, seq);
    if (bit < 0) return null;
    return (Atomics.load(this.words, bit >>> 5) & (1 << (bit & 31))) !== 0;
  }
}
