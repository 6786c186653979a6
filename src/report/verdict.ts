/**
 * The one-line delivery verdict: did every expected delivery arrive exactly once?
 */
import type { Results } from '../metrics/resultsFile.js';
import type { Summary } from '../metrics/summary.js';
import { closedConnections, lossCaveat } from './closedConnections.js';
import { fmtInt, fmtPercent } from './format.js';

function plural(n: number, one: string, many: string): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

/** Whether the run kept its delivery promise: nothing lost, nothing duplicated. */
export function deliveryOk(messages: Summary['messages']): boolean {
  return messages.lost === 0 && messages.duplicated === 0;
}

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function topReason(errors: Record<string, number> | undefined): string {
  const top = Object.entries(errors ?? {}).sort((a, b) => b[1] - a[1])[0];
  return top ? `: ${top[0]}${top[1] > 1 ? ` ×${fmtInt(top[1])}` : ''}` : '';
}

/**
 * Why no delivery was expected, in a true sentence: "no subscription matched" only when messages were sent
 * and no subscription matched them — not for a run interrupted before publishing, connections that failed
 * (e.g. refused credentials), a scenario without publishers or subscribers, or a generator so far behind
 * that no message due in the measured window was sent.
 */
// eslint-disable-next-line complexity -- debt: one reason per case in one chain; a table of cases would do
export function nothingExpectedReason(results: Pick<Results, 'status' | 'statusReason' | 'summary' | 'scenario'>): string {
  const { messages: m, connections: c } = results.summary;
  // From the scenario in the results; a file without its groups is taken to have both.
  const groups = Array.isArray(results.scenario?.groups) && results.scenario.groups.length > 0 ? results.scenario.groups.filter(isRecord) : undefined;
  const publishes = m.sent > 0 || (groups ? groups.some((g) => g.publish !== undefined) : true);
  const subscribes = m.received > 0 || (groups ? groups.some((g) => Array.isArray(g.subscribe) && g.subscribe.length > 0) : true);
  if (m.sent === 0 && results.status !== 'complete' && /interrupted/.test(results.statusReason ?? '')) {
    return 'nothing was checked: the run was interrupted before any message was sent';
  }
  if (c && c.succeeded === 0 && c.attempted > 0) return `nothing was checked: no connection succeeded${topReason(c.errors)}`;
  if (!publishes && (m.otherRuns ?? 0) > 0)
    return `nothing expected: no group of this run publishes; ${plural(m.otherRuns ?? 0, 'message', 'messages')} of other mqbench runs were timed (end-to-end latency), not checked for loss or duplicates`;
  if (!publishes) return 'nothing to check: no group publishes';
  if (m.sent === 0 && (m.missedSends ?? 0) > 0) {
    return `nothing was checked: none of the messages due in the measured window was sent (${fmtInt(m.missedSends)} missed: the generator fell behind)`;
  }
  if (m.sent === 0 && c && c.failed > 0)
    return `nothing was checked: no message was sent (${fmtInt(c.failed)} of ${fmtInt(c.attempted)} connections failed${topReason(c.errors)})`;
  if (m.sent === 0) return 'nothing was checked: no message was sent in the measured window';
  if (!subscribes) return 'nothing to check: no group subscribes';
  if (c && c.subscribeFailed > 0) return `nothing was checked: the broker refused ${plural(c.subscribeFailed, 'subscription', 'subscriptions')}`;
  return 'no deliveries were expected (no subscription matched), nothing to check';
}

/**
 * "Delivery: all 60,000 expected messages received, no duplicates", or, when something went wrong,
 * what was lost and duplicated in words, e.g.
 * "Delivery: 12 of 60,000 expected messages lost (0.02%), 3 duplicate deliveries". With the whole results,
 * nothing expected is explained (nothingExpectedReason) and loss while connections closed gets its caveat.
 */
export function deliveryVerdict(messages: Summary['messages'], results?: Pick<Results, 'status' | 'statusReason' | 'summary' | 'scenario'>): string {
  const { expected, lost } = messages;
  if (deliveryOk(messages)) {
    if (expected === 0) return `Delivery: ${results ? nothingExpectedReason(results) : 'no deliveries were expected, nothing to check'}`;
    return `Delivery: all ${plural(expected, 'expected message', 'expected messages')} received, no duplicates`;
  }
  const closed = lost > 0 && results ? closedConnections(results.summary.connections) : null;
  const drainMs = typeof results?.scenario?.drainMs === 'number' ? results.scenario.drainMs : undefined;
  return `${lossVerdict(messages, drainMs)}${closed ? lossCaveat(closed) : ''}`;
}

/**
 * How much of `lost` was proven and how much may have been late (metrics/tail.ts), e.g. "9 of them not behind
 * a later delivery: maybe still queued when the 3 s drain ended (raise `drain` to tell late from lost)".
 * Empty without the split.
 */
export function tailPart(m: Pick<Summary['messages'], 'lost' | 'lostAtTail'>, drainMs?: number): string {
  const tail = m.lostAtTail;
  if (tail === undefined || m.lost === 0) return '';
  if (tail === 0) return '; every one missing behind a later delivery of its publisher';
  const drain = drainMs === undefined ? 'the drain' : `the ${(drainMs / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 })} s drain`;
  const late = `may have been still queued when ${drain} ended (raise \`drain\` to tell late from lost)`;
  if (tail === m.lost) return `; none missing behind a later delivery: ${m.lost === 1 ? 'it' : 'all'} ${late}`;
  return `; ${fmtInt(tail)} of them not behind a later delivery: ${tail === 1 ? 'it' : 'they'} ${late}`;
}

function lossVerdict(messages: Summary['messages'], drainMs?: number): string {
  const { expected, lost, duplicated } = messages;
  const lostPart =
    lost === 0
      ? `all ${plural(expected, 'expected message', 'expected messages')} received`
      : `${fmtInt(lost)} of ${plural(expected, 'expected message', 'expected messages')} lost (${fmtPercent(lost, expected)}${tailPart(messages, drainMs)})`;
  const dupPart = duplicated === 0 ? 'no duplicates' : plural(duplicated, 'duplicate delivery', 'duplicate deliveries');
  const joiner = lost !== 0 && duplicated !== 0 ? ' and ' : lost === 0 ? ', but ' : ', ';
  return `Delivery: ${lostPart}${joiner}${dupPart}`;
}
