/**
 * Exact sets of sequence numbers in about one bit per member: the receive side's memory of which
 * messages of a stream it has seen, for the whole run (no window that forgets old messages).
 *
 * Bits live in chunks of CHUNK_BITS in one growable Int32Array per worker thread (a ChunkSlab) with a
 * byte budget; a chunk whose bits are all set is given back and remembered as FULL, so in-order,
 * loss-free streams keep only a reference per CHUNK_BITS messages. When the budget would be passed,
 * `add` answers NO_MEMORY and changes nothing: callers must then say "unverifiable", never "new".
 */

const CHUNK_SHIFT = 8;
export const CHUNK_BITS = 1 << CHUNK_SHIFT; // 256
const DATA_WORDS = CHUNK_BITS >>> 5; // 8
/** Data words plus one word counting the bits set. */
const CHUNK_WORDS = DATA_WORDS + 1;
/** Reference of a chunk with every bit set (its memory given back). */
const FULL = -1;
/** Reference of a chunk with no bit set (no memory taken). */
const NONE = 0;
/** Bookkeeping bytes counted per chunk reference (a slot of a JS array). */
export const REF_BYTES = 8;

/** add(): the member was new (now set), was already there, or the memory bound stopped it. */
export const ADDED = 1;
export const PRESENT = 0;
export const NO_MEMORY = -1;
export type AddResult = typeof ADDED | typeof PRESENT | typeof NO_MEMORY;

/** Default budget per worker thread: about 2 billion deliveries in the worst (lossy, sparse) case. */
export const DEFAULT_LEDGER_BYTES = 256 * 1024 * 1024;

/** The chunks (and the byte budget) of every set of one thread. */
export class ChunkSlab {
  private words = new Int32Array(0);
  private top = CHUNK_WORDS; // offset 0 is reserved: it means NONE
  private free: number[] = [];
  private overhead = 0;
  /** Set once a request was refused: the memory bound was hit. */
  exhausted = false;

  constructor(readonly maxBytes = DEFAULT_LEDGER_BYTES) {}

  /** Bytes in use: the slab's capacity plus the bookkeeping reserved by the sets. */
  get bytes(): number {
    return this.words.byteLength + this.overhead;
  }

  /** Reserves bookkeeping bytes (stream records, chunk references); false when the bound would be passed. */
  reserve(n: number): boolean {
    if (this.bytes + n > this.maxBytes) return this.refuse();
    this.overhead += n;
    return true;
  }

  /** A zeroed chunk's offset, or NONE when the bound is reached. */
  alloc(): number {
    const f = this.free.pop();
    if (f !== undefined) return f;
    if (this.top + CHUNK_WORDS > this.words.length && !this.grow()) return NONE;
    const off = this.top;
    this.top += CHUNK_WORDS;
    return off;
  }

  /** Gives a chunk back (zeroed) for reuse. */
  release(off: number): void {
    this.words.fill(0, off, off + CHUNK_WORDS);
    this.free.push(off);
  }

  /** Sets bit i (0 … CHUNK_BITS − 1) of a chunk; false when it was set already. */
  set(off: number, i: number): boolean {
    const w = off + (i >>> 5);
    const m = 1 << (i & 31);
    const v = this.words[w];
    if ((v & m) !== 0) return false;
    this.words[w] = v | m;
    this.words[off + DATA_WORDS]++;
    return true;
  }

  has(off: number, i: number): boolean {
    return (this.words[off + (i >>> 5)] & (1 << (i & 31))) !== 0;
  }

  isFull(off: number): boolean {
    return this.words[off + DATA_WORDS] === CHUNK_BITS;
  }

  private grow(): boolean {
    const room = Math.floor((this.maxBytes - this.overhead) / 4 / CHUNK_WORDS) * CHUNK_WORDS;
    const want = Math.min(Math.max(this.words.length * 2, CHUNK_WORDS * 64), room);
    if (want < this.top + CHUNK_WORDS) return this.refuse();
    const next = new Int32Array(want);
    next.set(this.words);
    this.words = next;
    return true;
  }

  private refuse(): false {
    this.exhausted = true;
    return false;
  }
}

/** A set of non-negative integers below 2^32, as chunks of bits from a ChunkSlab. */
export class Bits {
  private refs: number[] = [];
  /** Chunk index of refs[0]. */
  private origin = 0;
  size = 0;

  /** Upper bound of the index range covered so far (for deciding whether a rebuild is affordable). */
  get span(): number {
    return this.refs.length * CHUNK_BITS;
  }

  add(i: number, slab: ChunkSlab): AddResult {
    const c = i >>> CHUNK_SHIFT;
    if (this.refs.length === 0) {
      if (!slab.reserve(REF_BYTES)) return NO_MEMORY;
      this.origin = c;
      this.refs.push(NONE);
    }
    let k = c - this.origin;
    if (k < 0) {
      if (!slab.reserve(-k * REF_BYTES)) return NO_MEMORY;
      this.refs = new Array<number>(-k).fill(NONE).concat(this.refs); // rare: an index before the first one seen
      this.origin = c;
      k = 0;
    } else if (k >= this.refs.length) {
      if (!slab.reserve((k + 1 - this.refs.length) * REF_BYTES)) return NO_MEMORY;
      while (this.refs.length <= k) this.refs.push(NONE);
    }
    let off = this.refs[k];
    if (off === FULL) return PRESENT;
    if (off === NONE) {
      off = slab.alloc();
      if (off === NONE) return NO_MEMORY;
      this.refs[k] = off;
    }
    if (!slab.set(off, i & (CHUNK_BITS - 1))) return PRESENT;
    this.size++;
    if (slab.isFull(off)) {
      slab.release(off);
      this.refs[k] = FULL;
    }
    return ADDED;
  }

  has(i: number, slab: ChunkSlab): boolean {
    const k = (i >>> CHUNK_SHIFT) - this.origin;
    if (k < 0 || k >= this.refs.length) return false;
    const off = this.refs[k];
    return off === FULL || (off !== NONE && slab.has(off, i & (CHUNK_BITS - 1)));
  }

  /** Calls `f` with every member, in increasing order. */
  forEach(slab: ChunkSlab, f: (i: number) => void): void {
    for (let k = 0; k < this.refs.length; k++) {
      const off = this.refs[k];
      if (off === NONE) continue;
      const base = (this.origin + k) * CHUNK_BITS;
      for (let b = 0; b < CHUNK_BITS; b++) if (off === FULL || slab.has(off, b)) f(base + b);
    }
  }

  /** Gives every chunk back to the slab (the set must not be used afterwards). */
  dispose(slab: ChunkSlab): void {
    for (const off of this.refs) if (off > 0) slab.release(off);
    this.refs = [];
  }
}

/** Largest index range (bits) a stride rebuild may create; beyond it, off-stride members get a set of their own. */
export const REBUILD_BITS = 1 << 16;

const gcd = (a: number, b: number): number => {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
};

/**
 * An exact set of sequence numbers that learns the stride of the stream it records: a subscriber of a
 * `{target}` fan-out sees every N-th sequence number of its publisher, so members are stored at index
 * (seq − residue) / stride, one bit per delivery instead of one per publisher message. A member off
 * the learned progression shrinks the stride (gcd) while the rebuild stays small, and otherwise goes to
 * a second, plain set; either way the set stays exact.
 */
export class SeqSet {
  private first = -1;
  private stride = 0;
  private residue = 0;
  private lane: Bits | null = null;
  private off: Bits | null = null;

  add(seq: number, slab: ChunkSlab): AddResult {
    if (this.first < 0) {
      this.first = seq;
      return ADDED;
    }
    if (this.stride === 0) {
      if (seq === this.first) return PRESENT;
      const lane = new Bits();
      const stride = Math.abs(seq - this.first);
      const residue = this.first % stride;
      if (lane.add((this.first - residue) / stride, slab) === NO_MEMORY) return NO_MEMORY;
      [this.lane, this.stride, this.residue] = [lane, stride, residue];
    }
    const d = seq - this.residue;
    if (d % this.stride === 0) return this.lane!.add(d / this.stride, slab);
    if (this.off === null && this.rebuild(gcd(this.stride, Math.abs(seq - this.first)), slab)) return this.add(seq, slab);
    this.off ??= new Bits();
    return this.off.add(seq, slab);
  }

  has(seq: number, slab: ChunkSlab): boolean {
    if (this.first < 0) return false;
    if (this.stride === 0) return seq === this.first;
    const d = seq - this.residue;
    if (d % this.stride === 0) return this.lane!.has(d / this.stride, slab);
    return this.off !== null && this.off.has(seq, slab);
  }

  /** Re-indexes the lane with a smaller stride; false (nothing changed) when too large or out of memory. */
  private rebuild(stride: number, slab: ChunkSlab): boolean {
    const old = this.lane!;
    if (old.span * (this.stride / stride) > REBUILD_BITS) return false;
    const residue = this.first % stride;
    const lane = new Bits();
    let ok = true;
    old.forEach(slab, (i) => {
      if (ok && lane.add((this.residue + i * this.stride - residue) / stride, slab) === NO_MEMORY) ok = false;
    });
    if (!ok) {
      lane.dispose(slab);
      return false;
    }
    old.dispose(slab);
    [this.lane, this.stride, this.residue] = [lane, stride, residue];
    return true;
  }
}
