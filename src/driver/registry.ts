import { leanDriver } from './lean.js';
import { mqttjsDriver } from './mqttjs.js';
import type { Driver } from './driver.js';
import { ExitCode, UserError } from '../shared/errors.js';

/** `lean` (the default) and `mqttjs` (mqtt.js, for cross-checking) both run every scenario. */
const drivers: Record<string, Driver> = { lean: leanDriver, mqttjs: mqttjsDriver };

export const DRIVER_NAMES = Object.keys(drivers);
export const DEFAULT_DRIVER = 'lean';

export function driverByName(name: string): Driver {
  const d = drivers[name];
  if (!d) throw new Error(`unknown driver "${name}"; available: ${DRIVER_NAMES.join(', ')}`);
  return d;
}

/** A usage error (exit 2) when `name` is not a driver. */
export function requireDriver(name: string): void {
  if (!drivers[name]) throw new UserError(`unknown driver "${name}"`, ExitCode.usage, `available: ${DRIVER_NAMES.join(', ')}`);
}
