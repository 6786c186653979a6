import { leanDriver } from './lean.js';
import { mqttjsDriver } from './mqttjs.js';
import type { Driver } from './types.js';

const drivers: Record<string, Driver> = { mqttjs: mqttjsDriver, lean: leanDriver };

export const DRIVER_NAMES = Object.keys(drivers);
export const DEFAULT_DRIVER = 'mqttjs';

export function driverByName(name: string): Driver {
  const d = drivers[name];
  if (!d) throw new Error(`unknown driver "${name}"; available: ${DRIVER_NAMES.join(', ')}`);
  return d;
}
