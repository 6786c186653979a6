/**
 * Loads a scenario file: YAML with positions → ${VAR} substitution → schema → cross-field rules → Scenario.
 * Every problem found is collected and thrown as ONE ScenarioError, sorted by line and column.
 */
import { dirname } from 'node:path';
import { ExitCode, ScenarioError, UserError, type ScenarioProblem } from '../shared/errors.js';
import { ReadProblem, readRegularFile } from '../shared/readLimited.js';
import { crossCheck } from './crosscheck.js';
import { substituteEnv, type Env, type EnvResult } from './env.js';
import { issuesToProblems } from './issues.js';
import { checkLimits, type LoadLimits } from './limits.js';
import { checkCompactHeader } from './compactLimit.js';
import { locate, parseYaml, scalarDepth, writtenText, type ParsedYaml } from './positions.js';
import { formatPath, type PathProblem } from './problems.js';
import { findReservedKeys } from './reservedKeys.js';
import { checkRenderedLengths } from './renderedLength.js';
import { resolveScenario, scenarioPathOf } from './resolve.js';
import { timelineWarnings } from './timeline.js';
import { scenarioSchema } from './schema.js';
import { scrubText } from './scrub.js';
import { checkTarget } from './targetCheck.js';
import { checkTls } from './tls.js';
import type { Scenario } from './types.js';

export type { LoadLimits } from './limits.js';

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  /** Paths into `scenario` (e.g. "target.password") whose value came from the environment: never echo them. */
  secretPaths: string[];
  /**
   * Things that will not happen as written (a subscription or event after the end of the run), positioned in
   * the file: for `scenario`, or for a copy changed by the command line (e.g. --duration).
   */
  warnings: (changed?: Scenario) => ScenarioProblem[];
}

/** Scenario files larger than this are refused (they are hand-written configuration, not data). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

function atStart(file: string, message: string, hint?: string): ScenarioProblem {
  return { file, line: 1, col: 1, path: '', message, hint };
}

function byPosition(a: ScenarioProblem, b: ScenarioProblem): number {
  return a.line - b.line || a.col - b.col || a.path.localeCompare(b.path);
}

function position(file: string, parsed: ParsedYaml, p: PathProblem): ScenarioProblem {
  const { line, col } = locate(parsed, p.path, p.atKey);
  // Print "subscribe[0]" rather than "subscribe[0].topic" when the user wrote the string shorthand.
  const path = p.atKey ? p.path : p.path.slice(0, scalarDepth(parsed, p.path));
  return { file, line, col, path: formatPath(path), message: p.message, hint: p.hint };
}

function readReason(err: unknown): string {
  if (err instanceof ReadProblem) return err.kind === 'notRegular' && err.reason.startsWith('it is a directory') ? 'it is a directory' : err.reason;
  return err instanceof Error ? err.message : String(err);
}

/** Binary data: a NUL or other C0 control character that YAML text never contains. */
function binaryAt(text: string): number {
  return text.search(/[\u0000-\u0008\u000e-\u001f]/);
}

/** Positions, scrubs (no value from the environment may be echoed), de-duplicates and sorts problems. */
function finish(file: string, parsed: ParsedYaml, found: PathProblem[], subst: EnvResult): ScenarioProblem[] {
  const isSecret = (p: PathProblem) => {
    const at = formatPath(p.path);
    return subst.secretPaths.some((s) => at === s || at.startsWith(`${s}.`) || at.startsWith(`${s}[`));
  };
  const seen = new Set<string>();
  const out: ScenarioProblem[] = [];
  for (const p of found) {
    const q = position(file, parsed, p);
    const secret = isSecret(p);
    q.message = scrubText(q.message, subst.secretValues, secret);
    if (q.hint) q.hint = scrubText(q.hint, subst.secretValues, secret);
    // The schema and a cross-field rule may agree on the same fault: keep one.
    const key = `${q.line}:${q.col}:${q.path}:${q.message}`;
    if (!seen.has(key)) (seen.add(key), out.push(q));
  }
  return out.sort(byPosition);
}

/** Deepest nesting a scenario needs is about 6; anything far deeper (or circular, via aliases) is refused. */
const MAX_DEPTH = 64;

function tooDeep(node: unknown, depth = 0): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  return Object.values(node).some((child) => tooDeep(child, depth + 1));
}

/** The document as plain data, or a problem when it is empty, not a mapping, or an alias bomb. */
function toData(file: string, parsed: ParsedYaml): Record<string, unknown> {
  let data: unknown;
  try {
    data = parsed.doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new ScenarioError([atStart(file, 'the YAML uses too many aliases (*name) to expand')]);
  }
  if (tooDeep(data)) {
    throw new ScenarioError([atStart(file, `the YAML is nested more than ${MAX_DEPTH} levels deep (or an alias refers to itself)`)]);
  }
  if (data === null || data === undefined) {
    throw new ScenarioError([atStart(file, 'the scenario file is empty', 'start with "name:" and "groups:"')]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const got = Array.isArray(data) ? 'a list' : 'a single value';
    throw new ScenarioError([atStart(file, `a scenario must be a mapping of keys (name:, groups:, …), got ${got}`)]);
  }
  return data as Record<string, unknown>;
}

/**
 * YAML reads `mqttVersion: 4.0` as the number 4 (which would pass as 3.1.1): a version is judged by the
 * text the user wrote, so "4.0" is refused while 4, 5 and 5.0 still read as before.
 */
function versionAsWritten(parsed: ParsedYaml, data: Record<string, unknown>): void {
  const target = data.target;
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return;
  const t = target as Record<string, unknown>;
  if (typeof t.mqttVersion !== 'number') return;
  const written = writtenText(parsed, ['target', 'mqttVersion']);
  if (written !== undefined && written !== String(t.mqttVersion)) t.mqttVersion = written;
}

/**
 * Parses and validates scenario text. `file` is used in problem positions, and files the scenario names
 * (target.tls) are read relative to its directory; `limits` (none by default)
 * describe the machine, e.g. how many connections one process can hold. Throws ScenarioError.
 */
export function parseScenarioText(text: string, file: string, env: Env, limits: LoadLimits = {}): LoadedScenario {
  const bad = binaryAt(text);
  if (bad >= 0) {
    const before = text.slice(0, bad).split('\n');
    const line = before.length;
    const col = before[before.length - 1].length + 1;
    const message = 'this is not a text file (it contains binary data)';
    throw new ScenarioError([{ file, line, col, path: '', message, hint: 'a scenario is a YAML file' }]);
  }
  const parsed = parseYaml(text);
  if (parsed.problems.length) {
    // After a syntax error the document is a guess: report the syntax errors only.
    const problems = parsed.problems.map((p) => ({ file, ...p, path: '' }));
    throw new ScenarioError(problems.sort(byPosition));
  }
  const data = toData(file, parsed);
  versionAsWritten(parsed, data);
  const subst = substituteEnv(data, env);
  const checked = scenarioSchema.safeParse(subst.value);
  const found: PathProblem[] = checked.success ? [] : issuesToProblems(checked.error.issues);
  const tls = checkTls(subst.value, dirname(file));
  found.push(...findReservedKeys(data), ...checkRenderedLengths(subst.value), ...crossCheck(subst.value), ...checkLimits(subst.value, limits), ...checkCompactHeader(subst.value), ...tls.problems, ...checkTarget(subst.value));
  // A value whose ${VAR} is missing is reported once, not again by the rules its stand-in text then fails.
  const envPaths = new Set(subst.problems.map((p) => formatPath(p.path)));
  const all = [...subst.problems, ...found.filter((p) => p.atKey || !envPaths.has(formatPath(p.path)))];
  if (all.length || !checked.success) throw new ScenarioError(finish(file, parsed, all, subst));
  const scenario = resolveScenario(checked.data);
  if (scenario.target.tls) Object.assign(scenario.target.tls, tls.pem);
  return {
    scenario,
    file,
    secretPaths: subst.secretPathSegments.map(scenarioPathOf),
    warnings: (changed = scenario) => finish(file, parsed, timelineWarnings(changed), subst),
  };
}

/** Reads and loads a scenario file. Unreadable → UserError (exit 2); invalid → ScenarioError (exit 2). */
export async function loadScenario(file: string, env: Env, limits: LoadLimits = {}): Promise<LoadedScenario> {
  let bytes: Buffer;
  try {
    // Only a regular file, and at most 1 MB of it: /dev/zero or a FIFO is refused at once, not read forever.
    bytes = await readRegularFile(file, MAX_SCENARIO_BYTES);
  } catch (err) {
    if (err instanceof ReadProblem && err.kind === 'tooBig') {
      throw new ScenarioError([atStart(file, `the scenario file is ${err.size} bytes; the limit is ${MAX_SCENARIO_BYTES} (1 MB)`)]);
    }
    const hint = err instanceof ReadProblem && err.kind === 'notRegular' ? 'a scenario is a YAML file' : undefined;
    throw new UserError(`cannot read scenario file ${file}: ${readReason(err)}`, ExitCode.usage, hint);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const hint = utf16 ? 'the file looks like UTF-16: save it as UTF-8' : 'a scenario is a YAML file';
    throw new ScenarioError([atStart(file, 'this is not a UTF-8 text file', hint)]);
  }
  return parseScenarioText(text, file, env, limits);
}
