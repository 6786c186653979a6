/**
 * The one-line delivery verdict: did every expected delivery arrive exactly once?
 */
import type { Summary } from '../metrics/types.js';
import { fmtInt, fmtPercent } from './format.js';

function plural(n: number, one: string, many: string): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}

/** Whether the run kept its delivery promise: nothing lost, nothing duplicated. */
export function deliveryOk(messages: Summary['messages']): boolean {
  return messages.lost === 0 && messages.duplicated === 0;
}

/**
 * "Delivery: all 60,000 expected messages received, no duplicates", or, when something went wrong,
 * what was lost and duplicated in words, e.g.
 * "Delivery: 12 of 60,000 expected messages lost (0.02%), 3 duplicate deliveries".
 */
export function deliveryVerdict(messages: Summary['messages']): string {
  const { expected, lost, duplicated } = messages;
  if (deliveryOk(messages)) {
    if (expected === 0) return 'Delivery: no deliveries were expected (no subscription matched), nothing to check';
    return `Delivery: all ${plural(expected, 'expected message', 'expected messages')} received, no duplicates`;
  }
  const lostPart = lost === 0
    ? `all ${plural(expected, 'expected message', 'expected messages')} received`
    : `${fmtInt(lost)} of ${plural(expected, 'expected message', 'expected messages')} lost (${fmtPercent(lost, expected)})`;
  const dupPart = duplicated === 0
    ? 'no duplicates'
    : plural(duplicated, 'duplicate delivery', 'duplicate deliveries');
  const joiner = lost !== 0 && duplicated !== 0 ? ' and ' : lost === 0 ? ', but ' : ', ';
  return `Delivery: ${lostPart}${joiner}${dupPart}`;
}
