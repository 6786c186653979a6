import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { scheduleFlush } from './leanBatch.js';
import { tcpCounters, WriteLedger } from './writeLedger.js';
import type { PublishDone } from './driver.js';

/** A turn's output is written at once when it reaches this size (the socket's back-pressure then shows). */
const FLUSH_BYTES = 64 * 1024;
/**
 * The size of the turn buffers plain TCP outputs share. A buffer the kernel took whole in its write (nothing
 * left in Node's buffer) is free again at once and goes back to the thread's free list, so a busy publisher
 * does not allocate (and the GC does not collect) a buffer per connection per turn.
 */
const SHARED_BYTES = 16 * 1024;
/** At most this many free turn buffers are kept per thread (the rest are left to the GC). */
const MAX_FREE = 64;
const free: Buffer[] = [];

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
  /** Turn buffers come from (and go back to) the thread's free list: a plain TCP socket (not TLS, not WebSocket). */
  private readonly shares: boolean;
  /** Part of this turn's buffer is kept beyond the write (keep()): it does not go back to the free list. */
  private kept = false;

  constructor(private readonly sock: Duplex) {
    this.ledger = new WriteLedger(sock);
    this.shares = sock instanceof Socket && (sock as Socket & { encrypted?: boolean }).encrypted !== true;
  }

  /** Room for n bytes in this turn's buffer; returns their offset in `buf`. */
  reserve(n: number): number {
    const b = this.buf;
    const len = this.length;
    if (b === null) {
      if (this.shares && n <= SHARED_BYTES) this.buf = free.length > 0 ? free.pop()! : Buffer.allocUnsafeSlow(SHARED_BYTES);
      else this.buf = Buffer.allocUnsafe(n > this.hint ? n : this.hint);
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

  /** Bytes of this turn's buffer that outlive its write (a frame kept for a resend): the buffer is not reused. */
  keep(off: number, size: number): Buffer {
    this.kept = true;
    return this.buf!.subarray(off, off + size);
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
    const kept = this.kept;
    this.buf = null;
    this.length = 0;
    this.kept = false;
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
      if (s.writableLength === 0) this.release(b, kept);
      return;
    }
    const rec = ledger.mark(this.submitted);
    s.write(chunk, ledger.onWritten);
    // Nothing left in Node's buffer: this write is in the kernel already (its callback comes next tick).
    if (s.writableLength === 0) {
      ledger.completedAtOnce(rec);
      this.release(b, kept);
    }
  }

  /** A turn buffer the kernel took whole (nothing refers to it any more): back to the free list. */
  private release(b: Buffer, kept: boolean): void {
    if (this.shares && !kept && b.length === SHARED_BYTES && free.length < MAX_FREE) free.push(b);
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
