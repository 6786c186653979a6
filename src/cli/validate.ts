import { ExitCode } from '../shared/errors.js';
import { connectionLimits } from '../host/fdlimit.js';
import type { CliIo } from './io.js';
import { loadScenarioFile, printScenarioWarnings } from './scenarioFile.js';

/** `mqbench validate`: every problem on its own line, exit 2 if any. `processes`: as `run --processes` would split it. */
export async function validateCommand(io: CliIo, file: string, processes = 1): Promise<number> {
  const loaded = await loadScenarioFile(io, file, { ...connectionLimits(), processes });
  if (typeof loaded === 'number') return loaded;
  const { scenario } = loaded;
  const clients = scenario.groups.reduce((n, g) => n + g.count, 0);
  printScenarioWarnings(io, loaded);
  const warnings = loaded.warnings().length;
  const warned = warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'} on stderr` : '';
  io.stdout.write(`${file}: valid (${scenario.name}: ${scenario.groups.length} group(s), ${clients} clients${warned})\n`);
  return ExitCode.ok;
}
