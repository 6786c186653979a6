/**
 * The user-facing scenario YAML as decoders (decode.ts): mappings are strict (each unknown key reported with a
 * did-you-mean hint), single values are read by the plain parsers in fieldParsers.ts so every message is
 * short and human. Defaults are filled when the checked document is valid; units are normalised (ms, per
 * second, bytes). Two keys are derived while checking: a publish's rate or every (exactly one), and an
 * event's one action.
 */
import { checkMqttString } from '../mqtt/mqttText.js';
import { field, keysAt, rewrite, type CheckedOf, type Invalid, type ValidOf } from './decode.js';
import { defaultMapping, derive, entries, list, mapping } from './decodeMappings.js';
import * as a from './addressParsers.js';
import * as v from './fieldParsers.js';
import type { PathSegment } from './problems.js';
import { observeShape } from './observeFields.js';
import { eventAction, publishPace } from './schemaDerived.js';
import { clientIdTemplate, DEFAULT_CLIENT_ID_TEMPLATE, publishTemplate, responseTemplate, subscribeTemplate, willTemplate } from './templateFields.js';

/** A user property name: an MQTT string (reported at the key). */
const userPropertyName = (key: string) => checkMqttString(key, 'user property name');

const GROUP_NAME = /^[A-Za-z0-9_-]+$/;
const groupName = v.text(GROUP_NAME, 'group names use letters, digits, _ and -');

const tlsShape = {
  ca: field(a.filePath).optional(),
  cert: field(a.filePath).optional(),
  key: field(a.filePath).optional(),
  insecure: field(v.bool).default(false),
  servername: field(a.hostName).optional(),
};

/** A last will: what the broker publishes for a client whose connection ends without DISCONNECT. */
const willShape = {
  topic: willTemplate(),
  payload: field(v.text()).default(''),
  qos: field(v.qos).default(0),
  retain: field(v.bool).default(false),
};

const shapes = {
  target: {
    url: field(a.brokerUrl).default('embedded'),
    // Several brokers (a cluster's nodes): client g connects to urls[g % n]. Instead of url (crosscheck.ts).
    urls: list(field(a.clusterUrl), { count: 1, message: 'needs at least one broker URL' }).optional(),
    // Local addresses to bind client sockets to: client g binds sourceAddresses[g % n].
    sourceAddresses: list(field(a.ipAddress), { count: 1, message: 'needs at least one address' }).optional(),
    mqttVersion: field(v.mqttVersion).default(4),
    username: field(v.mqttText('username')).optional(),
    password: field(v.text()).optional(),
    tls: mapping(tlsShape).optional(),
    // Where to watch the broker during the run (src/observe): pid, prometheus, sys.
    observe: mapping(observeShape).optional(),
  },
  connect: {
    rate: field(v.rate).default(1000),
    clean: field(v.bool).default(true),
    keepalive: field(v.keepaliveSec).default(60),
    sessionExpiry: field(v.duration()).optional(),
    timeout: field(v.duration(true)).default(10_000),
    will: mapping(willShape).optional(),
    // Per-client credentials: a CSV file (username,password[,cert,key]), client i takes row i mod rows (credentials.ts).
    credentials: field(a.filePath).optional(),
    lifetime: mapping({ duration: field(v.duration(true)), jitter: field(v.duration()).default(0), pause: field(v.duration()).default(1000) }).optional(),
  },
  subscription: {
    topic: subscribeTemplate(),
    qos: field(v.qos).default(0),
    at: field(v.duration()).optional(),
    until: field(v.duration(true)).optional(),
  },
  payload: {
    size: field(v.payloadSizeRange).default({ min: 64, max: 64 }),
    json: field(v.payloadJson).optional(),
    // false: the payload is sent as written, without mqbench's header (payloadRules.ts: e2e latency and the ledger are off).
    header: field(v.bool).default(true),
    text: field(v.text()).optional(),
    base64: field(v.base64Bytes).optional(),
    hex: field(v.hexBytes).optional(),
    file: field(a.filePath).optional(),
    files: list(field(a.filePath), { count: 1, message: 'needs at least one file' }).optional(),
  },
};

const publishProperties = {
  messageExpiry: field(v.duration()).optional(),
  contentType: field(v.mqttText('contentType')).optional(),
  userProperties: entries(userPropertyName, field(v.mqttText('user property value'))).optional(),
};

const publishShape = {
  topic: publishTemplate(),
  qos: field(v.publishQos).default(0),
  retain: field(v.bool).default(false),
  rate: field(v.publishRate).optional(),
  every: field(v.duration(true)).optional(),
  payload: defaultMapping(shapes.payload),
  targets: field(groupName).optional(),
  properties: mapping(publishProperties).optional(),
  responseTopic: responseTemplate().optional(),
  topicAlias: field(v.bool).default(false),
  inflight: field(v.inflight).optional(),
};

/** A subscription written as a bare string is shorthand for { topic: <string> } (QoS 0). */
const subscription = rewrite((x) => (typeof x === 'string' ? { topic: x } : x), mapping(shapes.subscription));

/** A publish, with `pace` derived: its rate (for the whole group) or every (per client), exactly one. */
const publish = derive(mapping(publishShape), 'pace', publishPace);

const groupShape = {
  name: field(groupName),
  count: field(v.groupCount),
  clientId: clientIdTemplate().default(DEFAULT_CLIENT_ID_TEMPLATE),
  connect: defaultMapping(shapes.connect),
  subscribe: list(subscription).default([]),
  publish: publish.optional(),
  respond: field(v.bool).default(false),
  // Also time messages carrying another mqbench run's header (another process), counted apart from the ledger.
  fromOtherRuns: field(v.bool).default(false),
};

const groupRef = { group: field(groupName) };
const disconnectDecoder = mapping({
  group: field(groupName),
  fraction: field(v.fraction).default(1),
  abrupt: field(v.bool).default(false),
  reconnectAfter: field(v.duration()).default(1000),
  jitter: field(v.duration()).default(1000),
});
const groupRefDecoder = mapping(groupRef);
const eventShape = {
  at: field(v.duration()),
  disconnect: disconnectDecoder.optional(),
  pause: groupRefDecoder.optional(),
  resume: groupRefDecoder.optional(),
};

/** An event, with `action` derived: the one thing it does. */
const event = derive(mapping(eventShape), 'action', eventAction(disconnectDecoder, groupRefDecoder));

const stageShape = {
  duration: field(v.duration()),
  rate: field(v.level),
};

const rootShape = {
  name: field(v.text(/^[A-Za-z0-9._-]+$/, 'scenario names use letters, digits, ., _ and -')),
  description: field(v.text()).optional(),
  target: defaultMapping(shapes.target),
  warmup: field(v.duration()).default(0),
  duration: field(v.duration(true)).default(10_000),
  drain: field(v.duration()).default(2000),
  workers: field(v.integer(1, 64)).optional(),
  groups: list(mapping(groupShape), { count: 1, message: 'needs at least one group' }),
  events: list(event).default([]),
  stages: list(mapping(stageShape)).optional(),
  thresholds: list(field(v.threshold)).default([]),
};

/** The whole user-facing scenario document. */
export const scenarioDecoder = mapping(rootShape);
/** The document as written, checked: each value typed, or INVALID where it is wrong. */
export type CheckedScenario = CheckedOf<typeof scenarioDecoder>;
/** The document once valid, defaults filled: what resolve.ts turns into a Scenario. */
export type ScenarioInput = ValidOf<typeof scenarioDecoder>;

type Present<T> = Exclude<T, Invalid | undefined>;
/** Parts of the checked document, as the rules see them once they know the part itself is a mapping. */
export type CheckedTarget = Present<CheckedScenario['target']>;
export type CheckedGroup = Present<Present<CheckedScenario['groups']>[number]>;
export type CheckedPublish = Present<CheckedGroup['publish']>;

/** The keys allowed in the mapping at `path` (indices ignored), for did-you-mean hints. */
export function allowedKeysAt(path: readonly PathSegment[]): readonly string[] {
  return keysAt(scenarioDecoder, path);
}
