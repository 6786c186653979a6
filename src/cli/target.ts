/** The broker side of a run's start: the embedded broker started, or every target URL (and source address) probed. */
import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embedded.js';
import { probeBroker } from '../driver/probe.js';
import { redactUrl } from '../scenario/redact.js';
import type { Scenario } from '../scenario/model.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { withTargetUrl } from '../scenario/overrides.js';
import type { CliIo } from './io.js';

/**
 * Every broker URL must answer, and every source address must reach the first of them: one line per
 * problem, all at once, before any worker starts.
 */
async function probeTargets(scenario: Scenario): Promise<void> {
  const urls = scenario.target.urls ?? [scenario.target.url];
  const lines: string[] = [];
  const probes = await Promise.all(urls.map((u) => probeBroker(u)));
  probes.forEach((problem, i) => problem && lines.push(`cannot reach the broker at ${redactUrl(urls[i])}: ${problem}`));
  const sources = scenario.target.sourceAddresses ?? [];
  if (lines.length === 0 && sources.length > 0) {
    const bound = await Promise.all(sources.map((a) => probeBroker(urls[0], 3000, a)));
    bound.forEach((problem, i) => problem && lines.push(`cannot connect from source address ${sources[i]} to ${redactUrl(urls[0])}: ${problem}`));
    if (lines.length)
      throw new UserError(
        lines.join('\n'),
        ExitCode.runFailed,
        "is each address assigned to this machine (ip addr; all of 127.0.0.0/8 is loopback on Linux) and of the broker's family (IPv4 / IPv6)?",
      );
  }
  if (lines.length)
    throw new UserError(lines.join('\n'), ExitCode.runFailed, 'is the broker running and listening there? Check --broker, target.url or target.urls');
}

/** A scenario whose target is ready, and the embedded broker it runs against (if any; the caller closes it). */
export interface PreparedTarget {
  scenario: Scenario;
  embedded: EmbeddedBroker | null;
}

/**
 * Makes the scenario's target ready: starts the embedded broker (and says what its numbers mean), giving a
 * new scenario on its address, or checks that the broker's port answers, so a broker that is down is one
 * clear line.
 */
export async function prepareTarget(io: CliIo, scenario: Scenario): Promise<PreparedTarget> {
  if (scenario.target.url === 'embedded') {
    const embedded = await startEmbeddedBroker();
    io.stderr.write(
      `mqbench: no broker given: using the embedded aedes broker at ${embedded.url}.\n` +
        '         These numbers measure aedes inside this process, not your broker (use --broker mqtt://host:port).\n',
    );
    return { scenario: withTargetUrl(scenario, embedded.url), embedded };
  }
  await probeTargets(scenario);
  return { scenario, embedded: null };
}
