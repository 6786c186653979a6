import type { Clock } from '../../shared/clock.js';
import type { PublishDone } from '../driver.js';
import type { Flight } from './flight.js';
import type { MemoryCounts } from './counts.js';
import { later, type MemoryOptions } from './options.js';

/** A frame on its way from a client to the broker ("the socket"), written once `due`. */
export type Frame =
  | { k: 'pub0'; due: number; topic: string; payload: Buffer; retain: boolean; done: PublishDone }
  | { k: 'pub'; due: number; h: Flight; dup: boolean; resend: boolean }
  | { k: 'pubrel'; due: number; id: number; resend: boolean }
  | { k: 'ack'; due: number; what: 'PUBACK' | 'PUBREC' | 'PUBCOMP'; id: number };

/**
 * One client's output to the broker: frames leave in order, each `writeDelayMs` after it was queued.
 * A stall (the broker stops reading) holds them all and makes writable() false until drain(); with
 * `highWater`, so do that many new publishes not yet written. onDrain follows once writable again.
 */
export class Uplink {
  private readonly frames: Frame[] = [];
  private stalled = false;
  private wasFull = false;
  private flushing = false;
  /** New publishes queued and not yet written (for highWater), and their payload bytes. */
  private unwritten = 0;
  unwrittenBytes = 0;
  private closed = false;
  /** Called once every frame is written (set by a graceful end). */
  onEmpty: (() => void) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly o: MemoryOptions,
    private readonly counts: MemoryCounts,
    private readonly write: (f: Frame) => void,
    private readonly onDrain: () => void,
  ) {}

  writable(): boolean {
    return !this.closed && !this.stalled && (this.o.highWater === undefined || this.unwritten < this.o.highWater);
  }

  /** Queues a frame; `publish` marks a new publish (it counts toward highWater until written). */
  push(f: Frame, publish = false): void {
    f.due = this.clock.now() + (this.o.writeDelayMs ?? 0);
    this.frames.push(f);
    if (publish) {
      this.unwritten++;
      this.unwrittenBytes += payloadOf(f);
      if (!this.writable()) this.wasFull = true;
    }
    if (this.frames.length === 1) this.schedule();
  }

  stall(): void {
    if (this.closed || this.stalled) return;
    this.stalled = true;
    this.wasFull = true;
    this.counts.stalls++;
  }

  drain(): void {
    if (this.closed || !this.stalled) return;
    this.stalled = false;
    this.counts.drains++;
    this.flush();
  }

  /** Frames not yet written. */
  waiting(): number {
    return this.frames.length;
  }

  /** Writes every frame due by `until`, in order, unless stalled. */
  private writeUntil(until: number): void {
    while (!this.stalled && !this.closed && this.frames.length > 0 && this.frames[0].due <= until) {
      const f = this.frames.shift()!;
      if (f.k === 'pub0' || (f.k === 'pub' && !f.resend)) {
        this.unwritten--;
        this.unwrittenBytes -= payloadOf(f);
      }
      this.write(f);
    }
    if (this.frames.length === 0 && !this.closed) this.onEmpty?.();
  }

  /** The connection closed: the frames never written. */
  close(): Frame[] {
    this.closed = true;
    this.unwritten = 0;
    this.unwrittenBytes = 0;
    return this.frames.splice(0);
  }

  private schedule(): void {
    if (this.flushing || this.stalled || this.closed || this.frames.length === 0) return;
    this.flushing = true;
    later(this.clock, this.frames[0].due - this.clock.now(), () => {
      this.flushing = false;
      this.flush();
    });
  }

  private flush(): void {
    this.writeUntil(this.clock.now());
    this.schedule();
    if (this.wasFull && this.writable()) {
      this.wasFull = false;
      this.counts.drainEvents++;
      this.onDrain();
    }
  }
}

const payloadOf = (f: Frame): number => (f.k === 'pub0' ? f.payload.length : f.k === 'pub' ? f.h.payload.length : 0);
