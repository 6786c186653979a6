/**
 * Late or lost? A run's `lost` (expected − unique received) counts every expected delivery that had not
 * arrived when the run ended, so under overload it includes messages the broker had accepted and still
 * held queued when the drain time was up. MQTT keeps one publisher's messages in order on their way to a
 * subscriber (MQTT 3.1.1 §4.6, MQTT 5 §4.6), so on each (publisher → subscriber) stream only what is newer
 * than the stream's last arrival can still be on its way; a message missing behind a later arrival of the
 * same stream was skipped.
 *
 * Each subscriber stream keeps its horizon, the intended time of the newest message it received
 * (streams.ts); the run's horizon is the oldest of them, or publishing start when some counted subscriber
 * received nothing at all. `tailFromSec` is the intended second (since publishing start) it falls in.
 * Missing deliveries of messages intended before that second are proven gaps: every stream had delivered
 * a later message by then. The rest — `lostAtTail` — may have been still undelivered when the drain ended
 * (an upper bound: a real loss late in the run counts there too; a stream that never delivered anything
 * while its client received from other publishers cannot mark its own horizon).
 */
import type { IntervalRow } from './resultsFile.js';
import type { Summary } from './summary.js';

/** The intended second holding `horizonMs` (epoch ms), counted from publishing start `t0`; never negative. */
export function tailFromSec(horizonMs: number, t0: number): number {
  return Math.max(0, Math.floor((horizonMs - t0) / 1000));
}

/**
 * Of `lost`, the deliveries that may have been still undelivered when the run ended: all but the missing
 * deliveries of messages intended before second `fromSec` (interval row t holds intended second t − 1).
 * What the rows do not attribute to a second counts at the tail: never a proof the rows do not give.
 */
export function lostAtTail(lost: number, rows: readonly Pick<IntervalRow, 't' | 'lost'>[], fromSec: number): number {
  let proven = 0;
  for (const r of rows) if (r.t - 1 < fromSec) proven += r.lost;
  return lost - Math.min(lost, proven);
}

/**
 * The summary with its tail split in summary.messages (no-op when nothing is known of the subscribers'
 * horizons), and a QoS verdict that calls loss a broken promise says how much of the loss may be late.
 */
export function withTail<S extends Pick<Summary, 'messages' | 'byQos' | 'verdicts'>>(
  summary: S,
  rows: readonly Pick<IntervalRow, 't' | 'lost'>[],
  fromSec: number | undefined,
): S {
  if (fromSec === undefined) return summary;
  const m = summary.messages;
  const tail = lostAtTail(m.lost, rows, fromSec);
  const out = { ...summary, messages: { ...m, lostAtTail: tail, tailFromSec: fromSec } };
  if (tail === 0) return out;
  const n = (x: number) => x.toLocaleString('en-US');
  const note =
    tail === m.lost
      ? ` (or late: none of the lost was missing behind a later delivery of its publisher; all may have been still queued when the drain ended)`
      : ` (${n(tail)} of all ${n(m.lost)} lost may have been still queued when the drain ended)`;
  const byQos = { ...summary.byQos };
  const verdicts = [...summary.verdicts];
  for (const q of ['0', '1', '2'] as const) {
    const d = byQos[q];
    // Only where the loss broke the promise (QoS 0 may lose: its verdict is about duplicates).
    if (!d || d.lost === 0 || (d.ranAs ?? Number(q)) === 0 || !d.verdict.endsWith(' broken')) continue;
    const i = verdicts.indexOf(d.verdict);
    byQos[q] = { ...d, verdict: d.verdict + note };
    if (i >= 0) verdicts[i] = byQos[q].verdict;
  }
  return { ...out, byQos, verdicts };
}
