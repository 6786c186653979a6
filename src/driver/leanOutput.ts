import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { NotSent, type PublishDone } from './types.js';

/** A turn's output is written at once when it reaches this size (the socket's back-pressure then shows). */
const FLUSH_BYTES = 64 * 1024;
/** Publishes are refused (NotSent) while this much waits unwritten: a caller that ignores writable(). */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** Per flushed chunk: [QoS 0 dones in it, last publish seq in it, 1 if the write completed at once]. */
const CHUNK_FIELDS = 3;

/**
 * The lean driver's output for one connection: everything produced in one event-loop turn goes into
 * one buffer, written with one socket write (on process.nextTick, or at once past FLUSH_BYTES).
 *
 * It knows what reached the kernel: every chunk is written with one shared write callback, and Node
 * calls write callbacks in order, so a FIFO of per-chunk records says which publishes a callback
 * covers — no closure per message. QoS 0 `done`s wait in a FIFO until their chunk is written
 * (done()), or fail with NotSent when the write fails or the connection closes first. Publishes are
 * numbered (`seq`); `writtenSeq` is the last one handed to the kernel, which tells a QoS 1/2 publish
 * that was written from one that never left.
 *
 * One Node quirk: a write still in progress when the socket is destroyed is called back *without*
 * an error. A chunk whose write did not complete at once, called back after the socket was destroyed,
 * is therefore counted as not written (its bytes may have partly left: at most one chunk is under-counted).
 */
export class LeanOutput {
  /** This turn's bytes (valid up to `length`); null when nothing waits. */
  buf: Buffer | null = null;
  length = 0;
  private hint = 256;
  /** Publishes put into the output so far (any QoS); the last of them handed to the kernel. */
  seq = 0;
  writtenSeq = 0;
  /** When the last chunk holding a PUBLISH reached the kernel (performance.now()). */
  lastPublishWrittenAt = -Infinity;
  /** Something was written since the keepalive last looked. */
  sentSinceTick = false;
  /** QoS 0 dones waiting for their bytes, in publish order; `turnQos0` of them are in `buf`. */
  private q0: PublishDone[] = [];
  private q0Head = 0;
  private turnQos0 = 0;
  private chunks: number[] = [];
  private chunkHead = 0;
  private closed = false;
  private readonly onWritten = (err?: Error | null): void => this.written(err);

  constructor(
    private readonly sock: Socket,
    private readonly schedule: (o: LeanOutput) => void,
  ) {}

  /** Room for n bytes in this turn's buffer; returns their offset in `buf`. */
  reserve(n: number): number {
    let b = this.buf;
    const len = this.length;
    if (b === null) {
      this.buf = Buffer.allocUnsafe(n > this.hint ? n : this.hint);
      this.length = n;
      this.schedule(this);
      return 0;
    }
    if (len + n > b.length) {
      const grown = Buffer.allocUnsafe(Math.max(b.length * 2, len + n));
      grown.set(b.subarray(0, len), 0);
      this.buf = b = grown;
    }
    this.length = len + n;
    return len;
  }

  append(bytes: Buffer): void {
    const off = this.reserve(bytes.length);
    this.buf!.set(bytes, off);
  }

  /** Numbers a publish just put into `buf`; a QoS 0 one passes its done, called once it is written. */
  published(qos0Done: PublishDone | null): number {
    if (qos0Done !== null) {
      this.q0.push(qos0Done);
      this.turnQos0++;
    }
    return ++this.seq;
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
    const q0n = this.turnQos0;
    this.turnQos0 = 0;
    const s = this.sock;
    // A destroyed socket: these publishes stay in the FIFO, close() fails them.
    if (this.closed || s.destroyed || s.writableEnded) return;
    this.hint = len < 64 ? 64 : len > 65536 ? 65536 : len;
    const rec = this.chunks.length;
    this.chunks.push(q0n, this.seq, 0);
    s.write(len === b.length ? b : b.subarray(0, len), this.onWritten);
    // Nothing left in Node's buffer: this chunk is in the kernel already (its callback comes next tick).
    if (s.writableLength === 0) this.chunks[rec + 2] = 1;
    this.sentSinceTick = true;
  }

  private written(err: Error | null | undefined): void {
    const c = this.chunks;
    const h = this.chunkHead;
    if (h >= c.length) return; // close() already failed it
    const n = c[h];
    const lastSeq = c[h + 1];
    const ok = !err && (c[h + 2] === 1 || !this.sock.destroyed);
    this.chunkHead = h + CHUNK_FIELDS;
    if (this.chunkHead === c.length) {
      c.length = 0;
      this.chunkHead = 0;
    }
    if (ok && lastSeq > this.writtenSeq) {
      this.writtenSeq = lastSeq;
      this.lastPublishWrittenAt = performance.now();
    }
    if (n > 0) this.settle(n, ok ? undefined : new NotSent(`not sent: ${describe(err)}`));
  }

  /** Calls the next n QoS 0 dones (write callbacks never run inside one another, so this is not re-entered). */
  private settle(n: number, err: Error | undefined): void {
    const q = this.q0;
    let k = this.q0Head;
    const end = k + n;
    this.q0Head = end;
    for (; k < end; k++) {
      const done = q[k];
      (q as (PublishDone | undefined)[])[k] = undefined;
      done(err);
    }
    // Dones may have queued more publishes meanwhile: compact only what was consumed.
    if (this.q0Head === q.length) {
      q.length = 0;
      this.q0Head = 0;
    } else if (this.q0Head >= 4096 && this.q0Head * 2 >= q.length) {
      this.q0 = q.slice(this.q0Head);
      this.q0Head = 0;
    }
  }

  /** The connection closed: every QoS 0 publish not yet written gets NotSent; nothing is written any more. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.buf = null;
    this.length = 0;
    this.turnQos0 = 0;
    this.chunks.length = 0;
    this.chunkHead = 0;
    const n = this.q0.length - this.q0Head;
    if (n > 0) this.settle(n, new NotSent(`not sent: ${reason}`));
  }
}

function describe(err: Error | null | undefined): string {
  if (!err) return 'the connection was destroyed while it was being written';
  return (err as NodeJS.ErrnoException).code ?? err.message;
}
