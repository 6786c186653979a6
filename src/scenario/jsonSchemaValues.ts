/**
 * JSON Schema (draft-07) pieces for single scenario values, describing what a user may WRITE (the text
 * forms the parsers in fieldParsers.ts and units.ts accept), not the normalised values the loader produces.
 * Every value that contains `${VAR}` is accepted as it is: only the loader, with the environment, can judge it.
 * jsonSchema.test.ts checks these patterns against the parsers on a table of values.
 */
import { MAX_PAYLOAD_BYTES } from '../shared/constants.js';
import type { TemplateVar } from '../mqtt/template.js';
import { MAX_GROUP_COUNT } from './fieldParsers.js';

export type JsonSchema = { [keyword: string]: unknown };

/** What every property carries for the editor: a description (units, default) and examples. */
export interface Doc {
  description: string;
  default?: unknown;
  examples?: unknown[];
}

/** A `${VAR}` reference anywhere in a string. */
export const ENV_REF = '\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}';

/**
 * A pattern matching the whole string, or any string that uses `${VAR}`, with the message editors show when a
 * value does not match (yaml-language-server's `patternErrorMessage`; the raw pattern would be shown otherwise).
 */
export function match(re: string, message: string): JsonSchema {
  return { pattern: `^(?:${re})$|${ENV_REF}`, patternErrorMessage: message };
}

/** A case-insensitive word for a pattern (JSON Schema patterns take no flags). */
function ci(word: string): string {
  return [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');
}

const NUM = '\\d+(?:\\.\\d+)?';
const ENV_NOTE = ' May use ${VAR} (read from the environment).';

function doc(d: Doc, more: JsonSchema = {}): JsonSchema {
  const out: JsonSchema = { description: d.description, ...more };
  if (d.default !== undefined) out.default = d.default;
  if (d.examples) out.examples = d.examples;
  return out;
}

/** Text, optionally matching a pattern made by match(). */
export function text(d: Doc, pattern?: JsonSchema, minLength?: number): JsonSchema {
  return doc(d, { type: 'string', ...(minLength ? { minLength } : {}), ...pattern });
}

/** Durations: 500ms, 30s, 2m, 1h, 1.5s, 1m30s (each unit once, largest first). A bare number is refused. */
const DURATION = `\\s*(?=\\d)(?:${NUM}\\s*h *)?(?:${NUM}\\s*m *)?(?:${NUM}\\s*s *)?(?:${NUM}\\s*ms *)?\\s*`;
export function duration(d: Doc): JsonSchema {
  return doc(
    { examples: ['500ms', '30s', '2m', '1m30s'], ...d, description: `${d.description} A duration: 500ms, 30s, 2m, 1h or 1m30s (a unit is required).` },
    {
      type: 'string',
      ...match(DURATION, 'expected a duration with a unit, e.g. 500ms, 30s, 2m or 1m30s'),
    },
  );
}

/** Rates: 500/s, 10/m, 2/h (also /sec, /second, /min, /minute, /hr, /hour). */
const RATE_UNITS = ['second', 'sec', 's', 'minute', 'min', 'm', 'hour', 'hr', 'h'].map(ci).join('|');
export function rate(d: Doc): JsonSchema {
  return doc(
    { examples: ['500/s', '10/m', '2/h'], ...d, description: `${d.description} A rate: 500/s, 10/m or 2/h (a unit is required; at most 10,000,000/s).` },
    {
      type: 'string',
      ...match(`\\s*${NUM}\\s*/\\s*(?:${RATE_UNITS})\\s*`, 'expected a rate with a unit, e.g. 500/s, 10/m or 2/h'),
    },
  );
}

/** A payload size in bytes: 128, "512B", "4KB" / "4KiB" (x1024), "1MB" / "1MiB" (x1024²), or a range "64..1KB". */
export function size(d: Doc): JsonSchema {
  const units = ['kib', 'kb', 'mib', 'mb', 'b'].map(ci).join('|');
  const one = `\\s*${NUM}\\s*(?:${units})?\\s*`;
  return doc(d, {
    type: ['integer', 'string'],
    minimum: 0,
    maximum: MAX_PAYLOAD_BYTES,
    ...match(`${one}(?:\\.\\.${one})?`, 'expected a size in bytes, e.g. 128, 512B, 4KB, 1MB, or a range like 64..1KB'),
  });
}

/** A whole number from min to max (also accepted as text, e.g. from ${VAR}). */
export function integer(d: Doc, minimum: number, maximum: number): JsonSchema {
  return doc(d, { type: ['integer', 'string'], minimum, maximum, ...match('\\s*\\d+(?:\\.0+)?\\s*', `expected a whole number from ${minimum} to ${maximum}`) });
}

export const groupCount = (d: Doc) => integer(d, 1, MAX_GROUP_COUNT);

/** true or false (also as text). YAML 1.2 reads yes/no/on/off as text, so they are refused. */
export function bool(d: Doc): JsonSchema {
  return doc(d, { type: ['boolean', 'string'], ...match('true|false', 'expected true or false (YAML 1.2 reads yes/no/on/off as text)') });
}

/** A QoS level 0, 1 or 2. */
export function qos(d: Doc): JsonSchema {
  return doc(d, { type: ['integer', 'string'], minimum: 0, maximum: 2, ...match('\\s*[012](?:\\.0+)?\\s*', 'expected 0, 1 or 2') });
}

const mixWeight = (level: number): JsonSchema =>
  doc(
    { description: `Weight of QoS ${level}: a percentage ("25%") or a plain number (weights are normalised).`, examples: ['25%', 2.5] },
    { type: ['number', 'string'], minimum: 0, ...match(`\\s*${NUM}(?:\\s*%)?\\s*`, 'expected a percentage like 25% or a number') },
  );

/** A publish QoS: 0, 1, 2, or a weighted mix { 0: 70%, 1: 25%, 2: 5% }. */
export function publishQos(d: Doc): JsonSchema {
  const mix: JsonSchema = {
    type: 'object',
    description: 'A weighted QoS mix: each message gets QoS 0, 1 or 2 in these shares, e.g. { 0: 70%, 1: 25%, 2: 5% }.',
    properties: { 0: mixWeight(0), 1: mixWeight(1), 2: mixWeight(2) },
    additionalProperties: false,
    minProperties: 1,
  };
  return doc(d, { anyOf: [qos({ description: 'One QoS level for every message.' }), mix] });
}

/** A share of a group: 0.3 or "30%". */
export function fraction(d: Doc): JsonSchema {
  return doc(d, {
    type: ['number', 'string'],
    exclusiveMinimum: 0,
    maximum: 1,
    ...match(`\\s*${NUM}\\s*%\\s*|\\s*${NUM}\\s*`, 'expected a share above 0 and at most 1, e.g. 0.3 or 30%'),
  });
}

/** A stage's rate level: "150%" or a factor such as 1.5, from 0 to 1000%. */
export function level(d: Doc): JsonSchema {
  return doc(d, {
    type: ['number', 'string'],
    minimum: 0,
    maximum: 10,
    ...match(`\\s*${NUM}\\s*%\\s*|\\s*${NUM}\\s*`, 'expected a level from 0% to 1000%, e.g. 100% or 1.5'),
  });
}

/** 3.1, 3.1.1 or 5 (3, 4, "5.0" are accepted too). */
export function mqttVersion(d: Doc): JsonSchema {
  return doc(d, { anyOf: [{ enum: ['3.1.1', 5, 4, '4', '5', '5.0', '3.1', 3.1, 3, '3'] }, { type: 'string', pattern: ENV_REF }] });
}

/** "embedded" or an mqtt://, mqtts://, ws:// or wss:// URL with a host. */
export function brokerUrl(d: Doc): JsonSchema {
  return text(
    { ...d, description: d.description + ENV_NOTE },
    match(`embedded|(?:${ci('mqtts')}?|${ci('wss')}?)://[^\\s/?#]+.*`, 'expected "embedded" or a URL like mqtt://host:1883 (mqtt, mqtts, ws or wss)'),
  );
}

/** One of several broker URLs: an mqtt://, mqtts://, ws:// or wss:// URL ("embedded" is not one). */
export function clusterUrl(d: Doc): JsonSchema {
  return text(
    { ...d, description: d.description + ENV_NOTE },
    match(`(?:${ci('mqtts')}?|${ci('wss')}?)://[^\\s/?#]+.*`, 'expected a URL like mqtt://host:1883 (mqtt, mqtts, ws or wss)'),
  );
}

/** An IPv4 address (four numbers 0-255) or an IPv6 address (hex groups and colons). The loader checks it fully. */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export function ipAddress(d: Doc): JsonSchema {
  return text(d, match(`\\s*(?:${OCTET}(?:\\.${OCTET}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)\\s*`, 'expected an IPv4 or IPv6 address, e.g. 127.0.0.2 or fd00::5'));
}

/** A name template: literal text and {var} references from `vars`; {{ and }} are literal braces. */
export function template(d: Doc, vars: readonly TemplateVar[], opts: { noWildcards?: boolean } = {}): JsonSchema {
  const literal = opts.noWildcards ? '[^{}+#]' : '[^{}]';
  const names = vars.map((v) => `{${v}}`).join(', ');
  const description = `${d.description} Template variables: ${names}; write {{ or }} for a literal brace.${ENV_NOTE}`;
  return text(
    { ...d, description },
    match(
      `(?:${literal}|\\{\\{|\\}\\}|\\{(?:${vars.join('|')})\\})*`,
      `template variables here: ${names}${opts.noWildcards ? '; no + or #' : ''} ({{ and }} for literal braces)`,
    ),
    1,
  );
}

/** A DNS host name (not an IP address). */
export function hostName(d: Doc): JsonSchema {
  return text(
    d,
    match('(?!\\d+\\.\\d+\\.\\d+\\.\\d+$)[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*\\.?', 'expected a host name such as broker.example.com (not an IP address)'),
  );
}

/** A file path that is not blank. */
export const filePath = (d: Doc) => text(d, match('[\\s\\S]*\\S[\\s\\S]*', 'a file path must not be empty'));

/** A threshold: <metric> <op> <number>[unit]. The loader checks the metric names. */
export function threshold(d: Doc): JsonSchema {
  return text(
    d,
    match(
      `\\s*[A-Za-z_][A-Za-z0-9_.]*\\s*(?:<=|>=|==|!=|<|>)\\s*${NUM}\\s*(?:[a-zA-Zµ]+|/\\s*[a-zA-Z]+)?\\s*`,
      'expected <metric> <op> <value>, e.g. "endToEnd.p99 < 50ms" or "messages.lost == 0"',
    ),
  );
}

/** An object whose keys are exactly `properties` (unknown keys are refused, as the loader does). */
export function object(d: Doc, properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return doc(d, { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false });
}

export function array(d: Doc, items: JsonSchema, minItems?: number): JsonSchema {
  return doc(d, { type: 'array', items, ...(minItems ? { minItems } : {}) });
}
