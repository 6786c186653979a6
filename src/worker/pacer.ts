import type { RateProfile } from '../plan/profile.js';
import type { Clock } from '../shared/clock.js';

/**
 * Open-model schedule of one group's slice. The group's k-th message (or connection) is due at
 * `t0 + k / rate` and belongs to client `k mod groupCount`; this slice owns clients
 * [first, first + count), so it takes k = cycle * groupCount + j for j in its range.
 * Every slice is computed from the same absolute start: the slices of all workers together
 * form exactly the group's schedule, and a slice that falls behind never re-bases it.
 */
export interface ScheduleSpec {
  groupCount: number;
  first: number;
  count: number;
  /** Per second, for the whole group. */
  rate: number;
  t0: number;
  /** Nothing due at or after this instant is emitted (Infinity: run for `cycles`). */
  endAt: number;
  /** How many times each client gets a slot (1 for connecting; Infinity for publishing). */
  cycles: number;
  /**
   * Give up at this instant: slots still unsent then (a generator that fell this far behind) are
   * reported as missed instead of being sent after the run should have ended. Default: never.
   */
  giveUpAt?: number;
  /** Where the measured window starts: slots given up before it are not counted as measured. Default: all are. */
  measureFrom?: number;
  /** Rate stages: slot times follow the profile's area instead of a constant rate. */
  profile?: RateProfile;
}

class Schedule {
  cycle = 0;
  j: number;
  due: number;
  done: boolean;
  constructor(readonly spec: ScheduleSpec) {
    this.j = spec.first;
    this.due = this.compute();
    this.done = spec.count === 0 || spec.rate <= 0 || this.due >= spec.endAt;
  }
  private compute(): number {
    const s = this.spec;
    const k = this.cycle * s.groupCount + this.j;
    return s.t0 + (s.profile ? s.profile.timeFor(k / s.rate) : (k * 1000) / s.rate);
  }
  advance(): void {
    const s = this.spec;
    if (++this.j >= s.first + s.count) {
      this.j = s.first;
      this.cycle++;
    }
    this.due = this.compute();
    if (this.cycle >= s.cycles || this.due >= s.endAt) this.done = true;
  }
  /** Ends the schedule; returns how many slots were left, and how many of them were due at or after `from`. */
  skipRest(from: number): [left: number, dueFrom: number] {
    let n = 0;
    let after = 0;
    while (!this.done) {
      n++;
      if (this.due >= from) after++;
      this.advance();
    }
    return [n, after];
  }
}

/** Called for each slot: which schedule, which client of the group, its sequence number (cycle), when it was due. */
export type Emit = (schedule: number, client: number, seq: number, dueMs: number, nowMs: number) => void;
/**
 * Called once per schedule that gave up, with how many slots it never emitted and how many of those were due
 * at or after the schedule's `measureFrom` (the rest belong to the warm-up).
 */
export type Missed = (schedule: number, slots: number, measuredSlots: number) => void;

export interface PacerOptions {
  /** At most this many slots are emitted per event-loop turn when behind (no unbounded bursts). */
  maxBurst?: number;
  /**
   * Hybrid pacing: sleep on a timer until this long before the next slot, then poll on setImmediate (I/O
   * keeps flowing) until it is due. Node's timers have 1 ms granularity and fire up to ~1 ms early or late,
   * so a timer alone sends ~0.5-1 ms after the intended time; the poll sends within one loop turn. Costs CPU
   * only within `spinMs` of a slot (none while idle). 0: timer only. Default DEFAULT_SPIN_MS.
   */
  spinMs?: number;
}

/** Timer wake-up this long before a slot: covers the timer firing up to ~1 ms late plus its ms rounding. */
export const DEFAULT_SPIN_MS = 2;
/**
 * A poll turn that took longer than this means the thread was preempted while polling (more runnable
 * threads than cores): polling then only costs the thread its wake-up priority and makes slots later, so
 * the pacer goes back to timers alone for SPIN_BACKOFF_MS before trying again.
 */
const SPIN_PREEMPTED_MS = 1;
const SPIN_BACKOFF_MS = 1000;

/** Drives several schedules from one timer; emits every slot once, in due order per schedule. */
export class Pacer {
  private schedules: Schedule[];
  private timer: unknown = null;
  private stopped = false;
  private readonly maxBurst: number;
  private readonly spinMs: number;
  /** Set when a poll turn was requested (clock time), -1 otherwise. */
  private spinSince = -1;
  /** The clock time of the last poll request: a clock that did not move since (a fake one) gets a timer. */
  private lastSpinAt = Number.NaN;
  private spun = 0;
  /** No polling before this clock time (set when polling was preempted). */
  private noSpinUntil = -Infinity;
  private resolveDone!: () => void;
  /** Resolves when every schedule has ended (or stop() was called). */
  readonly done: Promise<void>;

  constructor(
    private readonly clock: Clock,
    specs: ScheduleSpec[],
    private readonly emit: Emit,
    opts: PacerOptions = {},
    private readonly missed: Missed = () => {},
  ) {
    this.schedules = specs.map((s) => new Schedule(s));
    this.maxBurst = opts.maxBurst ?? 1000;
    this.spinMs = opts.spinMs ?? DEFAULT_SPIN_MS;
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  start(): void {
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.resolveDone();
  }

  /**
   * Milliseconds spent polling for a slot (requested poll turn → that turn) since the last call: time the
   * thread's event loop counts as busy though it only waited, so the self-check can leave it out.
   */
  takeSpunMs(): number {
    const ms = this.spun;
    this.spun = 0;
    return ms;
  }

  private tick = (): void => {
    this.timer = null;
    if (this.stopped) return;
    const now = this.clock.now();
    if (this.spinSince >= 0) {
      this.spun += now - this.spinSince;
      if (now - this.spinSince > SPIN_PREEMPTED_MS) this.noSpinUntil = now + SPIN_BACKOFF_MS;
      this.spinSince = -1;
    }
    let budget = this.maxBurst;
    for (let i = 0; i < this.schedules.length; i++) {
      const s = this.schedules[i];
      if (!s.done && now >= (s.spec.giveUpAt ?? Infinity)) this.missed(i, ...s.skipRest(s.spec.measureFrom ?? -Infinity));
      while (!s.done && s.due <= now && budget > 0) {
        this.emit(i, s.j, s.cycle, s.due, now);
        s.advance();
        budget--;
      }
      if (this.stopped) return;
    }
    let next = Infinity;
    for (const s of this.schedules) if (!s.done && s.due < next) next = s.due;
    if (next === Infinity) return this.stop();
    if (budget === 0 && next <= now) {
      this.timer = this.clock.setImmediate(this.tick);
      return;
    }
    const at = this.clock.now();
    const wait = next - at;
    const spinMs = at >= this.noSpinUntil ? this.spinMs : 0;
    if (spinMs > 0 && wait <= spinMs && at !== this.lastSpinAt) {
      // Close to the slot (or already past it): poll on the next loop turn, after I/O.
      this.lastSpinAt = at;
      this.spinSince = at;
      this.timer = this.clock.setImmediate(this.tick);
    } else if (spinMs > 0 && wait > spinMs) {
      this.timer = this.clock.setTimeout(this.tick, Math.max(1, Math.floor(wait - spinMs)));
    } else {
      this.timer = this.clock.setTimeout(this.tick, Math.max(0, Math.ceil(wait)));
    }
  };
}
