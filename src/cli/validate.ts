import { ExitCode } from '../shared/errors.js';
import { connectionLimits } from '../shared/fdlimit.js';
import { loadScenarioFile, printScenarioWarnings } from './scenarioFile.js';

/** `mqbench validate`: every problem on its own line, exit 2 if any. `processes`: as `run --processes` would split it. */
export async function validateCommand(file: string, processes = 1): Promise<number> {
  const loaded = await loadScenarioFile(file, { ...connectionLimits(), processes });
  if (typeof loaded === 'number') return loaded;
  const { scenario } = loaded;
  const clients = scenario.groups.reduce((n, g) => n + g.count, 0);
  printScenarioWarnings(loaded);
  const warnings = loaded.warnings().length;
  const warned = warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'} on stderr` : '';
  process.stdout.write(`${file}: valid (${scenario.name}: ${scenario.groups.length} group(s), ${clients} clients${warned})\n`);
  return ExitCode.ok;
}
