import { keepaliveWheel, type KeepaliveTicker, type KeepaliveWheel } from './keepaliveWheel.js';
import { PINGREQ_BYTES } from './leanEncode.js';
import type { LeanOutput } from './leanOutput.js';

/** Keepalive ticks per keepalive period: a PINGREQ after 3 idle ticks (¾–1 period), a timeout 6 ticks (1.5 periods) after it. */
const TICKS_PER_PERIOD = 4;
const PING_AFTER_IDLE_TICKS = 3;
const PING_TIMEOUT_TICKS = 6;

/**
 * A lean connection's keepalive state. It lives in the connection's own fields (an idle connection holds
 * no keepalive object, no timer and no closure): the slot in the thread's KeepaliveWheel, ticks without
 * traffic and ticks since the PINGREQ. Any bytes read (a PINGRESP or anything else) set `pingTicks` to -1.
 */
export interface KeepaliveState extends KeepaliveTicker {
  /** The wheel it is on (null: keepalive 0, not open yet, or stopped). */
  wheel: KeepaliveWheel | null;
  idleTicks: number;
  /** Ticks since the PINGREQ; -1 when none waits for its PINGRESP. */
  pingTicks: number;
}

/** Joins the wheel of this keepalive period (seconds; 0: no keepalive). */
export function startKeepalive(c: KeepaliveState, sec: number): void {
  if (!(sec > 0)) return;
  c.wheel = keepaliveWheel((sec * 1000) / TICKS_PER_PERIOD);
  c.wheel.add(c);
}

export function stopKeepalive(c: KeepaliveState): void {
  c.wheel?.remove(c);
  c.wheel = null;
}

/**
 * One keepalive tick of an open connection: a PINGREQ into its output after PING_AFTER_IDLE_TICKS ticks
 * without sending; true when the PINGRESP is overdue (the connection is lost).
 */
export function keepaliveTick(c: KeepaliveState, output: LeanOutput): boolean {
  if (c.pingTicks >= 0) return ++c.pingTicks >= PING_TIMEOUT_TICKS;
  if (output.sentSinceTick) {
    output.sentSinceTick = false;
    c.idleTicks = 0;
    return false;
  }
  if (++c.idleTicks >= PING_AFTER_IDLE_TICKS) {
    c.idleTicks = 0;
    c.pingTicks = 0;
    output.append(PINGREQ_BYTES);
  }
  return false;
}
