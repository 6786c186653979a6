import { leanDriver } from './lean.js';
import { mqttjsDriver } from './mqttjs.js';
import type { Driver } from './driver.js';
import type { Scenario } from '../scenario/model.js';
import { ExitCode, UserError } from '../shared/errors.js';

const drivers: Record<string, Driver> = { mqttjs: mqttjsDriver, lean: leanDriver };

export const DRIVER_NAMES = Object.keys(drivers);
export const DEFAULT_DRIVER = 'mqttjs';

export function driverByName(name: string): Driver {
  const d = drivers[name];
  if (!d) throw new Error(`unknown driver "${name}"; available: ${DRIVER_NAMES.join(', ')}`);
  return d;
}

/** Why `name` cannot run this scenario, or null. The lean driver covers the hot path, not every MQTT 5 feature. */
export function driverCannot(name: string, scenario: Scenario): string | null {
  if (name !== 'lean') return null;
  const urls = scenario.target.urls ?? [scenario.target.url];
  if (urls.some((u) => /^wss?:/i.test(u))) return 'the lean driver does not support ws:// or wss://';
  const g = scenario.groups.find((x) => x.publish?.properties || x.publish?.topicAlias || x.publish?.responseTopic || x.respond);
  if (g) return `the lean driver does not do MQTT 5 publish properties, topic aliases or request/response (group ${g.name})`;
  return null;
}

/** A usage error (exit 2) when `name` is not a driver or cannot run this scenario. */
export function requireDriver(name: string, scenario: Scenario): void {
  if (!drivers[name]) throw new UserError(`unknown driver "${name}"`, ExitCode.usage, `available: ${DRIVER_NAMES.join(', ')}`);
  const cannot = driverCannot(name, scenario);
  if (cannot) throw new UserError(`--driver ${name}: ${cannot}`, ExitCode.usage, 'use --driver mqttjs for this scenario');
}
