import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { NotSent, type PublishDone } from './types.js';

/** A close this soon after our last PUBLISH reached the kernel is reported as a close "right after a PUBLISH". */
const AFTER_PUBLISH_MS = 50;
/** Per mark: [QoS 0 dones it covers, last publish seq it covers, 1 if its write completed at once]. */
const MARK_FIELDS = 3;

/**
 * Which publishes of one connection reached the kernel, for both drivers. Publishes are numbered
 * (`seq`); QoS 0 `done`s wait in a FIFO (an array with a moving head: nothing allocated per message).
 * Before a socket write that carries everything published so far, `mark()` records the turn; the write's
 * callback (`onWritten`, one shared function — Node calls write callbacks in order) then settles the
 * oldest mark: its QoS 0 dones are called, `writtenSeq` moves up (a QoS 1/2 publish with seq <=
 * writtenSeq was written), or on a write error they get NotSent. `close()` fails whatever is left.
 *
 * One Node quirk: a write still in progress when the socket is destroyed is called back *without* an
 * error. A mark whose write did not complete at once and is called back after the socket was destroyed
 * therefore counts as not written (its bytes may have partly left: at most one write is under-counted).
 */
export class WriteLedger {
  seq = 0;
  writtenSeq = 0;
  /** When the last write holding a PUBLISH reached the kernel (performance.now()). */
  lastPublishWrittenAt = -Infinity;
  private q: PublishDone[] = [];
  private head = 0;
  private turnQos0 = 0;
  private marks: number[] = [];
  private markHead = 0;
  private closed = false;
  readonly onWritten = (err?: Error | null): void => this.written(err);

  constructor(private readonly stream: Writable) {}

  /** Numbers a publish; a QoS 0 one passes its done, called once it is written. */
  published(qos0Done: PublishDone | null): number {
    if (qos0Done !== null) {
      this.q.push(qos0Done);
      this.turnQos0++;
    }
    return ++this.seq;
  }

  /** The next write carries everything published so far; returns the mark for completedAtOnce(). */
  mark(): number {
    const rec = this.marks.length;
    this.marks.push(this.turnQos0, this.seq, 0);
    this.turnQos0 = 0;
    return rec;
  }

  /** The marked write left nothing in Node's buffer: it is in the kernel (its callback comes later). */
  completedAtOnce(rec: number): void {
    this.marks[rec + 2] = 1;
  }

  /** Nothing is buffered and no mark is open: everything published so far is in the kernel; settles it now. */
  settleIfIdle(): boolean {
    if (this.markHead !== this.marks.length || this.stream.writableLength !== 0) return false;
    this.wrote(this.seq);
    const n = this.turnQos0;
    this.turnQos0 = 0;
    if (n > 0) this.settle(n, undefined);
    return true;
  }

  private written(err: Error | null | undefined): void {
    const m = this.marks;
    const h = this.markHead;
    if (h >= m.length) return; // close() already failed it
    const n = m[h];
    const last = m[h + 1];
    const ok = !err && (m[h + 2] === 1 || !this.stream.destroyed);
    this.markHead = h + MARK_FIELDS;
    if (this.markHead === m.length) {
      m.length = 0;
      this.markHead = 0;
    }
    if (ok) this.wrote(last);
    if (n > 0) this.settle(n, ok ? undefined : new NotSent(`not sent: ${describe(err)}`));
  }

  private wrote(last: number): void {
    if (last > this.writtenSeq) {
      this.writtenSeq = last;
      this.lastPublishWrittenAt = performance.now();
    }
  }

  /** Calls the oldest n dones (never re-entered: write callbacks do not run inside one another). */
  private settle(n: number, err: Error | undefined): void {
    const q = this.q;
    let k = this.head;
    const end = k + n;
    this.head = end;
    for (; k < end; k++) {
      const done = q[k];
      (q as (PublishDone | undefined)[])[k] = undefined;
      done(err);
    }
    // Dones may have queued more publishes meanwhile: compact only what was consumed.
    if (this.head === q.length) {
      q.length = 0;
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= q.length) {
      this.q = q.slice(this.head);
      this.head = 0;
    }
  }

  /** The connection closed: every QoS 0 publish not known to be written gets NotSent. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.marks.length = 0;
    this.markHead = 0;
    this.turnQos0 = 0;
    const n = this.q.length - this.head;
    if (n > 0) this.settle(n, new NotSent(`not sent: ${reason}`));
  }
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
