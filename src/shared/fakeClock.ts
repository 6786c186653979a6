import type { Clock } from './clock.js';

/** A manual clock for unit tests: time moves only when the test advances it. */
export class FakeClock implements Clock {
  private timers: { at: number; id: number; fn: () => void }[] = [];
  private nextId = 1;

  constructor(private t = 1_000_000) {}

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
