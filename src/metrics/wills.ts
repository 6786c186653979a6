/**
 * Last wills as a stream of their own. A will is owed when its client's connection ends without DISCONNECT
 * (MQTT 3.1.1 §3.1.2.5: the server MUST publish it then, and MUST NOT after a DISCONNECT): each abrupt end adds
 * the deliveries the matching subscriptions should get. Missing wills at QoS 1/2 and wills beyond what was owed
 * (sent after a graceful disconnect, or twice) break the promise; QoS 0 wills may be lost.
 */
import type { Summary } from './types.js';

interface WillCounts {
  willsExpected: number;
  willsExpectedQos0: number;
  willsReceived: number;
}

/** The wills figures, or undefined when no will was owed or received. */
export function willsOf(c: WillCounts): Summary['wills'] | undefined {
  const expected = c.willsExpected ?? 0;
  const expectedQos0 = c.willsExpectedQos0 ?? 0;
  const received = c.willsReceived ?? 0;
  if (expected + expectedQos0 + received === 0) return undefined;
  const missing = Math.max(0, expected + expectedQos0 - received);
  const unexpected = Math.max(0, received - expected - expectedQos0);
  // QoS 0 wills may be lost: only what exceeds them counts against the broker.
  const ok = unexpected === 0 && received >= expected;
  return { expected, expectedQos0, received, missing, unexpected, ok };
}

/** One sentence on the wills. */
export function willVerdict(w: NonNullable<Summary['wills']>): string {
  const owed = w.expected + w.expectedQos0;
  const head = `Last wills: ${owed.toLocaleString('en-US')} deliveries owed after connections ended without DISCONNECT, ${w.received.toLocaleString('en-US')} received`;
  if (w.unexpected > 0)
    return `${head}: promise broken, ${w.unexpected.toLocaleString('en-US')} more than owed (a will sent after a graceful disconnect, or twice).`;
  if (w.received < w.expected) return `${head}: promise broken, ${(w.expected - w.received).toLocaleString('en-US')} QoS 1/2 will deliveries missing.`;
  if (w.missing > 0) return `${head}: kept (${w.missing.toLocaleString('en-US')} QoS 0 will deliveries lost, which QoS 0 allows).`;
  return `${head}: kept.`;
}
