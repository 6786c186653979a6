/**
 * The end of the publishing phase. A whole run drains: it polls the workers until every expected delivery
 * arrived and nothing is in flight, or the scenario's drain time is up; then publishing stops (what still waits
 * is unsent) and what was written gets a moment to arrive before any connection closes. A segment, which
 * cannot see the others' progress, stops at its fixed instant after the same quiesce.
 */
import type { Clock } from '../shared/clock.js';
import type { WorkerPool } from './pool.js';
import type { DeliveryProgress } from './protocol.js';

const DRAIN_POLL_MS = 100;

/** After the drain time: how long what was already written may still take to reach the subscribers. */
const QUIESCE_MS = 1000;

export async function drain(pool: WorkerPool, clock: Clock, drainMs: number): Promise<void> {
  const poll = async () => {
    const replies = pool.waitAll('progress');
    pool.broadcast({ type: 'progress?' });
    const ps = (await replies).map((m) => m.progress);
    const sum = (f: (p: DeliveryProgress) => number) => ps.reduce((n, p) => n + f(p), 0);
    return { got: sum((p) => p.uniqueReceived), expected: sum((p) => p.expected), inflight: sum((p) => p.inflight) };
  };
  const until = clock.now() + drainMs;
  while (clock.now() < until) {
    const p = await poll();
    if (p.got >= p.expected && p.inflight === 0) return;
    await new Promise((r) => clock.setTimeout(() => r(undefined), DRAIN_POLL_MS));
  }
  // Publishes still waiting (a slow broker) or unacknowledged: stop publishing, then give what was written a
  // moment to arrive, so subscribers closing at the same instant as publishers cannot turn it into loss.
  pool.broadcast({ type: 'quiesce' });
  const grace = clock.now() + Math.min(QUIESCE_MS, drainMs);
  while (clock.now() < grace) {
    const p = await poll();
    if (p.got >= p.expected) return;
    await new Promise((r) => clock.setTimeout(() => r(undefined), DRAIN_POLL_MS));
  }
}

/** A segment stops at a fixed instant (every segment the same): publishing stops a moment before it (see drain). */
export async function quiesceAt(pool: WorkerPool, clock: Clock, stopAt: number, drainMs: number): Promise<void> {
  await sleepUntil(clock, stopAt - Math.min(QUIESCE_MS, drainMs));
  pool.broadcast({ type: 'quiesce' });
  await sleepUntil(clock, stopAt);
}

export function sleepUntil(clock: Clock, at: number): Promise<void> {
  return new Promise((r) => clock.setTimeout(() => r(), Math.max(0, at - clock.now())));
}
