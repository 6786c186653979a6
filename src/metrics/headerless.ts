/**
 * Groups that publish without mqbench's header (publish.payload.header: false): their messages cannot be told
 * apart or timed by a receiver, so end-to-end latency and the delivery ledger (expected, lost, duplicated, out of
 * order) leave them out; publish→ack latency and the counts stay. Read from the scenario as the results record
 * it, so a merged or re-read results file says the same.
 */
import type { Summary } from './types.js';

type Rec = Record<string, unknown>;
const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The names of the header-less publishing groups of a scenario record. */
export function headerlessGroups(scenario: Rec): string[] {
  const groups = Array.isArray(scenario.groups) ? scenario.groups.filter(isRecord) : [];
  return groups.filter((g) => isRecord(g.publish) && isRecord(g.publish.payload) && g.publish.payload.header === false).map((g) => String(g.name));
}

/** The summary with what header-less publishing leaves unmeasured said plainly (first among the verdicts); unchanged without such groups. */
export function withHeaderless(summary: Summary, scenario: Rec): Summary {
  const groups = headerlessGroups(scenario);
  if (groups.length === 0) return summary;
  const publishers = Array.isArray(scenario.groups) ? scenario.groups.filter((g) => isRecord(g) && isRecord(g.publish)).length : 0;
  const all = groups.length === publishers;
  const named = `${groups.length === 1 ? 'group' : 'groups'} ${groups.join(', ')}`;
  const received = summary.messages.receivedNoHeader ?? 0;
  const note =
    `Not measured: ${named} ${groups.length === 1 ? 'publishes' : 'publish'} without the mqbench header (payload.header: false), so end-to-end latency and the delivery ledger ` +
    `(expected, lost, duplicated, out of order) ${all ? 'are off for this run' : `leave ${groups.length === 1 ? 'it' : 'them'} out`}; publish→ack latency and the counts are measured` +
    ` (${received.toLocaleString('en-US')} deliveries without a header received, not checked).`;
  return {
    ...summary,
    messages: { ...summary.messages, receivedNoHeader: received },
    verdicts: [note, ...summary.verdicts],
    headerless: { groups, note },
  };
}
