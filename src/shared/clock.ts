import { performance } from 'node:perf_hooks';
import type { PreciseTimer } from './preciseTimer.js';

/** Time source and timers, passed in so tests can drive a fake clock. */
export interface Clock {
  /** Epoch milliseconds with sub-millisecond precision; comparable across worker threads. */
  now(): number;
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Run `fn` on the next event-loop turn (after I/O). */
  setImmediate(fn: () => void): unknown;
  /** Sub-millisecond wake-ups (a helper thread), where the thread has one: the pacer's way to be on time without polling. */
  precise?: PreciseTimer;
}

/**
 * performance.timeOrigin differs per thread but each is an epoch timestamp, so
 * timeOrigin + performance.now() is one clock for every thread of the process.
 */
// Read once per thread (each thread loads its own copy of this module): the getter costs a native call per now().
const ORIGIN = performance.timeOrigin;

export const systemClock: Clock = {
  now: () => ORIGIN + performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setImmediate: (fn) => setImmediate(fn),
};

export const sleep = (clock: Clock, ms: number): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, ms));
