import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { NotSent, type PublishDone } from './driver.js';

/** Publishes are refused (NotSent) while this much waits unwritten: a caller that ignores writable(). */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** A close this soon after our last PUBLISH reached the kernel is reported as a close "right after a PUBLISH". */
const AFTER_PUBLISH_MS = 50;
/** Per mark: [position it covers up to, 1 if its write completed at once, 1 if it carried a PUBLISH]. */
const MARK_FIELDS = 3;
/** The arrays of a ledger that has not needed them yet (never pushed to: replaced on first use). */
const NONE: never[] = [];
/** QoS 0 dones a ledger holds room for when it first needs them (the ring doubles when full). */
const FIRST_DONES = 16;
const NO_POS = new Float64Array(0);

/**
 * Which publishes of one connection reached the kernel, for both drivers. Every publish has a position
 * in the connection's output, increasing (the lean driver: the byte offset of its end; mqtt.js: its
 * number). QoS 0 `done`s wait in a FIFO with their positions (a ring: an array of dones, a Float64Array of
 * positions; nothing allocated per message). Before a socket write that carries everything up to position p, `mark(p)`
 * records it; the write's callback (`onWritten`, one shared function — Node calls write callbacks in
 * order) settles the oldest mark: QoS 0 dones up to p are called, `writtenPos` moves to p (a QoS 1/2
 * publish at or below it was written); on a write error they get NotSent. `close()` fails what is left.
 *
 * Destroying a socket with a write in progress: Node then calls that write back *without* an error.
 * When the driver knows how far the kernel got (`destroying(kernelPos)`: the lean driver on plain TCP),
 * exactly what is at or below it counts as written; otherwise a mark whose write did not complete at
 * once and is called back after the socket was destroyed counts as not written (an under-count of at
 * most that write).
 */
export class WriteLedger {
  writtenPos = 0;
  /** When the last write holding a PUBLISH reached the kernel (performance.now()). */
  lastPublishWrittenAt = -Infinity;
  // Allocated on first use (an idle connection's ledger holds none).
  private dones: (PublishDone | undefined)[] = NONE;
  private donePos: Float64Array = NO_POS;
  /** Ring index of the oldest done, and how many wait. */
  private head = 0;
  private waiting = 0;
  private lastPublishPos = 0;
  private lastMarkPos = 0;
  private marks: number[] = NONE;
  private markHead = 0;
  /** Set once we destroy the socket knowing how far the kernel got: nothing beyond counts as written. */
  private cap = Infinity;
  private closed = false;
  private writtenCb: ((err?: Error | null) => void) | null = null;

  constructor(private readonly stream: Writable) {}

  /** The write callback of a marked write (one function per ledger, made on first use). */
  get onWritten(): (err?: Error | null) => void {
    return (this.writtenCb ??= (err?: Error | null): void => this.written(err));
  }

  /** Some publish since the last mark: the next write must be marked (a write of acks or pings need not be). */
  needsMark(): boolean {
    return this.lastPublishPos > this.lastMarkPos;
  }

  /** A publish at `pos`; a QoS 0 one passes its done, called once it is written. */
  published(qos0Done: PublishDone | null, pos: number): void {
    this.lastPublishPos = pos;
    if (qos0Done !== null) {
      if (this.waiting === this.donePos.length) this.grow();
      const at = (this.head + this.waiting) & (this.donePos.length - 1);
      this.dones[at] = qos0Done;
      this.donePos[at] = pos;
      this.waiting++;
    }
  }

  /** Twice the room (FIRST_DONES at first), the waiting dones in order from index 0. */
  private grow(): void {
    const n = this.donePos.length;
    const dones = new Array<PublishDone | undefined>(n === 0 ? FIRST_DONES : n * 2).fill(undefined);
    const pos = new Float64Array(dones.length);
    for (let k = 0; k < this.waiting; k++) {
      const from = (this.head + k) & (n - 1);
      dones[k] = this.dones[from];
      pos[k] = this.donePos[from];
    }
    this.dones = dones;
    this.donePos = pos;
    this.head = 0;
  }

  /** The next write carries everything up to `pos`; returns the mark for completedAtOnce(). */
  mark(pos: number): number {
    if (this.marks === NONE) this.marks = [];
    const rec = this.marks.length;
    this.marks.push(pos, 0, this.lastPublishPos > this.lastMarkPos ? 1 : 0);
    this.lastMarkPos = pos;
    return rec;
  }

  /** The marked write left nothing in Node's buffer: it is in the kernel (its callback comes later). */
  completedAtOnce(rec: number): void {
    this.marks[rec + 1] = 1;
  }

  /** Nothing buffered and no mark open: everything up to `pos` is in the kernel; settled now. */
  settleIfIdle(pos: number): boolean {
    if (this.markHead !== this.marks.length || this.stream.writableLength !== 0) return false;
    this.wrote(pos, this.lastPublishPos > this.lastMarkPos);
    this.lastMarkPos = pos;
    this.settle(pos, undefined);
    return true;
  }

  /** The driver destroys the socket now; `kernelPos`: how far the kernel got, when it can tell. */
  destroying(kernelPos: number | null): void {
    if (kernelPos === null || this.closed) return;
    this.cap = kernelPos;
    this.wrote(kernelPos, false);
    this.settle(kernelPos, undefined);
  }

  private written(err: Error | null | undefined): void {
    const m = this.marks;
    const h = this.markHead;
    if (h >= m.length) return; // close() already failed it
    const pos = m[h];
    const ok = !err && pos <= this.cap && (m[h + 1] === 1 || !this.stream.destroyed || this.cap !== Infinity);
    const hadPublish = m[h + 2] === 1;
    this.markHead = h + MARK_FIELDS;
    if (this.markHead === m.length) {
      m.length = 0;
      this.markHead = 0;
    }
    if (ok) this.wrote(pos, hadPublish);
    this.settle(pos, ok ? undefined : new NotSent(`not sent: ${describe(err)}`));
  }

  private wrote(pos: number, hadPublish: boolean): void {
    if (pos > this.writtenPos) this.writtenPos = pos;
    if (hadPublish) this.lastPublishWrittenAt = performance.now();
  }

  /** Calls the dones at or below `pos` (never re-entered: write callbacks do not run inside one another). */
  // Dones may queue more publishes meanwhile (even grow the ring): each step re-reads the ring.
  private settle(pos: number, err: Error | undefined): void {
    while (this.waiting > 0) {
      const h = this.head;
      if (this.donePos[h] > pos) return;
      const done = this.dones[h]!;
      this.dones[h] = undefined;
      this.head = (h + 1) & (this.donePos.length - 1);
      this.waiting--;
      done(err);
    }
  }

  /** The connection closed: every QoS 0 publish not known to be written gets NotSent. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.marks.length = 0;
    this.markHead = 0;
    if (this.waiting > 0) this.settle(Infinity, new NotSent(`not sent: ${reason}`));
  }
}

/** The internals of a plain TCP net.Socket read below (Node 20): undefined on TLS, WebSocket or other streams. */
interface TcpInternals {
  encrypted?: boolean;
  _bytesDispatched?: unknown;
  _handle?: { writeQueueSize?: unknown } | null;
  _writableState?: { length: number; writing: boolean; writelen: number };
}

/**
 * Byte counters of a plain TCP socket, or null for any other stream: `submitted` = every byte given to
 * write() so far; `inKernel` = those of them libuv has written to the kernel (Node counts what it handed
 * to libuv, libuv what of that still waits).
 */
export function tcpCounters(stream: Writable): { submitted(): number; inKernel(): number } | null {
  const s = stream as Writable & TcpInternals;
  if (s.encrypted === true || typeof s._bytesDispatched !== 'number' || s._writableState === undefined) return null;
  if (typeof s._handle?.writeQueueSize !== 'number') return null;
  return {
    submitted: () => {
      const st = s._writableState!;
      return (s._bytesDispatched as number) + st.length - (st.writing ? st.writelen : 0);
    },
    inKernel: () => {
      const q = s._handle?.writeQueueSize;
      return typeof q === 'number' ? (s._bytesDispatched as number) - q : -1;
    },
  };
}

function describe(err: Error | null | undefined): string {
  if (!err) return 'the connection was destroyed while it was being written';
  return (err as NodeJS.ErrnoException).code ?? err.message;
}

/**
 * Why a connection closed when there was no error and no DISCONNECT: right after our PUBLISH (a broker
 * refusing one, e.g. mosquitto for an invalid topic under MQTT 3.1.1, closes at once), or plainly.
 */
export function closeWords(ledger: WriteLedger): string {
  if (performance.now() - ledger.lastPublishWrittenAt <= AFTER_PUBLISH_MS) return 'closed by the broker right after a PUBLISH';
  return 'closed by the broker or network';
}
