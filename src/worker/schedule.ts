import type { RateProfile } from '../plan/profile.js';

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

export class Schedule {
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
