/**
 * Plain parsers for single scenario values. Each takes the raw YAML value and returns the normalised value or
 * throws `UnitError` with a short human message and an optional hint. The schema (schema.ts) wraps them as
 * field decoders; the cross-field rules then see their results, never the raw text.
 * Numbers and booleans are also accepted as text ("100", "true") so they can come from `${VAR}`.
 */
import { parseThreshold, type Threshold } from '../thresholds/parse.js';
import { parsePayloadTemplate } from '../mqtt/payloadTemplate.js';
import { COMPACT_HEADER_BYTES, MAX_PAYLOAD_BYTES, PAYLOAD_HEADER_BYTES } from '../shared/constants.js';
import { checkMqttString } from '../mqtt/mqttText.js';
import { show } from './problems.js';
import type { ProtocolLevel, QoS } from './model.js';
import { formatDuration, parseDuration, parseRate, parseSize, UnitError } from './units.js';

export type Parse<T> = (value: unknown) => T;

export function fail(message: string, hint?: string): never {
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

/** A percentage written as text ("30%", " 2.5 % "): its number (30, 2.5), else undefined. */
function percent(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
  return m ? Number(m[1]) : undefined;
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
  const pct = percent(v);
  const n = pct !== undefined ? pct / 100 : toNumber(v);
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
    const n = percent(w) ?? toNumber(w);
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
  const pct = percent(v);
  const n = pct !== undefined ? pct / 100 : toNumber(v);
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

/** A publish rate: a rate per second, or "max" (closed loop: as fast as the acks allow), as Infinity. */
export const publishRate: Parse<number> = (v) => (typeof v === 'string' && v.trim().toLowerCase() === 'max' ? Infinity : rate(v));

/** A payload size in bytes, up to MQTT's limit (the header's minimum is a rule of payloadRules.ts: header: false allows less). */
export const payloadSize: Parse<number> = (v) => {
  required(v);
  if (typeof v !== 'number' && typeof v !== 'string') fail(`expected a size like 128 or 4KiB, got ${show(v)}`);
  const bytes = parseSize(v);
  if (bytes > MAX_PAYLOAD_BYTES) fail(`payload size ${bytes} B is larger than MQTT allows (${MAX_PAYLOAD_BYTES} B)`);
  return bytes;
};

/** The problem with a payload of `bytes` that must carry mqbench's header, or null. */
export function headerSizeProblem(bytes: number): { message: string; hint: string } | null {
  if (bytes >= COMPACT_HEADER_BYTES) return null;
  return {
    message: `payload size ${bytes} B is smaller than the ${COMPACT_HEADER_BYTES}-byte compact mqbench header`,
    hint: `use ${COMPACT_HEADER_BYTES} or more (${COMPACT_HEADER_BYTES}-${PAYLOAD_HEADER_BYTES - 1} B carry the compact header, ${PAYLOAD_HEADER_BYTES} B and more the full one), or header: false`,
  };
}

/** Payload bytes written as base64 (kept as written; checked to decode exactly). */
export const base64Bytes: Parse<string> = (v) => {
  const s = text()(v).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) fail('is not valid base64', 'e.g. base64: "aGVsbG8="');
  if (s.length * 0.75 > MAX_PAYLOAD_BYTES) fail(`the payload is larger than MQTT allows (${MAX_PAYLOAD_BYTES} B)`);
  return s;
};

/** Payload bytes written as hex (spaces allowed between bytes). */
export const hexBytes: Parse<string> = (v) => {
  const s = (typeof v === 'number' ? String(v) : text()(v)).replace(/\s+/g, '');
  if (!/^(?:[0-9A-Fa-f]{2})*$/.test(s)) fail('is not valid hex (two hex digits per byte)', 'e.g. hex: "de ad be ef"');
  if (s.length / 2 > MAX_PAYLOAD_BYTES) fail(`the payload is larger than MQTT allows (${MAX_PAYLOAD_BYTES} B)`);
  return s.toLowerCase();
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
  if (v === '3.1' || v === 3.1 || v === 3 || v === '3') return 3;
  return fail(`must be 3.1, 3.1.1 or 5, got ${show(v)}`);
};

/** A threshold expression ("endToEnd.p99 < 50ms"), parsed once here; the Threshold keeps its text. */
export const threshold: Parse<Threshold> = (v) => {
  const parsed = parseThreshold(text()(v));
  if (!parsed.ok) fail(parsed.message, parsed.hint);
  return parsed.threshold;
};
