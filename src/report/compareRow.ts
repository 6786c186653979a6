/** What one row of `mqbench compare` is: how it reads a figure from a results file, prints it and judges it. */
import type { Results } from '../metrics/types.js';

/**
 * How a row is judged: 'lower' is better low (latency, loss, late sends); 'plan' is a ratio to the plan, better
 * the closer it is to 1 (a rate above the plan is a generator that fell behind and bunched its sends, not a
 * better broker); 'none' is context and never judged.
 */
export type Better = 'lower' | 'plan' | 'none';

/** Row groups in display order. 'broker' is for the broker's own resource figures (results.broker). */
export const ROW_GROUPS = ['rates', 'latency', 'publish', 'delivery', 'qos', 'connections', 'broker', 'verdicts'] as const;
export type RowGroup = (typeof ROW_GROUPS)[number];

export const GROUP_TITLE: Record<RowGroup, string> = {
  rates: 'rates',
  latency: 'latency',
  publish: 'publishing',
  delivery: 'delivery',
  qos: 'delivery by QoS',
  connections: 'connections',
  broker: 'broker resources',
  verdicts: 'run and verdicts',
};

export interface CompareRow {
  label: string;
  group: RowGroup;
  better: Better;
  /** The figure, or undefined when the file has none (e.g. a latency without samples). Text rows give strings. */
  read(r: Results): number | string | undefined;
  /** Prints a numeric figure. */
  format(n: number): string;
  /** Why this run cannot be judged on this row (failed, partial, nothing to check); undefined when it can. */
  invalid?(r: Results): string | undefined;
}
