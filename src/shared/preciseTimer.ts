import { nextWaitMs, trackOvershoot } from './preciseWait.js';

/**
 * Sub-millisecond wake-ups without polling. Node's timers have whole-millisecond delays (a timer fires
 * 0.1-1.1 ms after the instant it was meant for), and polling for the rest burns the thread's core. Here a
 * helper thread sleeps on a futex (Atomics.wait takes fractional milliseconds) until the earliest armed
 * instant, then posts a message: the owner's event loop wakes at once (a MessagePort is a uv_async), about
 * 0.05 ms after the instant on an idle machine. Idle, the helper sleeps and costs nothing.
 */
export interface PreciseTimer {
  /** True once the helper thread runs (wake-ups armed before would come when it starts, late). */
  readonly ready: boolean;
  /**
   * A wake-up for `fn`, armed and disarmed as often as needed (no allocation per wake-up). The first slot
   * starts the helper thread (~10 MiB: its own V8 isolate), so a worker that never paces never pays for it.
   */
  slot(fn: () => void): PreciseSlot;
}

export interface PreciseSlot {
  /** Run `fn` on the owner's event loop at or just after `atMs` (epoch ms, Clock.now()); replaces an armed one. */
  arm(atMs: number): void;
  disarm(): void;
}

/** The members of worker_threads.Worker used here: the constructor is passed in (only entries import worker_threads). */
export interface ThreadLike {
  on(event: 'message', fn: (m: unknown) => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}
export type ThreadCtor = new (code: string, opts: { eval: true; workerData: SharedArrayBuffer }) => ThreadLike;

// The helper: [0] generation (bumped on every change), [1] closed; the target instant (0: none) at byte 8.
// It sleeps in stages and finishes a wait that ended early by checking the time (src/shared/preciseWait.ts).
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const state = new Int32Array(workerData, 0, 2);
const target = new Float64Array(workerData, 8, 1);
const origin = performance.timeOrigin;
const now = () => origin + performance.now();
${nextWaitMs.toString()}
${trackOvershoot.toString()}
let over = 0.1;
let waited = -1;
parentPort.postMessage(-1);
for (;;) {
  const g = Atomics.load(state, 0);
  if (Atomics.load(state, 1) !== 0) break;
  const at = target[0];
  if (at > 0) {
    const ms = nextWaitMs(at - now(), over, waited === g);
    if (ms > 0) {
      const t = now();
      if (Atomics.wait(state, 0, g, ms) !== 'timed-out') continue;
      over = trackOvershoot(over, now() - t - ms, ms);
      waited = g;
      continue;
    }
    while (now() < at && Atomics.load(state, 0) === g);
    if (Atomics.load(state, 0) !== g) continue;
    parentPort.postMessage(g);
  }
  Atomics.wait(state, 0, g);
}
`;

class Slot implements PreciseSlot {
  at = 0;
  constructor(
    readonly owner: ThreadTimer,
    readonly fn: () => void,
  ) {}
  arm(atMs: number): void {
    this.at = atMs;
    this.owner.sync();
  }
  disarm(): void {
    if (this.at === 0) return;
    this.at = 0;
    this.owner.sync();
  }
}

class ThreadTimer implements PreciseTimer {
  ready = false;
  private readonly slots: Slot[] = [];
  private readonly state: Int32Array;
  private readonly target: Float64Array;
  private thread: ThreadLike | null = null;
  private firing = false;
  private refd = false;
  private closed = false;

  constructor(
    private readonly Thread: ThreadCtor,
    private readonly now: () => number,
  ) {
    const sab = new SharedArrayBuffer(16);
    this.state = new Int32Array(sab, 0, 2);
    this.target = new Float64Array(sab, 8, 1);
  }

  private start(): ThreadLike {
    const thread = new this.Thread(THREAD_CODE, { eval: true, workerData: this.state.buffer as SharedArrayBuffer });
    thread.unref();
    thread.on('message', (m) => (m === -1 ? (this.ready = true) : this.fire()));
    // A helper that died: never wait for it again; what was armed runs now (its owner re-arms on timers).
    thread.on('error', () => this.fail());
    return thread;
  }

  slot(fn: () => void): PreciseSlot {
    if (!this.thread && !this.closed) this.thread = this.start();
    const s = new Slot(this, fn);
    this.slots.push(s);
    return s;
  }

  /** Points the helper at the earliest armed instant (or at nothing); keeps the process alive while one is armed. */
  sync(): void {
    if (this.firing || this.closed || !this.thread) return;
    let at = 0;
    for (const s of this.slots) if (s.at > 0 && (at === 0 || s.at < at)) at = s.at;
    if (at !== 0 && !this.refd) this.thread.ref();
    else if (at === 0 && this.refd) this.thread.unref();
    this.refd = at !== 0;
    if (this.target[0] === at) return;
    this.target[0] = at;
    Atomics.add(this.state, 0, 1);
    Atomics.notify(this.state, 0);
  }

  private fire(): void {
    const t = this.now();
    this.firing = true;
    try {
      for (const s of this.slots) {
        if (s.at === 0 || s.at > t) continue;
        s.at = 0;
        s.fn();
      }
    } finally {
      this.firing = false;
    }
    // Re-arms (also after a message for an instant that had moved: the helper waits for a new generation).
    this.target[0] = Number.NaN;
    this.sync();
  }

  private fail(): void {
    this.ready = false;
    this.closed = true;
    this.thread?.unref();
    for (const s of this.slots) {
      if (s.at === 0) continue;
      s.at = 0;
      s.fn();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ready = false;
    Atomics.store(this.state, 1, 1);
    Atomics.add(this.state, 0, 1);
    Atomics.notify(this.state, 0);
    this.thread?.unref();
  }
}

/** The precise timer; its helper thread starts with the first slot (pass worker_threads.Worker). close() lets it end. */
export function startPreciseTimer(Thread: ThreadCtor, now: () => number): PreciseTimer & { close(): void } {
  return new ThreadTimer(Thread, now);
}
