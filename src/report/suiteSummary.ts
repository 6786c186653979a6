/**
 * What a suite leaves besides the results files: one comparison JSON (per scenario, the worked-out comparison
 * of the brokers that ran it, and what was skipped and why) and a Markdown summary a team can read in a review.
 * Pure: the suite command writes them.
 */
import type { Results } from '../metrics/types.js';
import { renderComparisonModel, scenarioDifferences, sidesOf } from './compare.js';
import { buildComparison, type Comparison } from './compareModel.js';
import { DEFAULT_DECISION, methodNote, type DecisionOptions } from './stats.js';

export interface SuiteRun {
  scenario: string;
  broker: string;
  repeat: number;
  file: string;
  results: Results;
}

export interface SuiteSkip {
  scenario: string;
  broker: string;
  reason: string;
}

export interface SuiteOutcome {
  name: string;
  brokers: { label: string; url: string }[];
  scenarios: string[];
  repeat: number;
  runs: SuiteRun[];
  skipped: SuiteSkip[];
  /** Set when the suite was interrupted: what finished is kept. */
  interrupted?: boolean;
}

export interface SuiteComparison {
  name: string;
  method: string;
  interrupted: boolean;
  scenarios: { scenario: string; runs: { broker: string; repeat: number; file: string; status: string }[]; skipped: SuiteSkip[]; comparison?: Comparison }[];
}

function comparisonOf(runs: readonly SuiteRun[], opts: DecisionOptions): Comparison | undefined {
  const items = runs.map((r) => ({ label: r.broker, results: r.results }));
  const sides = sidesOf(items);
  return sides.length >= 2 ? buildComparison(sides, opts, undefined, scenarioDifferences(items)) : undefined;
}

export function suiteComparison(o: SuiteOutcome, opts: DecisionOptions = DEFAULT_DECISION): SuiteComparison {
  return {
    name: o.name,
    method: methodNote(opts),
    interrupted: o.interrupted === true,
    scenarios: o.scenarios.map((scenario) => {
      const runs = o.runs.filter((r) => r.scenario === scenario);
      const comparison = comparisonOf(runs, opts);
      return {
        scenario,
        runs: runs.map((r) => ({ broker: r.broker, repeat: r.repeat, file: r.file, status: r.results.status })),
        skipped: o.skipped.filter((s) => s.scenario === scenario),
        ...(comparison ? { comparison } : {}),
      };
    }),
  };
}

/** The Markdown summary: what ran, what was skipped and why, and per scenario the comparison table. */
export function suiteMarkdown(o: SuiteOutcome, opts: DecisionOptions = DEFAULT_DECISION): string {
  const out: string[] = [`# mqbench suite: ${o.name}`, ''];
  out.push(
    `Brokers: ${o.brokers.map((b) => `**${b.label}**`).join(', ')}. Scenarios: ${o.scenarios.join(', ')}. ` +
      `Each scenario ran ${o.repeat} time${o.repeat === 1 ? '' : 's'} against each broker, interleaved (A B A B …) so drift on the generator machine hits every broker alike.`,
  );
  if (o.interrupted) out.push('', '> **Interrupted:** the suite was stopped; the runs that finished are below (a run cut short is marked partial).');
  out.push('', '## Overview', '', `| scenario | ${o.brokers.map((b) => b.label).join(' | ')} |`, `| :--- | ${o.brokers.map(() => ':---').join(' | ')} |`);
  for (const s of o.scenarios) {
    const cells = o.brokers.map((b) => {
      const skip = o.skipped.find((x) => x.scenario === s && x.broker === b.label);
      if (skip) return `skipped: ${skip.reason}`;
      const runs = o.runs.filter((r) => r.scenario === s && r.broker === b.label).map((r) => r.results);
      if (runs.length === 0) return 'not run';
      const complete = runs.filter((r) => r.status === 'complete');
      const withT = complete.filter((r) => (r.thresholds ?? []).length > 0);
      const pass = withT.filter((r) => r.thresholds!.every((t) => t.ok)).length;
      const broken = complete.some((r) => Object.values(r.summary?.byQos ?? {}).some((d) => d && !d.ok));
      return [
        `${complete.length}/${runs.length} runs complete`,
        withT.length > 0 ? `thresholds ${pass === withT.length ? 'met' : 'MISSED'} in ${pass}/${withT.length}` : 'no thresholds',
        broken ? 'a QoS promise BROKEN' : 'QoS promises kept',
      ].join(', ');
    });
    out.push(`| ${s} | ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  for (const s of o.scenarios) {
    out.push('', `## ${s}`, '');
    for (const k of o.skipped.filter((x) => x.scenario === s)) out.push(`- **${k.broker} skipped:** ${k.reason}`);
    const runs = o.runs.filter((r) => r.scenario === s);
    const c = comparisonOf(runs, opts);
    if (c) out.push('', renderComparisonModel(c, { markdown: true }).trimEnd());
    else if (runs.length > 0) out.push(`Only ${runs[0].broker} ran this scenario: nothing to compare side by side.`);
    else out.push('No run of this scenario finished.');
  }
  out.push(
    '',
    `Method: ${methodNote(opts)}`,
    '',
    'Files: one results JSON per run, `comparison.json`, `report.html` (charts and the full comparison per scenario).',
    '',
  );
  return out.join('\n');
}
