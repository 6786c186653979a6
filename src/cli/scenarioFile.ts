/**
 * The scenario file as the commands see it: loaded (with this machine's limits, when a command runs it) and its
 * TLS material read, its problems printed one per line with a count, or its warnings printed for the scenario
 * as it will run.
 */
import { scalePlan } from '../plan/scale.js';
import { checkLimits } from '../scenario/limits.js';
import { loadScenario, parseScenarioText, type LoadedScenario, type LoadLimits } from '../scenario/load.js';
import { connectionLimits } from '../host/fdlimit.js';
import type { Scenario } from '../scenario/model.js';
import { loadTlsMaterial } from '../scenario/tlsMaterial.js';
import { ExitCode, formatProblem, type ScenarioProblem } from '../shared/errors.js';
import type { CliIo } from './io.js';

/** Every problem on its own line, then how many there were. */
export function printProblems(io: CliIo, file: string, problems: readonly ScenarioProblem[]): void {
  io.stderr.write(`${problems.map(formatProblem).join('\n')}\n${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}\n`);
}

/**
 * The loaded scenario with its TLS material read (the step after validation), or (its problems printed) the
 * exit code for a scenario that is wrong. `text`: the scenario's text made in memory (a quick command), checked
 * exactly as a file would be, under the name `file` (files it names are looked for from that file's folder).
 */
export async function loadScenarioFile(io: CliIo, file: string, limits: LoadLimits = {}, text?: string): Promise<LoadedScenario | ExitCode> {
  const validated = text === undefined ? await loadScenario(file, io.env, limits) : parseScenarioText(text, file, io.env, limits);
  const result = validated.ok ? await loadTlsMaterial(validated.loaded) : validated;
  if (result.ok) return result.loaded;
  printProblems(io, file, result.problems);
  return ExitCode.usage;
}

/** The scenario's warnings (e.g. an event after the end of the run) for the scenario as it will run, on stderr. */
export function printScenarioWarnings(io: CliIo, loaded: LoadedScenario, scenario: Scenario = loaded.scenario): void {
  for (const w of loaded.warnings(scenario)) io.stderr.write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}\n`);
}

/**
 * Loads the scenario for `run`, checked against what `processes` processes of this machine's open-files
 * limit can hold (each runs its share). Problems are printed; the exit code is returned instead.
 */
export async function loadRunScenario(io: CliIo, file: string, processes: number, scale?: number, text?: string): Promise<LoadedScenario | ExitCode> {
  if (!scale) return loadScenarioFile(io, file, { ...connectionLimits(), processes }, text);
  // --scale: the open-files check is made on the scaled plan (what will really connect), and what rounding did is said.
  const loaded = await loadScenarioFile(io, file, {}, text);
  if (typeof loaded === 'number') return loaded;
  const { scenario, notes } = scalePlan(loaded.scenario, scale);
  for (const note of notes) io.stderr.write(`mqbench: --scale ${scale}: ${note}\n`);
  const problems = checkLimits(scenario, { ...connectionLimits(), processes }).map((p) => ({ ...p, message: `scaled by --scale ${scale}, ${p.message}` }));
  if (problems.length === 0) return loaded;
  printProblems(io, file, loaded.locate(problems));
  return ExitCode.usage;
}
