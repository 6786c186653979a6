import { expectedDeliveries } from './accounting.js';
import { willVerdict } from './wills.js';
import { qosKey, type Counters, type QosClass } from './counterFields.js';
import type { QosDelivery, Summary } from './summary.js';

const PROMISE: Record<QosClass, string> = { 0: 'at most once', 1: 'at least once', 2: 'exactly once' };

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;
const were = (x: number) => plural(x, 'was', 'were');

/**
 * What each QoS promises, checked against what happened: QoS 0 (at most once) may lose but not
 * duplicate; QoS 1 (at least once) may duplicate but not lose; QoS 2 (exactly once) may do neither.
 * Out-of-order arrivals are reported but break no promise (MQTT orders per topic only under conditions).
 * `ranAs`: the QoS the broker actually ran the class with, when lower (QoS 2 publishes acknowledged with a
 * PUBACK run as QoS 1): that is the promise judged.
 */
export function judgeQos(q: QosClass, expected: number, unique: number, duplicated: number, outOfOrder: number, ranAs: QosClass = q): QosDelivery {
  const lost = Math.max(0, expected - unique);
  const lossOk = ranAs === 0;
  const dupOk = ranAs === 1;
  const ok = (lost === 0 || lossOk) && (duplicated === 0 || dupOk);
  const parts: string[] = [];
  if (lost === 0) parts.push('no loss');
  else parts.push(`${plural(lost, 'lost', 'lost')}${lossOk ? ' (allowed)' : ''}`);
  if (duplicated === 0) parts.push('no duplicates');
  else parts.push(`${plural(duplicated, 'duplicate')}${dupOk ? ' (allowed)' : ''}`);
  if (outOfOrder > 0) parts.push(`${n(outOfOrder)} out of order`);
  let verdict = `QoS ${q}${ranAs !== q ? ` (run as QoS ${ranAs} by the broker: ${PROMISE[ranAs]})` : ''}: ${parts.join(', ')}`;
  if (!ok) verdict += ` — ${PROMISE[ranAs].replace(/ /g, '-')} broken`;
  return { expected, received: unique + duplicated, lost, duplicated, outOfOrder, ok, verdict, ...(ranAs !== q ? { ranAs } : {}) };
}

export function deliveryByQos(m: Counters): Pick<Summary, 'byQos' | 'verdicts'> {
  const byQos: Summary['byQos'] = {};
  const verdicts: string[] = [];
  for (const q of [0, 1, 2] as const) {
    const expected = expectedDeliveries(m, q);
    const unique = m[qosKey(q, 'Unique')];
    const dup = m[qosKey(q, 'Duplicated')];
    const withdrawn = { unsent: m[qosKey(q, 'Unsent')], unconfirmed: m[qosKey(q, 'Unconfirmed')], refused: m[qosKey(q, 'Refused')] };
    const sessions = m[qosKey(q, 'NotEntitled')] + m[qosKey(q, 'AwayAtEnd')];
    if (expected === 0 && unique === 0 && dup === 0 && sessions + withdrawn.unsent + withdrawn.unconfirmed + withdrawn.refused === 0) continue;
    const judged = judgeQos(q, expected, unique, dup, m[qosKey(q, 'OutOfOrder')], q === 2 && m.pubQos2AsQos1 > 0 ? 1 : q);
    const d = { ...withSessions(judged, m[qosKey(q, 'NotEntitled')], m[qosKey(q, 'AwayAtEnd')]), ...withdrawn };
    byQos[String(q) as '0' | '1' | '2'] = d;
    verdicts.push(d.verdict);
  }
  const rv = retainedVerdict(m.retainedExpected, m.retainedReceived);
  if (rv) verdicts.push(rv);
  return { byQos, verdicts };
}

/** Deliveries that sessions were not owed (ended) or never got within the run (still away): counted apart, never lost. */
function withSessions(d: QosDelivery, notEntitled: number, awayAtEnd: number): QosDelivery {
  const notes: string[] = [];
  if (notEntitled > 0) notes.push(`${n(notEntitled)} not entitled (session ended)`);
  if (awayAtEnd > 0) notes.push(`${n(awayAtEnd)} still queued for away sessions at the end`);
  if (notes.length === 0) return { ...d, notEntitled, awayAtEnd };
  const [head, ...broken] = d.verdict.split(' — ');
  return { ...d, notEntitled, awayAtEnd, verdict: [`${head}, ${notes.join(', ')}`, ...broken].join(' — ') };
}

/** Late subscriptions and the retained messages they should get (one per matching retained topic). */
export function retainedVerdict(expected: number, received: number): string | null {
  if (expected === 0 && received === 0) return null;
  if (received === expected) return `Retained: all ${n(expected)} retained messages reached the late subscriptions`;
  if (received < expected)
    return `Retained: ${n(expected - received)} of ${n(expected)} retained messages never reached the late subscriptions — retain broken`;
  return `Retained: ${n(received)} retained deliveries for ${n(expected)} expected (${n(received - expected)} more than the topics published)`;
}

/**
 * What happened to the planned messages, in words, when not every one was sent and accepted, e.g.
 * "Publishing: the broker accepted 2,703 of 5,000 planned messages: it acknowledged more slowly than the
 * planned rate (2,297 still waiting for room when the run or their connection ended); nothing it accepted
 * was lost". Null when every planned message was sent (and, at QoS 1/2, accepted).
 */
export function publishVerdict(m: Summary['messages'], byQos: Summary['byQos']): string | null {
  const planned = m.planned ?? 0;
  const [unsent, waiting, unconfirmed, refused, accepted] = [m.unsent, m.waitingAtEnd, m.unconfirmed, m.refused, m.accepted].map((x) => x ?? 0);
  const missed = m.missedSends ?? 0;
  if (planned === 0 || unsent + unconfirmed + refused + missed === 0) return null;
  const atLeastOnce = accepted + unconfirmed + refused > 0 || byQos['1'] !== undefined || byQos['2'] !== undefined;
  const qos0 = Math.max(0, m.sent - accepted - unconfirmed - refused);
  const head =
    qos0 === 0
      ? `Publishing: the broker accepted ${n(accepted)} of ${plural(planned, 'planned message')}`
      : accepted + unconfirmed + refused === 0
        ? `Publishing: ${n(qos0)} of ${plural(planned, 'planned message')} ${qos0 === 1 ? 'was' : 'were'} sent (QoS 0)`
        : `Publishing: of ${plural(planned, 'planned message')}, ${were(qos0)} sent at QoS 0 and the broker accepted ${n(accepted)}`;
  const why: string[] = [];
  if (waiting > 0)
    why.push(
      `it ${atLeastOnce ? 'acknowledged' : 'read'} more slowly than the planned rate (${n(waiting)} still waiting for room when the run or their connection ended)`,
    );
  if (unsent > waiting) why.push(`${were(unsent - waiting)} due while their client was not connected (or its backlog was full)`);
  if (unconfirmed > 0) why.push(`${were(unconfirmed)} written but never acknowledged (the connection or session ended) and reached no subscriber`);
  if (refused > 0) why.push(`${were(refused)} refused (reasons under connection problems)`);
  if (missed > 0) why.push(`the generator missed ${plural(missed, 'slot')}`);
  const lost = (byQos['1']?.lost ?? 0) + (byQos['2']?.lost ?? 0);
  const tail = !atLeastOnce
    ? []
    : [
        lost === 0
          ? 'nothing it accepted was lost'
          : `${plural(lost, 'delivery', 'deliveries')} of messages it accepted were lost${(m.lostAtTail ?? 0) > 0 ? ' (some maybe still queued when the drain ended: see Delivery)' : ''}`,
      ];
  return `${head}: ${[...why, ...tail].join('; ')}`;
}

/**
 * The promises the broker broke, in the verdicts' words: loss at QoS 1/2 or duplicates at QoS 2 (judged at the
 * QoS in effect), and retained messages missing where the broker offers them. What the broker does not offer is
 * no broken promise (it is counted apart). Empty when every promise held.
 */
export function brokenPromises(summary: Pick<Summary, 'byQos' | 'messages' | 'wills'>): string[] {
  const out: string[] = [];
  for (const q of ['1', '2'] as const) {
    const d = summary.byQos?.[q];
    if (d && !d.ok) out.push(d.verdict);
  }
  const m = summary.messages;
  if ((m.retainedReceived ?? 0) < (m.retainedExpected ?? 0)) out.push(retainedVerdict(m.retainedExpected, m.retainedReceived)!);
  if (summary.wills && !summary.wills.ok) out.push(willVerdict(summary.wills));
  return out;
}
