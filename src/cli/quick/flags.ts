/**
 * The flags of the quick commands (`mqbench pub | sub | conn`), typed, with the parsers that check each one as
 * commander reads it (a bad value is a usage error, exit 2, before anything runs). The spellings follow
 * emqtt-bench (and MQTTX `bench` where they agree): see the README's "Coming from emqtt-bench or MQTTX".
 */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../../scenario/units.js';
import { readOptions } from '../options.js';

export type QuickKind = 'pub' | 'sub' | 'conn';

export interface QuickFlags {
  /** -c: clients. */
  count: number;
  /** -i: pause between two connects, ms (the group's connect rate is 1000 / it per second). */
  connectIntervalMs: number;
  /** -I: each publisher's pause between two messages, ms. */
  publishIntervalMs: number;
  /** -t, with %i / %c / %u placeholders. */
  topic?: string;
  qos: 0 | 1 | 2;
  /** -s: payload bytes (mqbench's header included). */
  size: number;
  /** -m: the payload as text, sent without mqbench's header. */
  message?: string;
  retain: boolean;
  broker?: string;
  host?: string;
  port?: number;
  ssl: boolean;
  cafile?: string;
  certfile?: string;
  keyfile?: string;
  insecure: boolean;
  username?: string;
  /** -P: never written anywhere; the scenario reads it from ${MQBENCH_PASSWORD}. */
  password?: string;
  /** -V: 3 (MQTT 3.1), 4 (3.1.1) or 5. */
  version: 3 | 4 | 5;
  keepaliveSec?: number;
  clean?: boolean;
  /** -L: messages to publish in total, over all publishers (0: no limit). */
  limit: number;
  ifaddr?: string[];
  prefix?: string;
  durationMs?: number;
  workers?: number;
  /** --threshold expressions, as written. */
  thresholds: string[];
}

/** A whole number from `min` to `max`. */
export function intArg(min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** An interval as emqtt-bench takes it (a bare number is milliseconds: 10 = 10 ms) or with a unit (10ms, 1s). */
export function parseIntervalArg(text: string): number {
  const t = text.trim();
  let ms: number;
  try {
    ms = /^\d+(\.\d+)?$/.test(t) ? Number(t) : parseDuration(t);
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message} (e.g. 10 = 10 ms, 10ms, 1s)`);
  }
  if (!(ms > 0)) throw new InvalidArgumentError('must be above 0 (e.g. 10 = 10 ms, 10ms, 1s)');
  return ms;
}

export function parseQosArg(text: string): number {
  if (!/^[012]$/.test(text.trim())) throw new InvalidArgumentError('expected 0, 1 or 2');
  return Number(text);
}

/** -V as emqtt-bench writes it (3, 4, 5) or as MQTTX does (3.1, 3.1.1, 5.0). */
export function parseVersionArg(text: string): number {
  const v = ({ '3': 3, '3.1': 3, '4': 4, '3.1.1': 4, '5': 5, '5.0': 5 } as Record<string, number>)[text.trim()];
  if (v === undefined) throw new InvalidArgumentError('expected 3 (MQTT 3.1), 4 (3.1.1) or 5');
  return v;
}

/** -C true|false (emqtt-bench's spelling). */
export function parseBoolArg(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  throw new InvalidArgumentError('expected true or false');
}

export function parseIfaddrArg(text: string): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError('expected one or more comma-separated IP addresses');
  return list;
}

const DEFAULTS = { count: 200, connectIntervalMs: 10, publishIntervalMs: 1000, size: 256, version: 5 } as const;

/** commander's option record of a quick command → QuickFlags (values already checked by the parsers above). */
export function quickFlagsFrom(o: Record<string, unknown>): QuickFlags {
  const { num, str, flag, thresholds } = readOptions(o);
  const list = (k: string) => (Array.isArray(o[k]) ? (o[k] as unknown[]).filter((x): x is string => typeof x === 'string') : undefined);
  return {
    count: num('count') ?? DEFAULTS.count,
    connectIntervalMs: num('interval') ?? DEFAULTS.connectIntervalMs,
    publishIntervalMs: num('intervalOfMsg') ?? DEFAULTS.publishIntervalMs,
    topic: str('topic'),
    qos: (num('qos') ?? 0) as 0 | 1 | 2,
    size: num('size') ?? DEFAULTS.size,
    message: str('message'),
    retain: flag('retain'),
    broker: str('broker'),
    host: str('host'),
    port: num('port'),
    ssl: flag('ssl'),
    cafile: str('cafile'),
    certfile: str('certfile'),
    keyfile: str('keyfile'),
    insecure: flag('insecure'),
    username: str('username'),
    password: str('password'),
    version: (num('version') ?? DEFAULTS.version) as 3 | 4 | 5,
    keepaliveSec: num('keepalive'),
    clean: typeof o.clean === 'boolean' ? o.clean : undefined,
    limit: num('limit') ?? 0,
    ifaddr: list('ifaddr'),
    prefix: str('prefix'),
    durationMs: num('duration'),
    workers: num('workers'),
    thresholds: thresholds('threshold').map((t) => t.expression),
  };
}
