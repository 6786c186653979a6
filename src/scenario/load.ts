/**
 * Loads a scenario file in one pass: YAML with positions → ${VAR} substitution → every field checked
 * (schema.ts: each value typed, or INVALID with its problem) → cross-field rules on the checked values →
 * defaults filled → Scenario. Every problem found is collected and returned together, sorted by line and
 * column; nothing is thrown for a scenario that is wrong (only a file that cannot be read is a UserError).
 */
import { dirname } from 'node:path';
import { ExitCode, UserError, type ScenarioProblem } from '../shared/errors.js';
import { ReadProblem, readRegularFile } from '../shared/readLimited.js';
import { crossCheck } from './crosscheck.js';
import { substituteEnv, type Env, type EnvResult } from './env.js';
import { checkLimits, type LoadLimits } from './limits.js';
import { checkCompactHeader } from './compactLimit.js';
import { locate, parseYaml, scalarDepth, type ParsedYaml } from './positions.js';
import { atStart, binaryProblem, toData, versionAsWritten } from './document.js';
import { formatPath, type PathProblem } from './problems.js';
import { findReservedKeys } from './reservedKeys.js';
import { checkRenderedLengths } from './renderedLength.js';
import { resolveScenario, scenarioPathOf } from './resolve.js';
import { timelineWarnings } from './timeline.js';
import { scenarioDecoder } from './schema.js';
import { isValid, present } from './decode.js';
import { scrubText } from './scrub.js';
import { checkTarget } from './targetCheck.js';
import { checkTls } from './tls.js';
import { checkPayloads } from './payloadRules.js';
import { readPayloadFiles } from './payloadFiles.js';
import { readCredentials } from './credentials.js';
import type { Scenario } from './model.js';

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
  /** Positions problems found later (e.g. by loadTlsMaterial) in the file, scrubbed like the loader's own. */
  locate: (problems: PathProblem[]) => ScenarioProblem[];
}

/** A loaded scenario, or every problem found in it (positioned, sorted, at least one). */
export type LoadResult = { ok: true; loaded: LoadedScenario } | { ok: false; problems: ScenarioProblem[] };

const refused = (...problems: ScenarioProblem[]): LoadResult => ({ ok: false, problems });

/** Scenario files larger than this are refused (they are hand-written configuration, not data). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

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
    if (!seen.has(key)) {
      seen.add(key);
      out.push(q);
    }
  }
  return out.sort(byPosition);
}

/**
 * Parses and validates scenario text. `file` is used in problem positions, and files the scenario names
 * (target.tls) are looked for relative to its directory (loadTlsMaterial reads them); `limits` (none by default)
 * describe the machine, e.g. how many connections one process can hold.
 */
export function parseScenarioText(text: string, file: string, env: Env, limits: LoadLimits = {}): LoadResult {
  const binary = binaryProblem(file, text);
  if (binary) return refused(binary);
  const parsed = parseYaml(text);
  if (parsed.problems.length) {
    // After a syntax error the document is a guess: report the syntax errors only.
    const problems = parsed.problems.map((p) => ({ file, ...p, path: '' }));
    return refused(...problems.sort(byPosition));
  }
  const doc = toData(file, parsed);
  if ('problem' in doc) return refused(doc.problem);
  const data = versionAsWritten(parsed, doc.data);
  const subst = substituteEnv(data, env);
  const found: PathProblem[] = [];
  const checked = scenarioDecoder.check(subst.value, [], found);
  found.push(...findReservedKeys(data));
  if (isValid(checked)) {
    found.push(
      ...checkRenderedLengths(checked),
      ...crossCheck(checked),
      ...checkLimits(checked, limits),
      ...checkCompactHeader(checked),
      ...checkTls(checked, dirname(file)),
      ...checkTarget(checked),
      ...checkPayloads(checked, dirname(file)),
    );
  }
  // A value whose ${VAR} is missing is reported once, not again by the rules its stand-in text then fails.
  const envPaths = new Set(subst.problems.map((p) => formatPath(p.path)));
  const all = [...subst.problems, ...found.filter((p) => p.atKey || !envPaths.has(formatPath(p.path)))];
  if (found.length || subst.problems.length) return refused(...finish(file, parsed, all, subst));
  const read = readPayloadFiles(resolveScenario(scenarioDecoder.fill(present(checked))), dirname(file));
  if ('problems' in read) return refused(...finish(file, parsed, read.problems, subst));
  const creds = readCredentials(read.scenario, dirname(file));
  if ('problems' in creds) return refused(...finish(file, parsed, creds.problems, subst));
  const scenario = creds.scenario;
  const loaded: LoadedScenario = {
    scenario,
    file,
    secretPaths: subst.secretPathSegments.map(scenarioPathOf),
    warnings: (changed = scenario) => finish(file, parsed, timelineWarnings(changed), subst),
    locate: (problems) => finish(file, parsed, problems, subst),
  };
  return { ok: true, loaded };
}

/** Reads and loads a scenario file. Unreadable → UserError (exit 2); invalid → the problems, returned. */
export async function loadScenario(file: string, env: Env, limits: LoadLimits = {}): Promise<LoadResult> {
  let bytes: Buffer;
  try {
    // Only a regular file, and at most 1 MB of it: /dev/zero or a FIFO is refused at once, not read forever.
    bytes = await readRegularFile(file, MAX_SCENARIO_BYTES);
  } catch (err) {
    if (err instanceof ReadProblem && err.kind === 'tooBig') {
      return refused(atStart(file, `the scenario file is ${err.size} bytes; the limit is ${MAX_SCENARIO_BYTES} (1 MB)`));
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
    return refused(atStart(file, 'this is not a UTF-8 text file', hint));
  }
  return parseScenarioText(text, file, env, limits);
}
