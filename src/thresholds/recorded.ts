/**
 * The scenario's thresholds as a results file records them (`scenario.thresholds`: the expression texts), for
 * commands that check a run read back from files (`mqbench merge`). A file is input: an entry that is not a
 * valid expression is reported, not trusted.
 */
import { parseThreshold, type Threshold } from './parse.js';

export interface RecordedThresholds {
  thresholds: Threshold[];
  /** One line per entry that is not a valid threshold expression. */
  problems: string[];
}

export function recordedThresholds(scenario: Record<string, unknown>): RecordedThresholds {
  const out: RecordedThresholds = { thresholds: [], problems: [] };
  const list = scenario.thresholds;
  if (list === undefined) return out;
  if (!Array.isArray(list)) return { ...out, problems: ['scenario.thresholds is not a list'] };
  list.forEach((text: unknown, i) => {
    const parsed = typeof text === 'string' ? parseThreshold(text) : undefined;
    if (parsed?.ok) out.thresholds.push(parsed.threshold);
    else out.problems.push(`scenario.thresholds[${i}]: ${parsed ? parsed.message : 'not an expression'}`);
  });
  return out;
}
