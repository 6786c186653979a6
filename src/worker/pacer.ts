import type { Clock } from '../shared/clock.js';
import type { PreciseSlot } from '../shared/preciseTimer.js';
import { DEFAULT_LEAD_MS, leadBefore, nextLeadMs } from './pacerLead.js';
import { Schedule, type ScheduleSpec } from './schedule.js';

export type { ScheduleSpec } from './schedule.js';

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
   * Hybrid pacing without a precise timer: sleep on a timer until this long before the next slot, then poll
   * on setImmediate (I/O keeps flowing) until it is due. Node's timers have 1 ms granularity and fire up to
   * ~1 ms late, so a timer alone sends ~0.5-1 ms after the intended time; the poll sends within one loop
   * turn. 0: timer only (and no precise timer either). Default DEFAULT_SPIN_MS.
   */
  spinMs?: number;
  /**
   * With the clock's precise timer (Clock.precise, a helper thread): wake this long before the slot, then
   * poll the rest. It covers the wake-up's own latency (the message reaching this thread's event loop), so
   * polling is short. Default: adaptive, from DEFAULT_LEAD_MS, following how late the wake-ups come (their
   * 75th percentile, within [MIN_LEAD_MS, MAX_LEAD_MS], src/worker/pacerLead.ts); a number: that lead, fixed.
   */
  leadMs?: number;
  /**
   * Polling is capped at this share of the thread's time (per POLL_WINDOW_MS): past it, the pacer sends on
   * timers alone until the window ends, so dense schedules (slots closer than the poll) never spin a core.
   * Default DEFAULT_POLL_SHARE.
   */
  pollShare?: number;
  /** Use the clock's precise timer, if it has one (starting its helper thread). Default true. */
  precise?: boolean;
}

/** Timer wake-up this long before a slot: covers the timer firing up to ~1 ms late plus its ms rounding. */
export const DEFAULT_SPIN_MS = 2;
export const DEFAULT_POLL_SHARE = 0.1;
const POLL_WINDOW_MS = 100;
/**
 * While polling is off, slots closer than this are sent on a timer (1 ms batches), not on precise wake-ups:
 * each wake-up costs both threads a context switch, too many for slots this dense.
 */
const MIN_PRECISE_MS = 0.25;
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
  /** The current lead of a precise wake-up (adaptive unless PacerOptions.leadMs fixes it). */
  private leadMs: number;
  private readonly adaptLead: boolean;
  /** The instant the precise wake-up was armed for, leadMs before a slot (-1: none, or armed at the slot). */
  private wokeFor = -1;
  /** The slot an early precise wake-up was armed for: once woken, poll until it is due (-1: none). */
  private pollFor = -1;
  private readonly pollShare: number;
  /** The clock's precise timer's wake-up for this pacer (null: none, or spinMs 0). */
  private readonly wake: PreciseSlot | null;
  /** Polling time within the current poll window, and when that window ends. */
  private windowSpun = 0;
  private windowEnd = -Infinity;
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
    this.leadMs = opts.leadMs ?? DEFAULT_LEAD_MS;
    this.adaptLead = opts.leadMs === undefined;
    this.pollShare = opts.pollShare ?? DEFAULT_POLL_SHARE;
    this.wake = this.spinMs > 0 && opts.precise !== false && clock.precise ? clock.precise.slot(this.woken) : null;
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  start(): void {
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.wake?.disarm();
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

  /** A precise wake-up: how late it came (after the instant armed, leadMs before the slot) steers the lead. */
  private woken = (): void => {
    if (this.wokeFor >= 0 && this.adaptLead) this.leadMs = nextLeadMs(this.leadMs, this.clock.now() - this.wokeFor);
    this.wokeFor = -1;
    this.tick();
  };

  private tick = (): void => {
    this.timer = null;
    if (this.stopped) return;
    const now = this.clock.now();
    if (this.spinSince >= 0) this.polled(now);
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
    this.arm(next);
  };

  /** A poll turn came: its time counts as polling; a preempted one, or the window's share used up, stops polling. */
  private polled(now: number): void {
    const ms = now - this.spinSince;
    this.spinSince = -1;
    this.spun += ms;
    if (ms > SPIN_PREEMPTED_MS) this.noSpinUntil = now + SPIN_BACKOFF_MS;
    if (now >= this.windowEnd) {
      this.windowEnd = now + POLL_WINDOW_MS;
      this.windowSpun = 0;
    }
    this.windowSpun += ms;
    if (this.pollShare < 1 && this.windowSpun > this.pollShare * POLL_WINDOW_MS) this.noSpinUntil = Math.max(this.noSpinUntil, this.windowEnd);
  }

  /**
   * How to wake for the next slot, due at `next`: poll when it is close (within the lead with a precise timer,
   * or once woken early for it; spinMs without), else a precise wake-up the lead before it, else a timer (to
   * spinMs before it, or to it).
   */
  private arm(next: number): void {
    const at = this.clock.now();
    const wait = next - at;
    const canPoll = at >= this.noSpinUntil && at !== this.lastSpinAt;
    // The helper thread not started yet (or gone): the timer-and-poll hybrid meanwhile.
    const wake = this.wake && this.clock.precise?.ready ? this.wake : null;
    const lead = this.adaptLead ? leadBefore(this.leadMs, wait) : this.leadMs;
    const window = wake ? lead : this.spinMs;
    const woken = wake !== null && this.pollFor === next;
    this.pollFor = -1;
    if (window > 0 && (wait <= window || woken) && canPoll) {
      // Close to the slot (or already past it): poll on the next loop turn, after I/O, until it is due.
      this.pollFor = next;
      this.lastSpinAt = at;
      this.spinSince = at;
      this.timer = this.clock.setImmediate(this.tick);
    } else if (wake && (at >= this.noSpinUntil || wait > MIN_PRECISE_MS)) {
      // Polling off (used up, preempted, or the clock did not move): wake at the slot itself, else just before it.
      const early = wait > window && at >= this.noSpinUntil;
      this.wokeFor = early ? next - lead : -1;
      this.pollFor = early ? next : -1;
      wake.arm(early ? next - lead : next);
    } else if (this.spinMs > 0 && wait > this.spinMs && at >= this.noSpinUntil) {
      this.timer = this.clock.setTimeout(this.tick, Math.max(1, Math.floor(wait - this.spinMs)));
    } else {
      this.timer = this.clock.setTimeout(this.tick, Math.max(0, Math.ceil(wait)));
    }
  }
}
