/**
 * The oldest stream horizon of a worker's subscribers (metrics/tail.ts): every client publishers counted as
 * a receiver either delivered, on each of its streams, a message intended at or after it, or received
 * nothing (then the horizon is 0: any expected delivery may have been still on its way).
 */
import type { Device } from './device.js';

/** Epoch ms, or undefined when no client of this worker was ever counted as a receiver. */
export function deliveryHorizon(devices: readonly Device[]): number | undefined {
  let h = Infinity;
  let receivers = 0;
  for (const dev of devices) {
    if (!dev.since.some((t) => t !== undefined)) continue;
    receivers++;
    const own = dev.ledger?.ledger.horizon() ?? Infinity;
    h = Math.min(h, Number.isFinite(own) ? own : 0);
  }
  return receivers === 0 ? undefined : h;
}
