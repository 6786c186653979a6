/**
 * Groups that publish in a closed loop (publish.rate: max): each client sends its next message when its
 * in-flight window has room, so the broker's speed sets the pace and no send is ever "late". That is a closed
 * model: its latency is not corrected for coordinated omission (a slow ack delays the next send instead of
 * showing up as latency), and throughput is the result, not the plan. Said plainly, first among the verdicts.
 */
import type { Summary } from './types.js';

type Rec = Record<string, unknown>;
const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The names of the closed-loop groups of a scenario record (their publish.rate is recorded as "max"). */
export function closedLoopGroups(scenario: Rec): string[] {
  const groups = Array.isArray(scenario.groups) ? scenario.groups.filter(isRecord) : [];
  return groups.filter((g) => isRecord(g.publish) && g.publish.rate === 'max').map((g) => String(g.name));
}

export function withClosedLoop(summary: Summary, scenario: Rec): Summary {
  const groups = closedLoopGroups(scenario);
  if (groups.length === 0) return summary;
  const note =
    `Closed model: ${groups.length === 1 ? 'group' : 'groups'} ${groups.join(', ')} ${groups.length === 1 ? 'publishes' : 'publish'} as fast as the acks allow (rate: max, in-flight window ${summary.messages.inflightWindow ?? '?'}). ` +
    `Throughput (${Math.round(summary.throughput.sentPerSec).toLocaleString('en-US')} msg/s sent) is the result; latency is measured from each actual send and is NOT corrected for coordinated omission (a slow ack delays the next send instead of adding latency).`;
  return { ...summary, verdicts: [note, ...summary.verdicts], closedLoop: { groups, note } };
}
