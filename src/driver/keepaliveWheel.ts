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
 * connection: the tick is cut into SLOTS slots, the timer fires once per slot and checks the
 * connections of that slot. A new connection joins the slot checked last, so its first check comes one
 * whole tick later (± one slot) and connections started at different times stay spread over the tick.
 * Per connection this costs two numbers and one array entry; removal swaps with the slot's last entry.
 */
export class KeepaliveWheel {
  private readonly slots: KeepaliveTicker[][] = [];
  private cursor = 0;
  private count = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tickMs: number,
    private readonly onEmpty: (w: KeepaliveWheel) => void,
  ) {
    for (let k = 0; k < SLOTS; k++) this.slots.push([]);
  }

  add(c: KeepaliveTicker): void {
    const slot = (this.cursor + SLOTS - 1) % SLOTS;
    const list = this.slots[slot];
    c.kaSlot = slot;
    c.kaIndex = list.length;
    list.push(c);
    if (this.count++ === 0) {
      this.timer = setInterval(turn, this.tickMs / SLOTS, this);
      this.timer.unref();
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
      clearInterval(this.timer!);
      this.timer = null;
      this.onEmpty(this);
    }
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

function turn(w: KeepaliveWheel): void {
  w.turn();
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
