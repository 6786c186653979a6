import type { Clock } from './clock.js';
import type { PreciseSlot, PreciseTimer } from './preciseTimer.js';

/** A manual clock for unit tests: time moves only when the test advances it. */
export class FakeClock implements Clock {
  private timers: { at: number; id: number; fn: () => void }[] = [];
  private nextId = 1;

  constructor(private t = 1_000_000) {}

  /** Set by withPrecise(): wake-ups exactly at the instant asked for (or `precise.lagMs` after it). */
  precise?: PreciseTimer & { lagMs: number };

  /** Gives this clock a precise timer (like the worker thread's helper), its wake-ups `lagMs` late. */
  withPrecise(lagMs = 0): this {
    // FakeClock's own setTimeout: a subclass's timer lateness is not the precise timer's.
    const at = (fn: () => void, atMs: number) => FakeClock.prototype.setTimeout.call(this, fn, atMs + (this.precise?.lagMs ?? 0) - this.t);
    const clear = (h: unknown) => this.clearTimeout(h);
    this.precise = {
      ready: true,
      lagMs,
      slot(fn: () => void): PreciseSlot {
        let handle: unknown = null;
        const fire = () => {
          handle = null;
          fn();
        };
        return {
          arm(atMs) {
            if (handle !== null) clear(handle);
            handle = at(fire, atMs);
          },
          disarm() {
            if (handle !== null) clear(handle);
            handle = null;
          },
        };
      },
    };
    return this;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + Math.max(0, delayMs), id, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  setImmediate(fn: () => void): unknown {
    return this.setTimeout(fn, 0);
  }

  /** Move time forward, firing due timers in order (a timer may be late by `lagMs`, like a busy loop). */
  advance(ms: number, lagMs = 0): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at + lagMs > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at + lagMs);
      next.fn();
    }
    this.t = end;
  }
}
