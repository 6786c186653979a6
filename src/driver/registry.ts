import { leanDriver } from './lean.js';
import { mqttjsDriver } from './mqttjs.js';
import type { Driver } from './types.js';

/** `lean` (the default) and `mqttjs` (mqtt.js, for cross-checking) run every scenario. */
const drivers: Record<string, Driver> = { lean: leanDriver, mqttjs: mqttjsDriver };

export const DRIVER_NAMES = Object.keys(drivers);
export const DEFAULT_DRIVER = 'lean';

export function driverByName(name: string): Driver {
  const d = drivers[name];
  if (!d) throw new Error(`unknown driver "${name}"; available: ${DRIVER_NAMES.join(', ')}`);
  return d;
}
