/**
 * What the broker offers of what a scenario uses, and what it does not, in words with counts. A feature the
 * broker does not offer is not a broken promise: its deliveries are counted apart (notOffered) instead of
 * expected, and the QoS a broker grants (SUBACK) or runs a publish with (PUBACK for QoS 2) is the promise
 * the verdicts judge.
 */
import type { Counters } from './counterFields.js';
import type { Capabilities, ProbedCapability, Summary } from './summary.js';

/** The features whose deliveries the ledger stops expecting when the broker does not offer them. */
export interface BrokerOffers {
  /** `$share/<group>/<filter>`: refused, or taken as a literal topic (nothing arrives). */
  shared: boolean;
  /** Retained messages for subscriptions with + or # (a late wildcard subscription gets none). */
  retainedToWildcards: boolean;
}

export const OFFERS_ALL: BrokerOffers = { shared: true, retainedToWildcards: true };

/** What a probe result means for the run: only a clear "not offered" stops expecting deliveries. */
export function offersFrom(probed: readonly ProbedCapability[]): BrokerOffers {
  const not = (f: ProbedCapability['feature']) => probed.some((p) => p.feature === f && p.offered === false);
  return { shared: !not('shared subscriptions'), retainedToWildcards: !not('retained messages to wildcard filters') };
}

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/** The capability counters of a run (its measured Counters) and its probe results, as recorded in the summary. */
export function capabilitiesOf(m: Counters, probed: readonly ProbedCapability[]): Capabilities {
  const subscriptionsDowngraded: Record<string, number> = {};
  if (m.sub2to1) subscriptionsDowngraded['2→1'] = m.sub2to1;
  if (m.sub2to0) subscriptionsDowngraded['2→0'] = m.sub2to0;
  if (m.sub1to0) subscriptionsDowngraded['1→0'] = m.sub1to0;
  const c: Capabilities = {
    probed: [...probed],
    subscriptionsDowngraded,
    sharedRefused: m.subRefusedShared,
    qos2PublishedAsQos1: m.pubQos2AsQos1,
    deliveriesDowngraded: m.arrivedBelowQos,
    notOffered: [],
  };
  c.notOffered = notOfferedSentences(c, m.notOffered, m.retainedNotOffered);
  return c;
}

/** The capability counters back from a recorded summary (to add shards up in `merge`). */
export function capabilityCounters(c: Capabilities | undefined): Partial<Counters> {
  const d = c?.subscriptionsDowngraded ?? {};
  return {
    sub2to1: d['2→1'] ?? 0,
    sub2to0: d['2→0'] ?? 0,
    sub1to0: d['1→0'] ?? 0,
    subRefusedShared: c?.sharedRefused ?? 0,
    pubQos2AsQos1: c?.qos2PublishedAsQos1 ?? 0,
    arrivedBelowQos: c?.deliveriesDowngraded ?? 0,
  };
}

/** "the broker does not offer …" with counts, one sentence per feature; [] when it offered everything used. */
export function notOfferedSentences(c: Omit<Capabilities, 'notOffered'>, notOffered: number, retainedNotOffered: number): string[] {
  const out: string[] = [];
  const probe = (f: ProbedCapability['feature']) => c.probed.find((p) => p.feature === f && p.offered === false);
  const shared = probe('shared subscriptions');
  if (shared || c.sharedRefused > 0) {
    const why = c.sharedRefused > 0 ? `SUBACK refused ${plural(c.sharedRefused, '$share filter')}` : `probe: ${shared!.finding}`;
    out.push(`the broker does not offer shared subscriptions (${why}): ${plural(notOffered, 'delivery', 'deliveries')} to $share filters not expected`);
  }
  const retained = probe('retained messages to wildcard filters');
  if (retained) {
    out.push(
      `the broker does not offer retained messages to wildcard filters (probe: ${retained.finding}): ${plural(retainedNotOffered, 'retained message')} for late wildcard subscriptions not expected`,
    );
  }
  const d = c.subscriptionsDowngraded;
  const to1 = d['2→1'] ?? 0;
  const to0 = d['2→0'] ?? 0;
  if (to1 + to0 > 0) {
    const granted = [to1 ? `QoS 1 to ${n(to1)}` : '', to0 ? `QoS 0 to ${n(to0)}` : ''].filter(Boolean).join(' and ');
    out.push(`the broker does not offer QoS 2 subscriptions: SUBACK granted ${granted} of them; their deliveries are judged at the granted QoS`);
  }
  if ((d['1→0'] ?? 0) > 0)
    out.push(`the broker does not offer QoS 1 subscriptions: SUBACK granted QoS 0 to ${n(d['1→0'])} of them; their deliveries are judged at QoS 0`);
  if (c.qos2PublishedAsQos1 > 0) {
    out.push(
      `the broker does not offer QoS 2 publishing: ${plural(c.qos2PublishedAsQos1, 'QoS 2 publish', 'QoS 2 publishes')} acknowledged with PUBACK (run as QoS 1); their deliveries are judged as at least once`,
    );
  }
  if (c.deliveriesDowngraded > 0)
    out.push(`the broker delivered ${plural(c.deliveriesDowngraded, 'message')} with a lower QoS than the subscription was granted`);
  const qos2 = probe('QoS 2');
  if (qos2 && to1 + to0 === 0 && c.qos2PublishedAsQos1 === 0) out.push(`the broker does not offer QoS 2 (probe: ${qos2.finding})`);
  return out;
}

/** The per-QoS verdicts, then what the broker does not offer (one sentence each), and the capabilities record. */
export function withCapabilities(d: Pick<Summary, 'byQos' | 'verdicts'>, capabilities: Capabilities): Pick<Summary, 'byQos' | 'verdicts' | 'capabilities'> {
  const said = capabilities.notOffered.map((s) => s.charAt(0).toUpperCase() + s.slice(1));
  return { byQos: d.byQos, verdicts: [...d.verdicts, ...said], capabilities };
}
