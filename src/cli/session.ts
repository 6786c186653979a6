import { startEmbeddedBroker, type EmbeddedBroker } from '../broker/embedded.js';
import { probeBroker } from '../driver/probe.js';
import { redactUrl } from '../scenario/redact.js';
import type { Scenario } from '../scenario/types.js';
import { ExitCode, UserError } from '../shared/errors.js';

const err = (s: string) => process.stderr.write(s);

export function checkBrokerFlag(url: string): string {
  if (url === 'embedded') return url;
  if (!/^(mqtts?|wss?):\/\/[^/]/.test(url)) {
    throw new UserError(`--broker: "${redactUrl(url)}" is not a broker URL`, ExitCode.usage, 'use mqtt://host:1883, mqtts://, ws://, wss:// or "embedded"');
  }
  return url;
}

/**
 * Makes the scenario's target ready: starts the embedded broker (and says what its numbers mean)
 * or checks that the broker's port answers, so a broker that is down is one clear line.
 * Mutates `scenario.target.url` for the embedded broker; the caller closes what is returned.
 */
export async function prepareTarget(scenario: Scenario): Promise<EmbeddedBroker | null> {
  if (scenario.target.url === 'embedded') {
    const embedded = await startEmbeddedBroker();
    scenario.target.url = embedded.url;
    err(`mqbench: no broker given: using the embedded aedes broker at ${embedded.url}.\n` +
      '         These numbers measure aedes inside this process, not your broker (use --broker mqtt://host:port).\n');
    return embedded;
  }
  const problem = await probeBroker(scenario.target.url);
  if (problem) {
    throw new UserError(`cannot reach the broker at ${redactUrl(scenario.target.url)}: ${problem}`, ExitCode.runFailed, 'is the broker running and listening there? Check --broker or target.url');
  }
  return null;
}

/**
 * Ctrl-C / SIGTERM abort the run (connections closed, partial results written); a second one
 * quits at once. Returns the function that removes the handlers.
 */
export function abortOnSignals(abort: AbortController): () => void {
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    err(`\nmqbench: ${sig}: stopping, closing connections and writing partial results (again to quit at once)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
