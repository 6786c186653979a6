/**
 * The publish-side accounting of a run (issue 11; README "What the counts mean"). Every slot of the plan
 * ends in exactly one state:
 *   planned = sent + missedSends + unsent
 *   sent    = (QoS 0 written) + accepted + unconfirmed + refused
 * `missedSends`: the generator fell behind; `unsent`: due but never written (window or socket full at the
 * end, client not connected); `unconfirmed`: QoS 1/2 written, never acknowledged, received by nobody;
 * `accepted`: QoS 1/2 acknowledged, or received by a subscriber; `refused`: refused with a reason code.
 * Only the deliveries of written, unrefused messages are expected, and unconfirmed ones are withdrawn, so
 * `lost` counts what the broker had accepted (QoS 1/2) and then did not deliver.
 */
import { qosKey, type Counters, type QosClass } from './counterFields.js';
import type { LatencySummary, Summary } from './summary.js';

/** Expected deliveries (all classes, or one delivery QoS): of the messages written, minus the withdrawn ones. */
export function expectedDeliveries(c: Counters, q?: QosClass): number {
  if (q === undefined) return expectedDeliveries(c, 0) + expectedDeliveries(c, 1) + expectedDeliveries(c, 2);
  return c[qosKey(q, 'Expected')] - c[qosKey(q, 'Unsent')] - c[qosKey(q, 'Unconfirmed')] - c[qosKey(q, 'Refused')];
}

/** Messages written to the socket: handed to the client, minus those it never wrote. */
export const writtenMessages = (c: Counters): number => c.sent - c.notWritten;

type Accounting = Required<
  Pick<Summary['messages'], 'planned' | 'unsent' | 'waitingAtEnd' | 'unconfirmed' | 'accepted' | 'refused' | 'waitedSends' | 'inflightWindow'>
>;

/** The accounting fields of summary.messages. */
export function publishAccounting(c: Counters, inflightWindow: number): Accounting {
  return {
    planned: c.planned,
    unsent: c.unsent + c.notWritten,
    waitingAtEnd: c.waitingAtEnd,
    unconfirmed: c.unconfirmed,
    accepted: c.acked + c.deliveredUnacked,
    refused: c.refused,
    waitedSends: c.waitedSends,
    inflightWindow,
  };
}

const n = (x: number) => x.toLocaleString('en-US');
/** Back-pressure that delayed more than this share of the sends marks the run, as generator lateness does. */
const WAITED_SHARE = 0.01;

/**
 * "planned rate not reached (broker back-pressure)" when messages were still waiting for room (in-flight
 * window or socket) when the run ended, or more than 1% of the sends were late because they waited.
 * Distinct from generator saturation (results.ts), which only the generator's own lateness can cause.
 */
export function backPressureOf(m: Summary['messages'], unsentWait: LatencySummary | undefined): Summary['backPressure'] {
  const waiting = m.waitingAtEnd ?? 0;
  const waited = m.waitedSends ?? 0;
  if (waiting === 0 && waited <= WAITED_SHARE * Math.max(1, m.sent)) return undefined;
  const window = m.inflightWindow ? ` (${n(m.inflightWindow)})` : '';
  const parts: string[] = [];
  if (waited > 0)
    parts.push(`${n(waited)} ${waited === 1 ? 'send' : 'sends'} left late because they waited for room in the in-flight window${window} or the socket`);
  if (waiting > 0) {
    const longest = unsentWait && unsentWait.count > 0 ? `, the longest for ${n(Math.round(unsentWait.max))} ms` : '';
    parts.push(`${n(waiting)} ${waiting === 1 ? 'message was' : 'messages were'} still waiting when the run or their connection ended${longest}`);
  }
  return { reason: `planned rate not reached (broker back-pressure): ${parts.join('; ')}` };
}
