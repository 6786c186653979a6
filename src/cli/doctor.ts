import { networkInterfaces } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { doctorExitCode, formatCheck, formatSummary, type Check } from '../doctor/check.js';
import { isLocalHost, NO_NEEDS, runBrokerChecks, runMachineChecks, scenarioConnections, scenarioNeeds, type Needs } from '../doctor/doctor.js';
import type { DriverName } from '../doctor/machine.js';
import { readMachineFacts } from '../doctor/procfs.js';
import { probeAddress } from '../driver/probe.js';
import { driverByName } from '../driver/registry.js';
import { loadScenarioFile } from './scenarioFile.js';
import { redactUrl } from '../scenario/redact.js';
import type { TargetSpec } from '../scenario/model.js';
import { checkBrokerFlag } from './overrides.js';

export interface DoctorFlags {
  broker?: string;
  connections?: number;
  scenario?: string;
  driver: DriverName;
}

let stdoutClosed = false;
/** Lines go out as each check finishes; a reader that went away (`| head`) just ends the output. */
const out = (s: string) => {
  if (!stdoutClosed) process.stdout.write(s);
};

/** --connections: a whole number of connections, 1 or more. */
export function parseConnectionsArg(text: string): number {
  const t = text.replace(/[_,]/g, '');
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1 || n > 100_000_000) throw new InvalidArgumentError('expected a whole number of connections, e.g. 5000');
  return n;
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
}

/**
 * `mqbench doctor`: machine limits against the planned load, then (when a broker is known) what the broker
 * supports. One line per check, the fix under each problem, a summary. Exit 0 without FAIL, 1 with, 2 usage.
 */
export async function doctorCommand(flags: DoctorFlags): Promise<number> {
  if (flags.broker !== undefined) checkBrokerFlag(flags.broker);
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutClosed = true;
  });
  let target: TargetSpec | undefined;
  let needs: Needs = NO_NEEDS;
  let connections = flags.connections;
  let source = connections !== undefined ? '--connections' : undefined;
  if (flags.scenario !== undefined) {
    // No machine limits here: a scenario too large for this machine is what doctor reports on, not refuses.
    const loaded = await loadScenarioFile(flags.scenario);
    if (typeof loaded === 'number') return loaded;
    target = loaded.scenario.target;
    needs = scenarioNeeds(loaded.scenario);
    if (connections === undefined) {
      connections = scenarioConnections(loaded.scenario);
      source = `scenario ${loaded.scenario.name}`;
    }
  }
  if (flags.broker !== undefined) target = { ...(target ?? { mqttVersion: 4 }), url: flags.broker };
  const brokerUrl = target && target.url !== 'embedded' ? target.url : undefined;
  const host = brokerUrl ? probeAddress(brokerUrl)?.host : undefined;

  const checks: Check[] = [];
  const emit = (c: Check) => {
    checks.push(c);
    out(`${formatCheck(c)}\n`);
  };
  const planned = connections !== undefined ? `${connections.toLocaleString('en-US')} connections (${source})` : 'no load given (--connections N or --scenario file)';
  out(`mqbench doctor: ${planned}, ${flags.driver} driver${brokerUrl ? `, broker ${redactUrl(brokerUrl)}` : ''}\n`);

  runMachineChecks(readMachineFacts(), {
    connections,
    driver: flags.driver,
    brokerLocal: host === undefined ? undefined : isLocalHost(host, localAddresses()),
  }, emit);

  if (brokerUrl && target) {
    await runBrokerChecks({ ...target, url: brokerUrl }, needs, driverByName('mqttjs'), emit);
  } else if (target?.url === 'embedded') {
    out('broker: the scenario uses the embedded broker (aedes, in this process): nothing to probe; --broker mqtt://host:port checks a real one\n');
  } else {
    out('broker: not checked; give --broker mqtt://host:port (or a --scenario with a broker URL)\n');
  }
  out(`${formatSummary(checks)}\n`);
  return doctorExitCode(checks);
}
