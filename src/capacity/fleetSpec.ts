/**
 * `mqbench plan --fleet "<spec>"`: the fleet to size, as comma-separated key=value pairs, e.g.
 *   devices=1000000, every=10s, qos=1, size=256B, fanin=10 shared subscribers
 * Pure: throws FleetSpecError with a hint; the CLI turns it into exit 2.
 */
import { parseDuration, parseRate, parseSize, UnitError } from '../scenario/units.js';

export interface Fleet {
  /** Publishing device connections. */
  devices: number;
  /** Messages each device publishes per second. */
  perDevicePerSec: number;
  qos: 0 | 1 | 2;
  /** Payload bytes; undefined: as the capacity run measured. */
  size?: number;
  /** Subscriber deliveries per published message, and the consumer connections they need. */
  deliveries: number;
  consumers: number;
  /** How deliveries and consumers were given ("fanin=10", or assumed when the spec said nothing). */
  pattern: string;
  /** The spec as given (for the report). */
  text: string;
}

export class FleetSpecError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'FleetSpecError';
  }
}

export const FLEET_EXAMPLE = 'devices=1000000, every=10s, qos=1, size=256B, fanin=10 shared subscribers';
const KEYS = ['devices', 'every', 'rate', 'qos', 'size', 'fanin', 'fanout', 'deliveries', 'consumers'] as const;
type Key = (typeof KEYS)[number];
const HINT = `keys: ${KEYS.join(', ')}; e.g. "${FLEET_EXAMPLE}"`;

/** A count: 1000000, 1,000,000, 1_000_000, 100k, 1M, 2.5M — optionally followed by words ("10 shared subscribers"). */
export function parseCount(key: string, value: string, min = 0): number {
  const m = /^(\d+(?:[.,_]\d+)*)\s*([kKmM]?)(?:\s+[A-Za-z][A-Za-z ]*)?$/.exec(value.trim());
  const digits = m?.[1].replace(/[,_]/g, '');
  const n = m && digits ? Number(digits) * (m[2] === '' ? 1 : /k/i.test(m[2]) ? 1e3 : 1e6) : NaN;
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < min) {
    throw new FleetSpecError(
      `${key}=${value}: expected a whole number${min > 0 ? ` of at least ${min}` : ''}`,
      'numbers look like 1000000, 1,000,000, 250k or 1M',
    );
  }
  return n;
}

function unit<T>(key: string, value: string, parse: (v: string) => T): T {
  try {
    return parse(value);
  } catch (e) {
    if (e instanceof UnitError) throw new FleetSpecError(`${key}=${value}: ${e.message}`, e.hint ?? HINT);
    throw e;
  }
}

/** Parses the spec; every key at most once, `devices` and one of `every`/`rate` required. */
export function parseFleet(text: string): Fleet {
  const pairs = new Map<Key, string>();
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    // "1,000,000" splits at its commas: a part of only digits continues the previous value.
    if (/^\d{3}(\s|$)/.test(part) && pairs.size > 0) {
      const last = [...pairs.keys()].at(-1)!;
      pairs.set(last, `${pairs.get(last)},${part}`);
      continue;
    }
    const eq = part.indexOf('=');
    if (eq < 0) throw new FleetSpecError(`fleet spec: "${part}" is not key=value`, HINT);
    const key = part.slice(0, eq).trim().toLowerCase();
    if (!(KEYS as readonly string[]).includes(key)) throw new FleetSpecError(`fleet spec: unknown key "${key}"`, HINT);
    if (pairs.has(key as Key)) throw new FleetSpecError(`fleet spec: ${key} is given twice`, HINT);
    pairs.set(key as Key, part.slice(eq + 1).trim());
  }
  const get = (k: Key) => pairs.get(k);
  if (get('devices') === undefined) throw new FleetSpecError('fleet spec: devices is missing', HINT);
  const devices = parseCount('devices', get('devices')!, 1);
  const every = get('every');
  const rate = get('rate');
  if ((every === undefined) === (rate === undefined))
    throw new FleetSpecError('fleet spec: give how often each device publishes: every=<duration> or rate=<per device>, not both', HINT);
  const perDevicePerSec = every !== undefined ? 1000 / unit('every', every, parseDuration) : unit('rate', rate!, parseRate);
  if (!(perDevicePerSec > 0) || !Number.isFinite(perDevicePerSec)) throw new FleetSpecError(`fleet spec: every/rate must be more than 0`, HINT);
  const qosText = get('qos') ?? '1';
  if (!/^[012]$/.test(qosText)) throw new FleetSpecError(`qos=${qosText}: must be 0, 1 or 2`, HINT);
  const size = get('size') !== undefined ? unit('size', get('size')!, parseSize) : undefined;
  const shape = deliveryShape(get);
  return { devices, perDevicePerSec, qos: Number(qosText) as 0 | 1 | 2, ...(size !== undefined ? { size } : {}), ...shape, text };
}

/** fanin=N: N shared consumers, each message delivered once; fanout=N: delivered to N subscribers; or explicit. */
function deliveryShape(get: (k: Key) => string | undefined): Pick<Fleet, 'deliveries' | 'consumers' | 'pattern'> {
  const fanin = get('fanin');
  const fanout = get('fanout');
  if (fanin !== undefined && fanout !== undefined) throw new FleetSpecError('fleet spec: give fanin or fanout, not both', HINT);
  const deliveries = get('deliveries') !== undefined ? parseCount('deliveries', get('deliveries')!) : undefined;
  const consumers = get('consumers') !== undefined ? parseCount('consumers', get('consumers')!) : undefined;
  if (fanin !== undefined) {
    const n = parseCount('fanin', fanin, 1);
    return { deliveries: deliveries ?? 1, consumers: consumers ?? n, pattern: `fan-in to ${n} shared subscriber${n === 1 ? '' : 's'}` };
  }
  if (fanout !== undefined) {
    const n = parseCount('fanout', fanout, 1);
    return { deliveries: deliveries ?? n, consumers: consumers ?? n, pattern: `fan-out to ${n} subscriber${n === 1 ? '' : 's'} per message` };
  }
  if (deliveries !== undefined || consumers !== undefined) {
    return {
      deliveries: deliveries ?? 1,
      consumers: consumers ?? 0,
      pattern: `${deliveries ?? 1} deliveries per message, ${consumers ?? 0} consumer connections`,
    };
  }
  return { deliveries: 1, consumers: 1, pattern: 'assumed: each message delivered once, to 1 consumer (say fanin=N or fanout=N)' };
}
