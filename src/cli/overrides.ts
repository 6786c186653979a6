/**
 * The command line's changes to a loaded scenario (--scale, --broker, --duration), each producing a new
 * scenario: the loaded one is never changed.
 */
import { scaleScenario } from '../plan/scale.js';
import { brokerUrl } from '../scenario/addressParsers.js';
import type { Scenario } from '../scenario/model.js';
import { withDuration, withTargetUrl } from '../scenario/overrides.js';
import { redactUrl } from '../scenario/redact.js';
import { UnitError } from '../scenario/units.js';
import { ExitCode, UserError } from '../shared/errors.js';

/** A --broker value, checked as target.url is (a URL that does not parse, e.g. 'mqtt://[::1', is a usage error). */
export function checkBrokerFlag(url: string): string {
  if (url === 'embedded') return url;
  if (!/^(mqtts?|wss?):\/\/[^/]/.test(url)) {
    throw new UserError(`--broker: "${redactUrl(url)}" is not a broker URL`, ExitCode.usage, 'use mqtt://host:1883, mqtts://, ws://, wss:// or "embedded"');
  }
  try {
    return brokerUrl(url);
  } catch (e) {
    if (!(e instanceof UnitError)) throw e;
    throw new UserError(`--broker: ${e.message}`, ExitCode.usage, e.hint ?? 'e.g. mqtt://127.0.0.1:1883 or mqtt://[::1]:1883');
  }
}

/** --broker: one URL replaces the scenario's url and urls (a WebSocket URL cannot go with sourceAddresses). */
export function overrideBroker(scenario: Scenario, url: string): Scenario {
  const checked = checkBrokerFlag(url);
  if (scenario.target.sourceAddresses && /^wss?:/i.test(url)) {
    throw new UserError(
      `--broker ${redactUrl(url)}: target.sourceAddresses cannot be used with a WebSocket URL`,
      ExitCode.usage,
      'use an mqtt:// or mqtts:// URL, or remove sourceAddresses from the scenario',
    );
  }
  return withTargetUrl(scenario, checked);
}

export interface ScenarioFlags {
  scale?: number;
  broker?: string | string[];
  duration?: number;
}

/** The scenario as this run will run it: scaled, on the --broker URL, for the --duration (a new value). */
export function scenarioAsRun(loaded: Scenario, flags: ScenarioFlags): Scenario {
  let s = flags.scale ? scaleScenario(loaded, flags.scale) : loaded;
  if (typeof flags.broker === 'string') s = overrideBroker(s, flags.broker);
  if (flags.duration) s = withDuration(s, flags.duration);
  return s;
}
