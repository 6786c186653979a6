import { systemClock, type Clock } from '../shared/clock.js';

/** What the wheel calls: a connection's keepalive check (`kaSlot`/`kaIndex` are the wheel's bookkeeping). */
export interface KeepaliveTicker {
  kaSlot: number;
  kaIndex: number;
  tick(): void;
}

/** Sub-slots per tick: a connection is checked once per tick, in the slot its start fell into. */
const SLOTS = 16;

/**
 * One timer for every connection of a thread with the same tick length, instead of a timer per
 * connection: the tick is cut into SLOTS slots, one timer (re-armed on the clock, unref'd on the
 * real one) fires once per slot and checks the connections of that slot. A new connection joins the
 * slot checked last, so its first check comes one whole tick later (± one slot) and connections
 * started at different times stay spread over the tick. The turns keep their cadence (due times are
 * counted from the first, not from when a late timer fired). Per connection this costs two numbers
 * and one array entry; removal swaps with the slot's last entry. No timer runs while it is empty.
 */
export class KeepaliveWheel {
  private readonly slots: KeepaliveTicker[][] = [];
  private readonly slotMs: number;
  private cursor = 0;
  private count = 0;
  private timer: unknown = null;
  /** When the next turn is due (clock ms). */
  private due = 0;
  private readonly fire = (): void => this.onTimer();

  constructor(
    tickMs: number,
    private readonly onEmpty: (w: KeepaliveWheel) => void,
    private readonly clock: Clock = systemClock,
  ) {
    this.slotMs = tickMs / SLOTS;
    for (let k = 0; k < SLOTS; k++) this.slots.push([]);
  }

  /** Connections on the wheel. */
  get size(): number {
    return this.count;
  }

  add(c: KeepaliveTicker): void {
    const slot = (this.cursor + SLOTS - 1) % SLOTS;
    const list = this.slots[slot];
    c.kaSlot = slot;
    c.kaIndex = list.length;
    list.push(c);
    if (this.count++ === 0) {
      this.due = this.clock.now() + this.slotMs;
      this.arm();
    }
  }

  remove(c: KeepaliveTicker): void {
    const list = this.slots[c.kaSlot];
    const k = c.kaIndex;
    if (list === undefined || list[k] !== c) return;
    const last = list.pop()!;
    if (last !== c) {
      list[k] = last;
      last.kaIndex = k;
    }
    c.kaIndex = -1;
    if (--this.count === 0) {
      if (this.timer !== null) this.clock.clearTimeout(this.timer);
      this.timer = null;
      this.onEmpty(this);
    }
  }

  private arm(): void {
    const h = this.clock.setTimeout(this.fire, Math.max(0, this.due - this.clock.now()));
    // The real clock's timer must not keep the thread alive on its own (the sockets do, while open).
    (h as { unref?: () => void } | null)?.unref?.();
    this.timer = h;
  }

  private onTimer(): void {
    this.timer = null;
    this.turn();
    // Re-armed unless the wheel emptied during the turn (or a connection that joined then re-armed it).
    if (this.count === 0 || this.timer !== null) return;
    this.due += this.slotMs;
    const now = this.clock.now();
    if (this.due < now) this.due = now; // a stalled thread: the next turn at once, not a burst to catch up
    this.arm();
  }

  /** @internal One slot's checks (a tick may remove connections from the list: walk it backwards). */
  turn(): void {
    const list = this.slots[this.cursor];
    this.cursor = (this.cursor + 1) % SLOTS;
    for (let k = list.length - 1; k >= 0; k--) {
      if (k < list.length) list[k].tick();
    }
  }
}

/** The thread's wheels, one per tick length (a run has one or a few keepalive values). */
const wheels = new Map<number, KeepaliveWheel>();

/** The wheel for this tick length (created on first use, dropped when its last connection leaves). */
export function keepaliveWheel(tickMs: number): KeepaliveWheel {
  let w = wheels.get(tickMs);
  if (w === undefined) {
    w = new KeepaliveWheel(tickMs, () => wheels.delete(tickMs));
    wheels.set(tickMs, w);
  }
  return w;
}
