import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Results } from '../metrics/types.js';
import { renderComparisonModel, resultsLabel, scenarioDifferences, sidesOf, type ComparisonItem } from '../report/compare.js';
import { buildComparison, type Side } from '../report/compareModel.js';
import { evaluateFailOn, parseFailOn } from '../report/failOn.js';
import { renderJunit, failOnSuite } from '../report/junit.js';
import { DEFAULT_DECISION, type DecisionOptions } from '../report/stats.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { checkWritable, writeAtomically } from './ciFiles.js';
import type { CliIo } from './io.js';
import { readOptions } from './options.js';
import { parseSource, readSources, type Source } from './sources.js';

export interface CompareFlags {
  markdown?: boolean;
  /** --level: confidence level of the intervals (0.5–0.999). */
  level?: number;
  /** --practical: the smallest relative change worth a verdict (0–1). */
  practical?: number;
  seed?: number;
  failOn?: string;
  junit?: string;
  /** --json: also write the worked-out comparison as JSON. */
  json?: string;
}

/** "label=a.json,b.json": several files (repeats) under one label. */
function expand(arg: string): Source[] {
  const s = parseSource(arg, 'compare');
  if (s.label === undefined || existsSync(s.path) || !s.path.includes(',')) return [s];
  return s.path
    .split(',')
    .filter(Boolean)
    .map((path) => ({ path, label: s.label }));
}

/**
 * Sides: files with the same label are repeats of one side; unlabelled files are grouped by broker and
 * scenario. When that leaves one side (a baseline and a current run of the same broker), each file is a side
 * named by its file name.
 */
export function sidesFrom(sources: Source[], results: Results[]): Side[] {
  const auto = results.map(resultsLabel);
  const urls = new Map<string, Set<string>>();
  auto.forEach((l, i) => urls.set(l, (urls.get(l) ?? new Set()).add(results[i].target?.url ?? '')));
  // Unlabelled runs of one broker product at different addresses are different sides: the address tells them apart.
  const where = (r: Results): string => r.target?.url?.replace(/^[a-z]+:\/\//, '') ?? '?';
  const items: ComparisonItem[] = sources.map((s, i) => ({
    label: s.label ?? (urls.get(auto[i])!.size > 1 && !results[i].target?.label ? `${auto[i]} @${where(results[i])}` : auto[i]),
    results: results[i],
  }));
  const sides = sidesOf(items);
  if (sides.length >= 2) return sides;
  return sidesOf(sources.map((s, i) => ({ label: s.label ?? basename(s.path).replace(/\.json$/i, ''), results: results[i] })));
}

/** commander's option record of `compare` → CompareFlags. */
export function compareFlagsFrom(o: Record<string, unknown>): CompareFlags {
  const { num, str, flag } = readOptions(o);
  return {
    markdown: flag('markdown'),
    level: num('level'),
    practical: num('practical'),
    seed: num('seed'),
    failOn: str('failOn'),
    junit: str('junit'),
    json: str('json'),
  };
}

function decision(flags: CompareFlags): DecisionOptions {
  return {
    ...DEFAULT_DECISION,
    ...(flags.level !== undefined ? { level: flags.level } : {}),
    ...(flags.practical !== undefined ? { practical: flags.practical } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
  };
}

/** `mqbench compare`: returns the exit code. Every unreadable file is named before exiting with 2. */
export async function compareCommand(io: CliIo, args: string[], flags: CompareFlags): Promise<number> {
  if (args.length < 2) {
    io.stderr.write('mqbench compare: give two or more results files, e.g. mqbench compare a.json b.json\n');
    return ExitCode.usage;
  }
  const gates = flags.failOn === undefined ? undefined : parseFailOn(flags.failOn);
  if (gates && !gates.ok) throw new UserError(gates.message, ExitCode.usage, gates.hint);
  await checkWritable([
    ['--junit', flags.junit],
    ['--json', flags.json],
  ]);
  const sources = args.flatMap(expand);
  const { results, problems } = await readSources(sources);
  if (problems.length > 0) {
    io.stderr.write(problems.map((p) => `mqbench: ${p}\n`).join(''));
    return ExitCode.usage;
  }
  const sides = sidesFrom(sources, results);
  if (sides.length < 2)
    throw new UserError(
      'compare: all files are one side: nothing to compare',
      ExitCode.usage,
      'name the sides: baseline=a1.json,a2.json current=b1.json,b2.json',
    );
  if (gates && sides.length !== 2)
    throw new UserError(
      `--fail-on compares a baseline with a current side; found ${sides.length} sides (${sides.map((s) => s.label).join(', ')})`,
      ExitCode.usage,
      'name the two sides: baseline=a.json current=b.json',
    );
  const opts = decision(flags);
  const model = buildComparison(sides, opts, undefined, scenarioDifferences(sides.flatMap((s) => s.runs.map((r) => ({ label: s.label, results: r })))));
  const markdown = Boolean(flags.markdown);
  io.stdout.write(renderComparisonModel(model, { markdown, color: !markdown && Boolean(io.stdout.isTTY) }));
  if (flags.json !== undefined) await writeAtomically(flags.json, `${JSON.stringify(model, null, 2)}\n`);
  if (!gates) return ExitCode.ok;
  const checked = evaluateFailOn(sides[0].runs, sides[1].runs, gates.checks, opts);
  const lines = checked.map((g) => `${g.ok ? 'ok  ' : 'FAIL'} ${g.expression}: ${g.detail}`);
  io.stdout.write(`\nRegression gates (${sides[1].label} against baseline ${sides[0].label}):\n${lines.map((l) => `  ${l}\n`).join('')}`);
  if (flags.junit !== undefined) {
    await writeAtomically(flags.junit, renderJunit([failOnSuite(checked, `${sides[1].label} vs ${sides[0].label}`)]));
    io.stderr.write(`JUnit XML written to ${flags.junit}\n`);
  }
  const failed = checked.filter((g) => !g.ok).length;
  if (failed > 0) io.stderr.write(`mqbench: ${failed} regression gate(s) failed\n`);
  return failed > 0 ? ExitCode.thresholds : ExitCode.ok;
}
