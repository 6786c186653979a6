/**
 * The zod schema of the user-facing scenario YAML. Objects are strict (unknown keys are rejected and reported
 * one by one by issues.ts); single values are checked by the plain parsers in values.ts so every message is
 * short and human. Defaults are filled here; units are normalised (ms, per second, bytes).
 */
import { z } from 'zod';
import { show, type PathSegment } from './problems.js';
import { templateLiterals, templateShape, parseTemplate, type ParsedTemplate } from './template.js';
import { checkMqttString, forbiddenCharacter } from './mqttText.js';
import { checkTopicFilter, checkTopicName } from './topic.js';
import type { TemplateVar } from './types.js';
import { UnitError } from './units.js';
import * as v from './values.js';

export const CLIENT_ID_VARS: readonly TemplateVar[] = ['i', 'group', 'run'];
export const SUBSCRIBE_VARS: readonly TemplateVar[] = ['i', 'group', 'clientId', 'run'];
export const PUBLISH_VARS: readonly TemplateVar[] = ['i', 'group', 'clientId', 'run', 'target', 'seq'];
export const DEFAULT_CLIENT_ID = 'mqb-{run}-{group}-{i}';

/** Wraps a plain parser as a zod field; its UnitError becomes a custom issue carrying the hint. */
function field<T>(parse: v.Parse<T>) {
  return z.unknown().transform((input, ctx): T => {
    try {
      return parse(input);
    } catch (err) {
      if (!(err instanceof UnitError)) throw err;
      ctx.issues.push({ code: 'custom', message: err.message, params: { hint: err.hint }, input });
      return z.NEVER;
    }
  });
}

type TemplateCheck = (t: ParsedTemplate) => string | { message: string; hint?: string } | null;

/** A template field: every template problem is reported, then `check` looks at the parsed template. */
function template(allowed: readonly TemplateVar[], check: TemplateCheck) {
  return z.unknown().transform((input, ctx): string => {
    try {
      const source = v.text()(input);
      const parsed = parseTemplate(source, allowed);
      if (!parsed.ok) {
        for (const p of parsed.problems) ctx.issues.push({ code: 'custom', message: p.message, params: { hint: p.hint }, input });
        return z.NEVER;
      }
      const found = check(parsed.template);
      const problem = typeof found === 'string' ? { message: found } : found;
      if (problem) ctx.issues.push({ code: 'custom', message: problem.message, params: { hint: problem.hint }, input });
      return source;
    } catch (err) {
      if (!(err instanceof UnitError)) throw err;
      ctx.issues.push({ code: 'custom', message: err.message, params: { hint: err.hint }, input });
      return z.NEVER;
    }
  });
}

function typeError(expected: string) {
  return (iss: { code: string; input?: unknown }) => {
    if (iss.code !== 'invalid_type') return undefined;
    return iss.input === undefined ? 'is required' : `expected ${expected}, got ${show(iss.input)}`;
  };
}

function obj<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: typeError('a mapping (key: value lines)') });
}

function list<T extends z.ZodType>(item: T) {
  return z.array(item, { error: typeError('a list') });
}

// Templates are checked on their literal text with a placeholder for each variable (templateShape): the
// variables ({i}, {group}, {run}, …) only ever render letters, digits, _ and -. Lengths once rendered are
// checked on the longest example by crosscheck.ts.
// Forbidden characters are looked for in the template as written, so the position given is the one the user sees.
const charsOf = (t: ParsedTemplate, what: string) => (forbiddenCharacter(t.source) ? checkMqttString(t.source, what) : null);
const checkClientId: TemplateCheck = (t) => (t.source === '' ? 'clientId must not be empty' : charsOf(t, 'clientId') ?? checkMqttString(templateShape(t), 'clientId'));
const checkSubscribe: TemplateCheck = (t) => charsOf(t, 'topic filter') ?? checkTopicFilter(templateShape(t));
const checkPublish: TemplateCheck = (t) =>
  charsOf(t, 'topic') ?? (/[+#]/.test(templateLiterals(t)) ? 'cannot publish to a wildcard topic (+ or #)' : checkTopicName(templateShape(t)));

const checkResponseTopic: TemplateCheck = (t) =>
  charsOf(t, 'response topic') ?? (/[+#]/.test(templateLiterals(t)) ? 'a response topic cannot have wildcards' : checkTopicName(templateShape(t), 'response topic'));

/** A user property name: an MQTT string (reported at the key). */
const userPropertyKey = z.string().superRefine((key, ctx) => {
  const p = checkMqttString(key, 'user property name');
  if (p) ctx.addIssue({ code: 'custom', message: p.message, params: { hint: p.hint } });
});

const GROUP_NAME = /^[A-Za-z0-9_-]+$/;
const groupName = v.text(GROUP_NAME, 'group names use letters, digits, _ and -');

const tlsShape = {
  ca: field(v.filePath).optional(),
  cert: field(v.filePath).optional(),
  key: field(v.filePath).optional(),
  insecure: field(v.bool).default(false),
  servername: field(v.hostName).optional(),
};

const shapes = {
  target: {
    url: field(v.brokerUrl).default('embedded'),
    // Several brokers (a cluster's nodes): client g connects to urls[g % n]. Instead of url (crosscheck.ts).
    urls: list(field(v.clusterUrl)).min(1, { error: 'needs at least one broker URL' }).optional(),
    // Local addresses to bind client sockets to: client g binds sourceAddresses[g % n].
    sourceAddresses: list(field(v.ipAddress)).min(1, { error: 'needs at least one address' }).optional(),
    mqttVersion: field(v.mqttVersion).default(4),
    username: field(v.mqttText('username')).optional(),
    password: field(v.text()).optional(),
    tls: obj(tlsShape).optional(),
  },
  connect: {
    rate: field(v.rate).default(1000),
    clean: field(v.bool).default(true),
    keepalive: field(v.keepaliveSec).default(60),
    sessionExpiry: field(v.duration()).optional(),
    timeout: field(v.duration(true)).default(10_000),
  },
  subscription: {
    topic: template(SUBSCRIBE_VARS, checkSubscribe),
    qos: field(v.qos).default(0),
    at: field(v.duration()).optional(),
    until: field(v.duration(true)).optional(),
  },
  payload: {
    size: field(v.payloadSizeRange).default({ min: 64, max: 64 }),
    json: field(v.payloadJson).optional(),
  },
};

const publishProperties = {
  messageExpiry: field(v.duration()).optional(),
  contentType: field(v.mqttText('contentType')).optional(),
  userProperties: z.record(userPropertyKey, field(v.mqttText('user property value'))).optional(),
};

const publishShape = {
  topic: template(PUBLISH_VARS, checkPublish),
  qos: field(v.publishQos).default(0),
  retain: field(v.bool).default(false),
  rate: field(v.rate).optional(),
  every: field(v.duration(true)).optional(),
  payload: obj(shapes.payload).prefault({}),
  targets: field(groupName).optional(),
  properties: obj(publishProperties).optional(),
  responseTopic: template(SUBSCRIBE_VARS, checkResponseTopic).optional(),
  topicAlias: field(v.bool).default(false),
  inflight: field(v.inflight).optional(),
};

/** A subscription written as a bare string is shorthand for { topic: <string> } (QoS 0). */
const subscription = z.preprocess((x) => (typeof x === 'string' ? { topic: x } : x), obj(shapes.subscription));

const groupShape = {
  name: field(groupName),
  count: field(v.groupCount),
  clientId: template(CLIENT_ID_VARS, checkClientId).default(DEFAULT_CLIENT_ID),
  connect: obj(shapes.connect).prefault({}),
  subscribe: list(subscription).default([]),
  publish: obj(publishShape).optional(),
  respond: field(v.bool).default(false),
};

const groupRef = { group: field(groupName) };
const eventShapes = {
  disconnect: {
    group: field(groupName),
    fraction: field(v.fraction).default(1),
    abrupt: field(v.bool).default(false),
    reconnectAfter: field(v.duration()).default(1000),
    jitter: field(v.duration()).default(1000),
  },
};
const eventShape = {
  at: field(v.duration()),
  disconnect: obj(eventShapes.disconnect).optional(),
  pause: obj(groupRef).optional(),
  resume: obj(groupRef).optional(),
};

const stageShape = {
  duration: field(v.duration()),
  rate: field(v.level),
};

const rootShape = {
  name: field(v.text(/^[A-Za-z0-9._-]+$/, 'scenario names use letters, digits, ., _ and -')),
  description: field(v.text()).optional(),
  target: obj(shapes.target).prefault({}),
  warmup: field(v.duration()).default(0),
  duration: field(v.duration(true)).default(10_000),
  drain: field(v.duration()).default(2000),
  workers: field(v.integer(1, 64)).optional(),
  groups: list(obj(groupShape)).min(1, { error: 'needs at least one group' }),
  events: list(obj(eventShape)).default([]),
  stages: list(obj(stageShape)).optional(),
  thresholds: list(field(v.threshold)).default([]),
};

/** The whole user-facing scenario document. */
export const scenarioSchema = obj(rootShape);
export type ScenarioInput = z.output<typeof scenarioSchema>;

const KEYS: Record<string, readonly string[]> = {
  '': Object.keys(rootShape),
  target: Object.keys(shapes.target),
  'target.tls': Object.keys(tlsShape),
  'groups[]': Object.keys(groupShape),
  'groups[].connect': Object.keys(shapes.connect),
  'groups[].subscribe[]': Object.keys(shapes.subscription),
  'groups[].publish': Object.keys(publishShape),
  'groups[].publish.payload': Object.keys(shapes.payload),
  'groups[].publish.properties': Object.keys(publishProperties),
  'events[]': Object.keys(eventShape),
  'stages[]': Object.keys(stageShape),
  'events[].disconnect': Object.keys(eventShapes.disconnect),
  'events[].pause': Object.keys(groupRef),
  'events[].resume': Object.keys(groupRef),
};

/** The keys allowed in the mapping at `path` (indices ignored), for did-you-mean hints. */
export function allowedKeysAt(path: readonly PathSegment[]): readonly string[] {
  const pattern = path.map((s) => (typeof s === 'number' ? '[]' : `.${s}`)).join('').replace(/^\./, '');
  return KEYS[pattern] ?? [];
}
