/**
 * Loads a scenario file: YAML with positions → ${VAR} substitution → schema → cross-field rules → Scenario.
 * Every problem found is collected and thrown as ONE ScenarioError, sorted by line and column.
 */
import { readFile } from 'node:fs/promises';
import { ScenarioError, UserError, type ScenarioProblem } from '../shared/errors.js';
import { crossCheck } from './crosscheck.js';
import { substituteEnv, type Env } from './env.js';
import { issuesToProblems } from './issues.js';
import { locate, parseYaml, scalarDepth, type ParsedYaml } from './positions.js';
import { formatPath, type PathProblem } from './problems.js';
import { resolveScenario, scenarioPathOf } from './resolve.js';
import { scenarioSchema } from './schema.js';
import type { Scenario } from './types.js';

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  /** Paths into `scenario` (e.g. "target.password") whose value came from the environment: never echo them. */
  secretPaths: string[];
}

/** Scenario files larger than this are refused (they are hand-written configuration, not data). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

function atStart(file: string, message: string, hint?: string): ScenarioProblem {
  return { file, line: 1, col: 1, path: '', message, hint };
}

function byPosition(a: ScenarioProblem, b: ScenarioProblem): number {
  return a.line - b.line || a.col - b.col || a.path.localeCompare(b.path);
}

/** Replaces every secret value that slipped into a message (e.g. "got '<value>'") by [redacted]. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}

function position(file: string, parsed: ParsedYaml, p: PathProblem): ScenarioProblem {
  const { line, col } = locate(parsed, p.path, p.atKey);
  // Print "subscribe[0]" rather than "subscribe[0].topic" when the user wrote the string shorthand.
  const path = p.atKey ? p.path : p.path.slice(0, scalarDepth(parsed, p.path));
  return { file, line, col, path: formatPath(path), message: p.message, hint: p.hint };
}

function readReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return err instanceof Error ? err.message : String(err);
}

/** Binary data: a NUL or other C0 control character that YAML text never contains. */
function binaryAt(text: string): number {
  return text.search(/[\u0000-\u0008\u000e-\u001f]/);
}

/** Parses and validates scenario text. `file` is only used in problem positions. Throws ScenarioError. */
export function parseScenarioText(text: string, file: string, env: Env): LoadedScenario {
  const bad = binaryAt(text);
  if (bad >= 0) {
    const before = text.slice(0, bad).split('\n');
    const line = before.length;
    const col = before[before.length - 1].length + 1;
    throw new ScenarioError([
      { file, line, col, path: '', message: 'this is not a text file (it contains binary data)', hint: 'a scenario is a YAML file' },
    ]);
  }
  const parsed = parseYaml(text);
  if (parsed.problems.length) {
    const problems = parsed.problems.map((p) => ({ file, line: p.line, col: p.col, path: '', message: p.message, hint: p.hint }));
    throw new ScenarioError(problems.sort(byPosition));
  }
  const data: unknown = parsed.doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw new ScenarioError([atStart(file, 'the scenario file is empty', 'start with "name:" and "groups:"')]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const got = Array.isArray(data) ? 'a list' : 'a single value';
    throw new ScenarioError([atStart(file, `a scenario must be a mapping of keys (name:, groups:, …), got ${got}`)]);
  }

  const env2 = substituteEnv(data, env);
  const pathProblems: PathProblem[] = [...env2.problems];
  const checked = scenarioSchema.safeParse(env2.value);
  if (!checked.success) pathProblems.push(...issuesToProblems(checked.error.issues));
  pathProblems.push(...crossCheck(env2.value));

  if (pathProblems.length || !checked.success) {
    const problems = pathProblems.map((p) => {
      const q = position(file, parsed, p);
      return { ...q, message: scrub(q.message, env2.secretValues), hint: q.hint && scrub(q.hint, env2.secretValues) };
    });
    // Keep one problem per position and message (the schema and a cross rule may agree on the same fault).
    const seen = new Set<string>();
    const unique = problems.filter((p) => {
      const key = `${p.line}:${p.col}:${p.path}:${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    throw new ScenarioError(unique.sort(byPosition));
  }
  return {
    scenario: resolveScenario(checked.data),
    file,
    secretPaths: env2.secretPathSegments.map(scenarioPathOf),
  };
}

/** Reads and loads a scenario file. Unreadable → UserError (exit 2); invalid → ScenarioError (exit 2). */
export async function loadScenario(file: string, env: Env): Promise<LoadedScenario> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new UserError(`cannot read scenario file ${file}: ${readReason(err)}`);
  }
  if (bytes.length > MAX_SCENARIO_BYTES) {
    throw new ScenarioError([
      atStart(file, `the scenario file is ${bytes.length} bytes; the limit is ${MAX_SCENARIO_BYTES} (1 MB)`),
    ]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ScenarioError([atStart(file, 'this is not a UTF-8 text file', 'a scenario is a YAML file')]);
  }
  return parseScenarioText(text, file, env);
}
