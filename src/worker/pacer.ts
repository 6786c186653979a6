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
  /** Ends the schedule; returns how many slots were left. */
  skipRest(): number {
    let n = 0;
    while (!this.done) {
      n++;
      this.advance();
    }
    return n;
  }
}

/** Called for each slot: which schedule, which client of the group, its sequence number (cycle), when it was due. */
export type Emit = (schedule: number, client: number, seq: number, dueMs: number, nowMs: number) => void;
/** Called once per schedule that gave up, with how many slots it never emitted. */
export type Missed = (schedule: number, slots: number) => void;

export interface PacerOptions {
  /** At most this many slots are emitted per event-loop turn when behind (no unbounded bursts). */
  maxBurst?: number;
}

/** Drives several schedules from one timer; emits every slot once, in due order per schedule. */
export class Pacer {
  private schedules: Schedule[];
  private timer: unknown = null;
  private stopped = false;
  private readonly maxBurst: number;
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

  private tick = (): void => {
    this.timer = null;
    if (this.stopped) return;
    const now = this.clock.now();
    let budget = this.maxBurst;
    for (let i = 0; i < this.schedules.length; i++) {
      const s = this.schedules[i];
      if (!s.done && now >= (s.spec.giveUpAt ?? Infinity)) this.missed(i, s.skipRest());
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
    } else {
      this.timer = this.clock.setTimeout(this.tick, Math.max(0, Math.ceil(next - this.clock.now())));
    }
  };
}
