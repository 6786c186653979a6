/**
 * Plain parsers for single scenario values (no zod here). Each takes the raw YAML value and returns the
 * normalised value or throws `UnitError` with a short human message and an optional hint. The schema wraps
 * them as zod fields; the cross-field checks reuse them to read values without repeating the rules.
 * Numbers and booleans are also accepted as text ("100", "true") so they can come from `${VAR}`.
 */
import { isIP } from 'node:net';
import { parseThreshold } from '../metrics/thresholds.js';
import { parsePayloadTemplate } from './payloadTemplate.js';
import { COMPACT_HEADER_BYTES, MAX_PAYLOAD_BYTES, PAYLOAD_HEADER_BYTES } from '../shared/constants.js';
import { checkMqttString } from './mqttText.js';
import { show } from './problems.js';
import { redactUrl } from './redact.js';
import { PERCENT_HINT, urlCredentials } from '../shared/urlCredentials.js';
import type { ProtocolLevel, QoS } from './types.js';
import { formatDuration, parseDuration, parseRate, parseSize, UnitError } from './units.js';

export type Parse<T> = (value: unknown) => T;

function fail(message: string, hint?: string): never {
  throw new UnitError(message, hint);
}

export function required(value: unknown): void {
  if (value === undefined) fail('is required');
}

export function text(pattern?: RegExp, patternHint?: string): Parse<string> {
  return (v) => {
    required(v);
    if (typeof v !== 'string') fail(`expected text, got ${show(v)}`);
    if (pattern && !pattern.test(v)) fail(`${show(v)} is not a valid name`, patternHint);
    return v;
  };
}

/** Text that goes into an MQTT UTF-8 string (user name, content type, user properties): see mqttText.ts. */
export function mqttText(what: string): Parse<string> {
  return (v) => {
    const s = text()(v);
    const p = checkMqttString(s, what);
    if (p) fail(p.message, p.hint);
    return s;
  };
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

export function integer(min: number, max: number): Parse<number> {
  return (v) => {
    required(v);
    const n = toNumber(v);
    if (n === undefined || !Number.isInteger(n) || n < min || n > max) {
      fail(`must be a whole number from ${min} to ${max}, got ${show(v)}`);
    }
    return n;
  };
}

/** Clients in one group. */
export const MAX_GROUP_COUNT = 10_000_000;
export const groupCount: Parse<number> = (v) => integer(1, MAX_GROUP_COUNT)(v);
/** A client's in-flight window (MQTT's Receive Maximum range). */
export const inflight: Parse<number> = (v) => integer(1, 65_535)(v);

export const qos: Parse<QoS> = (v) => {
  required(v);
  const n = toNumber(v);
  if (n !== 0 && n !== 1 && n !== 2) fail('must be 0, 1 or 2');
  return n;
};

/** A share of a group: 0.3 or "30%". */
export const fraction: Parse<number> = (v) => {
  required(v);
  const pct = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
  const n = pct ? Number(pct[1]) / 100 : toNumber(v);
  if (n === undefined || !(n > 0 && n <= 1)) fail(`must be a share above 0 and at most 1 (e.g. 0.3 or "30%"), got ${show(v)}`);
  return n;
};

/**
 * A publish QoS: 0, 1 or 2, or a weighted mix such as { 0: 70%, 1: 25%, 2: 5% } (weights are
 * normalised, so { 0: 7, 1: 2.5, 2: 0.5 } is the same mix).
 */
export const publishQos: Parse<QoS | { mix: [number, number, number] }> = (v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return qos(v);
  const weights: [number, number, number] = [0, 0, 0];
  for (const [key, w] of Object.entries(v as Record<string, unknown>)) {
    if (key !== '0' && key !== '1' && key !== '2') fail(`a QoS mix has keys 0, 1 and 2, got ${show(key)}`, 'e.g. qos: { 0: 70%, 1: 25%, 2: 5% }');
    const pct = typeof w === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(w) : null;
    const n = pct ? Number(pct[1]) : toNumber(w);
    if (n === undefined || n < 0) fail(`QoS ${key} weight must be a number or a percentage, got ${show(w)}`);
    weights[Number(key)] = n;
  }
  const total = weights[0] + weights[1] + weights[2];
  if (!(total > 0)) fail('a QoS mix needs at least one weight above 0', 'e.g. qos: { 0: 70%, 1: 25%, 2: 5% }');
  return { mix: weights.map((w) => w / total) as [number, number, number] };
};

/** A stage's rate level: "150%" or a factor such as 1.5 (0 to 1000%). */
export const level: Parse<number> = (v) => {
  required(v);
  const pct = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
  const n = pct ? Number(pct[1]) / 100 : toNumber(v);
  if (n === undefined || n < 0 || n > 10) fail(`must be a level from 0% to 1000% of each group's rate, got ${show(v)}`, 'e.g. rate: 100% (or 1.0)');
  return n;
};

export const bool: Parse<boolean> = (v) => {
  required(v);
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  const yamlOld = typeof v === 'string' && /^(yes|no|on|off|y|n)$/i.test(v);
  return fail(`must be true or false, got ${show(v)}`, yamlOld ? 'YAML 1.2 reads yes/no/on/off as text' : undefined);
};

function unitText(v: unknown, what: string, example: string, hint: string): string {
  required(v);
  if (typeof v === 'number') fail(`expected ${what} like ${example}, got ${v}`, hint);
  if (typeof v !== 'string') fail(`expected ${what} like ${example}, got ${show(v)}`);
  return v;
}

/** The longest duration a scenario may set: 7 days (Node timers overflow past 24.8 days). */
export const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** A duration in ms; `positive` rejects 0. */
export function duration(positive = false): Parse<number> {
  return (v) => {
    const ms = parseDuration(unitText(v, 'a duration', '30s', 'add a unit, e.g. 30s'));
    if (positive && ms <= 0) fail('must be longer than 0s');
    if (ms > MAX_DURATION_MS) fail(`must be ${formatDuration(MAX_DURATION_MS)} (7 days) or less, got ${show(v)}`);
    return ms;
  };
}

/** Keepalive: a duration in whole seconds, 0..65535 (0 turns keepalive off). */
export const keepaliveSec: Parse<number> = (v) => {
  const ms = duration()(v);
  if (ms % 1000 !== 0 || ms > 65_535_000) fail('keepalive must be whole seconds from 0s to 65535s', 'e.g. 60s');
  return ms / 1000;
};

/** The highest rate a scenario may ask for, far beyond what one machine can generate. */
export const MAX_RATE_PER_SEC = 10_000_000;

/** A rate per second, > 0. */
export const rate: Parse<number> = (v) => {
  const perSec = parseRate(unitText(v, 'a rate', '500/s', 'a rate needs a unit, e.g. 500/s'));
  if (perSec <= 0) fail('rate must be more than 0/s');
  if (perSec > MAX_RATE_PER_SEC) fail(`rate must be at most ${MAX_RATE_PER_SEC.toLocaleString('en-US')}/s, got ${show(v)}`);
  return perSec;
};

/** A payload size in bytes, from the compact mqbench header's size up to MQTT's limit. */
export const payloadSize: Parse<number> = (v) => {
  required(v);
  if (typeof v !== 'number' && typeof v !== 'string') fail(`expected a size like 128 or 4KiB, got ${show(v)}`);
  const bytes = parseSize(v);
  if (bytes < COMPACT_HEADER_BYTES) {
    fail(
      `payload size ${bytes} B is smaller than the ${COMPACT_HEADER_BYTES}-byte compact mqbench header`,
      `use ${COMPACT_HEADER_BYTES} or more (${COMPACT_HEADER_BYTES}-${PAYLOAD_HEADER_BYTES - 1} B carry the compact header, ${PAYLOAD_HEADER_BYTES} B and more the full one)`,
    );
  }
  if (bytes > MAX_PAYLOAD_BYTES) fail(`payload size ${bytes} B is larger than MQTT allows (${MAX_PAYLOAD_BYTES} B)`);
  return bytes;
};

/** A payload size, or a range "64..512" (each message gets a size in it, header included). */
export const payloadSizeRange: Parse<{ min: number; max: number }> = (v) => {
  if (typeof v === 'string' && v.includes('..')) {
    const [a, b] = v.split('..');
    const min = payloadSize(a.trim());
    const max = payloadSize(b.trim());
    if (max < min) fail(`the size range ${show(v)} ends below its start`, 'e.g. 64..512');
    return { min, max };
  }
  const n = payloadSize(v);
  return { min: n, max: n };
};

/** A JSON payload template (see payloadTemplate.ts): parsed here, so every mistake is positioned. */
export const payloadJson: Parse<string> = (v) => {
  const src = text()(v);
  const p = parsePayloadTemplate(src);
  if (!p.ok) fail(p.message, p.hint);
  return src;
};

export const mqttVersion: Parse<ProtocolLevel> = (v) => {
  required(v);
  if (v === '3.1.1' || v === 4 || v === '4') return 4;
  if (v === 5 || v === '5' || v === '5.0') return 5;
  return fail(`must be 3.1.1 or 5, got ${show(v)}`);
};

const SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

/** "embedded" or an mqtt://, mqtts://, ws:// or wss:// URL with a host. */
export const brokerUrl: Parse<string> = (v) => {
  required(v);
  if (typeof v !== 'string') fail(`expected a broker URL like mqtt://localhost:1883, got ${show(v)}`);
  if (v === 'embedded') return v;
  const shown = show(redactUrl(v));
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v)) {
    fail(`expected "embedded" or a URL like mqtt://localhost:1883, got ${shown}`, 'start with the scheme: mqtt://, mqtts://, ws:// or wss://');
  }
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return fail(`expected "embedded" or a URL like mqtt://localhost:1883, got ${shown}`);
  }
  if (!SCHEMES.includes(url.protocol)) {
    fail(`unsupported URL scheme ${show(url.protocol.replace(/:$/, ''))}`, 'use mqtt://, mqtts://, ws:// or wss://');
  }
  if (!url.hostname) fail(`URL ${shown} has no host`, 'e.g. mqtt://localhost:1883');
  const credentials = urlCredentials(url);
  if (typeof credentials === 'string') fail(credentials, PERCENT_HINT);
  return v;
};

/** One of several broker URLs (target.urls): like `url`, but "embedded" has no place in a list of brokers. */
export const clusterUrl: Parse<string> = (v) => {
  const url = brokerUrl(v);
  if (url === 'embedded') fail('"embedded" cannot be one of several broker URLs', 'list mqtt://, mqtts://, ws:// or wss:// URLs, or use url: embedded alone');
  return url;
};

/** A local IPv4 or IPv6 address to bind client sockets to (target.sourceAddresses), e.g. 127.0.0.2 or ::1. */
export const ipAddress: Parse<string> = (v) => {
  const address = text()(v).trim();
  if (!isIP(address)) fail(`${show(v)} is not an IPv4 or IPv6 address`, 'e.g. 127.0.0.2, 10.0.0.5 or fd00::5 (no host names, no ports)');
  return address;
};

/** A file path (kept as written; tls.ts reads the file relative to the scenario's directory). */
export const filePath: Parse<string> = (v) => {
  const path = text()(v);
  if (path.trim() === '') fail('a file path must not be empty');
  return path;
};

/** A DNS host name (for TLS SNI and the certificate check), e.g. broker.example.com; not an IP address. */
export const hostName: Parse<string> = (v) => {
  const name = text()(v);
  if (isIP(name)) fail('servername must be a host name, not an IP address', "leave it out: the URL's address is then checked against the certificate");
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(name)) fail(`${show(name)} is not a host name`, 'e.g. broker.example.com');
  return name;
};

/** A threshold expression ("endToEnd.p99 < 50ms"): checked here, kept verbatim. */
export const threshold: Parse<string> = (v) => {
  const expression = text()(v);
  const parsed = parseThreshold(expression);
  if (!parsed.ok) fail(parsed.message, parsed.hint);
  return expression;
};
