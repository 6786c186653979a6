/**
 * Exact merge of the summaries of a distributed run's segments. Counts add up; loss is recomputed from
 * the totals (lost = total expected − total unique received: publishers count what is expected, wherever
 * its subscribers run, and subscribers count what arrived, wherever its publisher ran); percentiles come
 * from the added HDR histograms; the per-QoS verdicts are judged again on the added per-QoS counts.
 * The publish accounting (planned, unsent, unconfirmed …) adds up; the in-flight window is the largest.
 */
import { zeroCounters } from './counters.js';
import { summarize, type Histogram } from './histogram.js';
import { backPressureOf } from './accounting.js';
import { capabilitiesOf, capabilityCounters, withCapabilities } from './capabilities.js';
import { deliveryByQos, publishVerdict } from './qosVerdict.js';
import { willsOf, willVerdict } from './wills.js';
import { HISTOGRAM_KEYS, qosKey, type HistogramKey, type LatencySummary, type Summary } from './types.js';

type Numeric = Record<string, number>;

/** Adds every numeric field (fields a newer version added are added too; others are left out). */
export function sumFields<T extends object>(items: T[]): Numeric {
  const out: Numeric = {};
  for (const item of items) {
    for (const [k, v] of Object.entries(item)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  }
  return out;
}

function addMaps(maps: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m ?? {})) out[k] = (out[k] ?? 0) + v;
  return out;
}

export interface ShardSummary {
  summary: Summary;
  durationSec: number;
}

/**
 * `histograms`: the shards' measured histograms, already added; `durationSec`: the merged window;
 * `crossDuplicates`: per class, deliveries a `$share` group got in several segments beyond the first (shareMerge.ts).
 */
export function mergeSummaries(shards: ShardSummary[], histograms: Record<HistogramKey, Histogram>, durationSec: number, crossDuplicates: [number, number, number] = [0, 0, 0]): Summary {
  const summaries = shards.map((s) => s.summary);
  const conn = sumFields(summaries.map((s) => s.connections));
  const msg = sumFields(summaries.map((s) => s.messages));
  msg.duplicated = (msg.duplicated ?? 0) + crossDuplicates[0] + crossDuplicates[1] + crossDuplicates[2];
  const unique = msg.received - msg.duplicated;
  const messages = { ...msg, lost: Math.max(0, msg.expected - unique) } as Summary['messages'];
  // A window is a level, not a count: the largest in effect anywhere.
  if (msg.inflightWindow !== undefined) messages.inflightWindow = Math.max(0, ...summaries.map((s) => s.messages.inflightWindow ?? 0));
  // Achieved rates: each shard's count in its window, added, over the merged window.
  const inWindow = (pick: (s: Summary) => number) => shards.reduce((n, s) => n + Math.round(pick(s.summary) * s.durationSec), 0);
  const throughput = {
    sentPerSec: durationSec > 0 ? inWindow((s) => s.throughput.sentPerSec) / durationSec : 0,
    receivedPerSec: durationSec > 0 ? inWindow((s) => s.throughput.receivedPerSec) / durationSec : 0,
  };
  const latencyMs = Object.fromEntries(HISTOGRAM_KEYS.map((k) => [k, summarize(histograms[k])])) as Record<HistogramKey, LatencySummary>;
  const delivery = mergedVerdicts(summaries, messages, crossDuplicates);
  const publishing = publishVerdict(messages, delivery.byQos);
  const backPressure = backPressureOf(messages, latencyMs.unsentWait);
  const w = sumFields(summaries.map((s) => s.wills ?? {}));
  const wills = willsOf({ willsExpected: w.expected ?? 0, willsExpectedQos0: w.expectedQos0 ?? 0, willsReceived: w.received ?? 0 });
  if (wills) delivery.verdicts.push(willVerdict(wills));
  return {
    connections: { ...conn, errors: addMaps(summaries.map((s) => s.connections.errors)) } as Summary['connections'],
    messages,
    throughput,
    latencyMs,
    ...delivery,
    verdicts: publishing ? [publishing, ...delivery.verdicts] : delivery.verdicts,
    ...(backPressure ? { backPressure } : {}),
    ...(wills ? { wills } : {}),
  };
}

/** Verdicts judged again on the added counters, and the capabilities added up (the probe results of the first shard that has them). */
function mergedVerdicts(summaries: Summary[], messages: Summary['messages'], crossDuplicates: [number, number, number]) {
  const c = qosCounters(summaries, messages, crossDuplicates);
  for (const s of summaries) {
    for (const [k, v] of Object.entries(capabilityCounters(s.capabilities))) c[k as keyof typeof c] += v ?? 0;
  }
  c.notOffered = messages.notOffered ?? 0;
  c.retainedNotOffered = messages.retainedNotOffered ?? 0;
  const probed = summaries.find((s) => s.capabilities?.probed.length)?.capabilities?.probed ?? [];
  return withCapabilities(deliveryByQos(c), capabilitiesOf(c, probed));
}

/**
 * The raw per-QoS counters behind each shard's `byQos` (expected, unique = received − duplicated,
 * duplicated, out of order; an absent class is all zeros), added up, as the Counters deliveryByQos reads.
 */
function qosCounters(summaries: Summary[], messages: Summary['messages'], crossDuplicates: [number, number, number]) {
  const c = zeroCounters();
  for (const q of [0, 1, 2] as const) {
    c[qosKey(q, 'Duplicated')] += crossDuplicates[q];
    c[qosKey(q, 'Unique')] -= crossDuplicates[q];
  }
  for (const s of summaries) {
    for (const q of [0, 1, 2] as const) {
      const d = s.byQos?.[String(q) as '0' | '1' | '2'];
      if (!d) continue;
      // `expected` is net of the withdrawn deliveries: add them back, deliveryByQos takes them out again.
      const withdrawn = { Unsent: d.unsent ?? 0, Unconfirmed: d.unconfirmed ?? 0, Refused: d.refused ?? 0 };
      c[qosKey(q, 'Expected')] += d.expected + withdrawn.Unsent + withdrawn.Unconfirmed + withdrawn.Refused;
      for (const [k, v] of Object.entries(withdrawn)) c[qosKey(q, k as keyof typeof withdrawn)] += v;
      c[qosKey(q, 'Unique')] += d.received - d.duplicated;
      c[qosKey(q, 'Duplicated')] += d.duplicated;
      c[qosKey(q, 'OutOfOrder')] += d.outOfOrder;
      c[qosKey(q, 'NotEntitled')] += d.notEntitled ?? 0;
      c[qosKey(q, 'AwayAtEnd')] += d.awayAtEnd ?? 0;
    }
  }
  c.retainedExpected = messages.retainedExpected ?? 0;
  c.retainedReceived = messages.retainedReceived ?? 0;
  return c;
}
