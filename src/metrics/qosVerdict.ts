import { qosKey, type Counters, type QosClass, type QosDelivery, type Summary } from './types.js';

const PROMISE: Record<QosClass, string> = { 0: 'at most once', 1: 'at least once', 2: 'exactly once' };

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

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
    const expected = m[qosKey(q, 'Expected')];
    const unique = m[qosKey(q, 'Unique')];
    const dup = m[qosKey(q, 'Duplicated')];
    if (expected === 0 && unique === 0 && dup === 0 && m[qosKey(q, 'NotEntitled')] === 0 && m[qosKey(q, 'AwayAtEnd')] === 0) continue;
    const d = withSessions(judgeQos(q, expected, unique, dup, m[qosKey(q, 'OutOfOrder')], q === 2 && m.pubQos2AsQos1 > 0 ? 1 : q), m[qosKey(q, 'NotEntitled')], m[qosKey(q, 'AwayAtEnd')]);
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
  if (received < expected) return `Retained: ${n(expected - received)} of ${n(expected)} retained messages never reached the late subscriptions — retain broken`;
  return `Retained: ${n(received)} retained deliveries for ${n(expected)} expected (${n(received - expected)} more than the topics published)`;
}

/**
 * The promises the broker broke, in the verdicts' words: loss at QoS 1/2 or duplicates at QoS 2 (judged at the
 * QoS in effect), and retained messages missing where the broker offers them. What the broker does not offer is
 * no broken promise (it is counted apart). Empty when every promise held.
 */
export function brokenPromises(summary: Pick<Summary, 'byQos' | 'messages'>): string[] {
  const out: string[] = [];
  for (const q of ['1', '2'] as const) {
    const d = summary.byQos?.[q];
    if (d && !d.ok) out.push(d.verdict);
  }
  const m = summary.messages;
  if ((m.retainedReceived ?? 0) < (m.retainedExpected ?? 0)) out.push(retainedVerdict(m.retainedExpected, m.retainedReceived)!);
  return out;
}
