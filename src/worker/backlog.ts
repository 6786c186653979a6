/** Pairs a backlog holds when it is first used (it doubles when full). */
const FIRST_CAPACITY = 64;

/**
 * Slots waiting for room in a client's in-flight window or socket: a FIFO of (seq, due) pairs in a ring
 * of doubles with O(1) push and take. Nothing is allocated per slot (a saturated generator pushes and
 * takes every slot it sends), and a device that never waits holds no ring at all.
 */
export class Backlog {
  /** [seq, due] pairs; its length in pairs is a power of two. */
  private ring: Float64Array | null = null;
  /** Index (in pairs) of the oldest pair. */
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(seq: number, dueMs: number): void {
    let r = this.ring;
    if (r === null || this.count * 2 === r.length) r = this.grow();
    const at = ((this.head + this.count) & ((r.length >> 1) - 1)) << 1;
    r[at] = seq;
    r[at + 1] = dueMs;
    this.count++;
  }

  /** The oldest slot's sequence number (the backlog must not be empty). */
  peekSeq(): number {
    return this.ring![this.head << 1];
  }

  /** The oldest slot's due time (the backlog must not be empty). */
  peekDue(): number {
    return this.ring![(this.head << 1) + 1];
  }

  /** Removes the oldest slot (the backlog must not be empty). */
  drop(): void {
    this.head = (this.head + 1) & ((this.ring!.length >> 1) - 1);
    this.count--;
  }

  /** Calls `fn(seq, dueMs)` for the oldest slot and removes it. */
  take(fn: (seq: number, dueMs: number) => void): void {
    const seq = this.peekSeq();
    const due = this.peekDue();
    this.drop();
    fn(seq, due);
  }

  /** Twice the room, the pairs in order from index 0. */
  private grow(): Float64Array {
    const old = this.ring;
    const next = new Float64Array(old === null ? FIRST_CAPACITY * 2 : old.length * 2);
    if (old !== null) {
      const h = this.head << 1;
      next.set(old.subarray(h), 0);
      next.set(old.subarray(0, h), old.length - h);
    }
    this.head = 0;
    this.ring = next;
    return next;
  }
}
