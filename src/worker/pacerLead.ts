/**
 * The precise wake-up's lead (src/worker/pacer.ts): the pacer is woken this long before a slot and polls
 * the rest, so the lead covers how late wake-ups reach its event loop, and what it covers beyond that is
 * polling.
 */

/** Precise wake-up this long before a slot at first: about a wake-up's latency on a quiet machine. */
export const DEFAULT_LEAD_MS = 0.1;
/** The adaptive lead's bounds: past MAX_LEAD_MS (a loaded machine) polling would cost more than it saves. */
export const MIN_LEAD_MS = 0.02;
export const MAX_LEAD_MS = 0.3;
/**
 * Before a slot after a long idle wait the lead is at least this share of the wait, up to MAX_IDLE_LEAD_MS:
 * a thread idle that long wakes slower (~0.15 ms after 1 s on a quiet machine, 0.3-0.7 ms on a loaded one),
 * and polling at most 1% of the wait costs next to nothing. The adaptive lead, one step per wake-up, would
 * take minutes to learn that at 1 slot/s.
 */
export const IDLE_LEAD_SHARE = 0.01;
export const MAX_IDLE_LEAD_MS = 1;

/**
 * One step of the adaptive lead: up 3 µs after a wake-up that came later than the lead (past the slot),
 * down 1 µs otherwise, so it settles where 3 wake-ups in 4 come before the slot; one step per wake-up,
 * so an outlier (a preempted thread) moves it little.
 */
export function nextLeadMs(leadMs: number, wakeLateMs: number): number {
  const next = wakeLateMs > leadMs ? leadMs + 0.003 : leadMs - 0.001;
  return next < MIN_LEAD_MS ? MIN_LEAD_MS : next > MAX_LEAD_MS ? MAX_LEAD_MS : next;
}

/** The lead before a slot `waitMs` away: the adaptive one, or after a long idle wait IDLE_LEAD_SHARE of it. */
export function leadBefore(leadMs: number, waitMs: number): number {
  return Math.max(leadMs, Math.min(MAX_IDLE_LEAD_MS, waitMs * IDLE_LEAD_SHARE));
}
