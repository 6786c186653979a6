import type { Duplex } from 'node:stream';
import { scheduleFlush } from './leanBatch.js';
import { tcpCounters, WriteLedger } from './writeLedger.js';
import type { PublishDone } from './driver.js';

/** A turn's output is written at once when it reaches this size (the socket's back-pressure then shows). */
const FLUSH_BYTES = 64 * 1024;

/**
 * The lean driver's output for one connection: everything produced in one event-loop turn goes into
 * one buffer, written with one socket write (on process.nextTick, or at once past FLUSH_BYTES). A
 * publish's position is the byte offset of its end in everything ever written to the socket; each
 * write is marked in a WriteLedger, which knows from the write callbacks what reached the kernel: QoS 0
 * dones are called then (or get NotSent), and `ledger.writtenPos` tells a written QoS 1/2 publish from
 * one that never left. Before the driver destroys a plain TCP socket, `destroying()` reads how far the
 * kernel got, so a write cut short counts exactly.
 */
export class LeanOutput {
  /** This turn's bytes (valid up to `length`); null when nothing waits. */
  buf: Buffer | null = null;
  length = 0;
  private hint = 256;
  /** Bytes handed to sock.write so far. */
  private submitted = 0;
  readonly ledger: WriteLedger;
  /** Something was written since the keepalive last looked. */
  sentSinceTick = false;
  private closed = false;

  constructor(private readonly sock: Duplex) {
    this.ledger = new WriteLedger(sock);
  }

  /** Room for n bytes in this turn's buffer; returns their offset in `buf`. */
  reserve(n: number): number {
    const b = this.buf;
    const len = this.length;
    if (b === null) {
      this.buf = Buffer.allocUnsafe(n > this.hint ? n : this.hint);
      this.length = n;
      scheduleFlush(this);
      return 0;
    }
    if (len + n > b.length) {
      const grown = Buffer.allocUnsafe(Math.max(b.length * 2, len + n));
      grown.set(b.subarray(0, len), 0);
      this.buf = grown;
    }
    this.length = len + n;
    return len;
  }

  append(bytes: Buffer): void {
    const off = this.reserve(bytes.length);
    this.buf!.set(bytes, off);
  }

  /** A publish just put into `buf` (a QoS 0 one passes its done, called once it is written); returns its position. */
  published(qos0Done: PublishDone | null): number {
    const pos = this.submitted + this.length;
    this.ledger.published(qos0Done, pos);
    return pos;
  }

  /** False while the socket's buffer is over its high-water mark (its 'drain' comes later). */
  writable(): boolean {
    return !this.closed && !this.sock.writableNeedDrain;
  }

  /** Bytes produced and not yet handed to the kernel. */
  queued(): number {
    return this.length + this.sock.writableLength;
  }

  /** Writes the turn's buffer early once it is large. */
  flushIfLarge(): void {
    if (this.length >= FLUSH_BYTES) this.flush();
  }

  /** Writes what this turn produced: one socket write. */
  flush(): void {
    const b = this.buf;
    if (b === null) return;
    const len = this.length;
    this.buf = null;
    this.length = 0;
    const s = this.sock;
    // A destroyed socket: these publishes stay unmarked, close() fails them.
    if (this.closed || s.destroyed || s.writableEnded) return;
    this.hint = len < 64 ? 64 : len > 65536 ? 65536 : len;
    this.submitted += len;
    this.sentSinceTick = true;
    const chunk = len === b.length ? b : b.subarray(0, len);
    const ledger = this.ledger;
    // Only a write that carries a publish is marked (acks, pings, CONNECT: no callback to wait for).
    if (!ledger.needsMark()) {
      s.write(chunk);
      return;
    }
    const rec = ledger.mark(this.submitted);
    s.write(chunk, ledger.onWritten);
    // Nothing left in Node's buffer: this write is in the kernel already (its callback comes next tick).
    if (s.writableLength === 0) ledger.completedAtOnce(rec);
  }

  /**
   * The driver destroys the socket now. On plain TCP, Node knows how much it handed to libuv and libuv
   * how much of that still waits: the rest is in the kernel. (TLS: unknown, the ledger is conservative.)
   */
  destroying(): void {
    const tcp = tcpCounters(this.sock);
    const k = tcp === null ? -1 : tcp.inKernel();
    this.ledger.destroying(k >= 0 ? k : null);
  }

  /** The connection closed: every QoS 0 publish not yet written gets NotSent; nothing is written any more. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.buf = null;
    this.length = 0;
    this.ledger.close(reason);
  }
}
