/**
 * Slots waiting for room in a client's in-flight window: a FIFO of (seq, due) pairs with O(1)
 * push and take (an array shift would copy the whole queue each time: quadratic when it grows).
 */
/** The items of a backlog never pushed to (replaced on first push: an idle client allocates none). */
const EMPTY: number[] = [];

export class Backlog {
  private items = EMPTY;
  private head = 0;

  get size(): number {
    return (this.items.length - this.head) / 2;
  }

  push(seq: number, dueMs: number): void {
    if (this.items === EMPTY) this.items = [];
    this.items.push(seq, dueMs);
  }

  /** The oldest slot's sequence number (the backlog must not be empty). */
  peekSeq(): number {
    return this.items[this.head];
  }

  /** Calls `fn(seq, dueMs)` for the oldest slot and removes it. */
  take(fn: (seq: number, dueMs: number) => void): void {
    const seq = this.items[this.head];
    const due = this.items[this.head + 1];
    this.head += 2;
    if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    fn(seq, due);
  }
}
