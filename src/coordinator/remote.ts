/**
 * Subscribers of other segments, as this process's publishers see them. A segment only knows its own
 * subscribers; those of the other segments are assumed receivable from the start of publishing (late
 * `subscribe[].at` ones from their time, until `subscribe[].until`). What this cannot see: other
 * segments' subscribers that failed to connect or subscribe, or that an event drops with a clean
 * session — their deliveries are counted as expected here and show up as lost after `merge`.
 */
import { AS_PLANNED, NOT_OFFERED, NOT_RECEIVABLE } from '../metrics/ledger.js';
import type { RunPlan } from '../plan/plan.js';
import { markSlots, remoteSubscriptionSlots } from '../plan/segment.js';
import type { Clock } from '../shared/clock.js';

/**
 * Marks the remote slots due at publishing start now (call just before broadcasting `start`) and arms
 * timers for the late ones and for unsubscriptions; returns the timers (cleared on stop).
 */
export function armRemoteReceivers(plan: RunPlan, receivable: Uint8Array, t0: number, clock: Clock): unknown[] {
  const timers: unknown[] = [];
  for (const r of remoteSubscriptionSlots(plan.scenario, plan.slotBase, plan.segment)) {
    const on = r.shared && !plan.offers.shared ? NOT_OFFERED : AS_PLANNED;
    if (r.fromMs === 0) markSlots(receivable, r, on);
    else timers.push(clock.setTimeout(() => markSlots(receivable, r, on), Math.max(0, t0 + r.fromMs - clock.now())));
    if (r.untilMs !== undefined) {
      timers.push(clock.setTimeout(() => markSlots(receivable, r, NOT_RECEIVABLE), Math.max(0, t0 + r.untilMs - clock.now())));
    }
  }
  return timers;
}
