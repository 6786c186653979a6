/**
 * QoS 1/2 publishes that were written but never acknowledged (the driver's SessionEnded, or still waiting
 * for their ack when the run ended). Whether the broker had accepted such a message is decided once, at the
 * end, after every worker has closed its connections: if any subscriber of this process received it (the
 * run-wide SeqBitmap), the broker had accepted it and its deliveries stay expected; otherwise it is
 * "unconfirmed" and its expected deliveries are withdrawn (it can never count as lost).
 *
 * Workers keep them in an UnackedLog (bounded) and send its rows with their final snapshot; the
 * coordinator settles them against the bitmap (settleUnacked).
 */
import type { SeqBitmap } from './seqBitmap.js';

/** Numbers per row: publisher, seq, expected deliveries at QoS 0, 1, 2, intended send time (epoch ms), measured (1/0). */
export const UNACKED_FIELDS = 7;
/** Rows one worker keeps; past this the oldest row is settled in the worker (long after it was written). */
export const MAX_UNACKED_ROWS = 100_000;

/** Where a settled row is counted (the worker's Recorder, or the coordinator's Aggregator). */
export interface UnackedSink {
  /** Received by nobody: count it unconfirmed and withdraw its expected deliveries (by QoS and intended second). */
  unconfirmed(measured: boolean, e0: number, e1: number, e2: number, intendedMs: number): void;
  /** Received by some subscriber: the broker had accepted it. */
  deliveredUnacked(measured: boolean): void;
}

/** Settles `rows` (UNACKED_FIELDS numbers each) against the bitmap of first deliveries. */
export function settleUnacked(rows: Float64Array, delivered: SeqBitmap, sink: UnackedSink): void {
  for (let i = 0; i + UNACKED_FIELDS <= rows.length; i += UNACKED_FIELDS) settleRow(rows, i, delivered, sink);
}

function settleRow(r: Float64Array, i: number, delivered: SeqBitmap, sink: UnackedSink): void {
  const measured = r[i + 6] === 1;
  // A message the bitmap does not cover has no record of a delivery: it cannot be shown accepted.
  if (delivered.has(r[i], r[i + 1]) === true) sink.deliveredUnacked(measured);
  else sink.unconfirmed(measured, r[i + 2], r[i + 3], r[i + 4], r[i + 5]);
}

/** A worker's unacknowledged publishes, in the order they ended, at most MAX_UNACKED_ROWS of them. */
export class UnackedLog {
  private rows: Float64Array;
  private head = 0;
  private count = 0;

  constructor(
    private readonly delivered: SeqBitmap,
    private readonly sink: UnackedSink,
    private readonly maxRows = MAX_UNACKED_ROWS,
  ) {
    this.rows = new Float64Array(Math.min(64, maxRows) * UNACKED_FIELDS);
  }

  get size(): number {
    return this.count;
  }

  add(publisher: number, seq: number, e0: number, e1: number, e2: number, intendedMs: number, measured: boolean): void {
    if (this.count === this.maxRows) {
      settleRow(this.rows, this.head * UNACKED_FIELDS, this.delivered, this.sink);
      this.head = (this.head + 1) % (this.rows.length / UNACKED_FIELDS);
      this.count--;
    } else if (this.count * UNACKED_FIELDS === this.rows.length) {
      this.grow();
    }
    const capacity = this.rows.length / UNACKED_FIELDS;
    const at = ((this.head + this.count) % capacity) * UNACKED_FIELDS;
    const r = this.rows;
    r[at] = publisher;
    r[at + 1] = seq;
    r[at + 2] = e0;
    r[at + 3] = e1;
    r[at + 4] = e2;
    r[at + 5] = intendedMs;
    r[at + 6] = measured ? 1 : 0;
    this.count++;
  }

  /** The rows still held, oldest first (a copy, to send to the coordinator). */
  take(): Float64Array {
    const capacity = this.rows.length / UNACKED_FIELDS;
    const out = new Float64Array(this.count * UNACKED_FIELDS);
    for (let k = 0; k < this.count; k++) {
      const from = ((this.head + k) % capacity) * UNACKED_FIELDS;
      out.set(this.rows.subarray(from, from + UNACKED_FIELDS), k * UNACKED_FIELDS);
    }
    return out;
  }

  private grow(): void {
    const capacity = this.rows.length / UNACKED_FIELDS;
    const bigger = new Float64Array(Math.min(this.maxRows, capacity * 2) * UNACKED_FIELDS);
    bigger.set(this.take());
    this.rows = bigger;
    this.head = 0;
  }
}
