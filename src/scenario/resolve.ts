/**
 * From the valid document (schema.ts, defaults filled) to the `Scenario` the planner consumes: renames to the
 * unit suffixed fields, templates kept as their text, events as their one action, and the default
 * `publish.targets`.
 * Also maps a path in the YAML to the path of the same value in the Scenario (for redacting secrets).
 */
import { assertNever } from '../shared/assertNever.js';
import { defaultTargets, usesVar } from './crosscheck.js';
import { formatPath, type PathSegment } from './problems.js';
import type { ScenarioInput } from './schema.js';
import type { EventSpec, GroupSpec, ObserveSpec, PayloadBody, PayloadSpec, PublishSpec, QoS, Scenario, TlsSpec } from './model.js';

type GroupInput = ScenarioInput['groups'][number];
type PublishInput = NonNullable<GroupInput['publish']>;

function resolvePublish(g: GroupInput, groupNames: string[]): PublishSpec | undefined {
  const p = g.publish;
  if (!p) return undefined;
  const targets = p.targets ?? (usesVar(p.topic, 'target') ? defaultTargets(groupNames, g.name) : undefined);
  const mix = typeof p.qos === 'object' ? p.qos.mix : undefined;
  // With a mix, `qos` is the highest QoS the mix uses (what the client must support).
  const qos = mix ? (mix[2] > 0 ? 2 : mix[1] > 0 ? 1 : 0) : (p.qos as QoS);
  const out: PublishSpec = { topic: p.topic.source, qos, retain: p.retain, rate: p.pace, payload: { size: p.payload.size.min } };
  if (p.payload.size.max !== p.payload.size.min) out.payload.maxSize = p.payload.size.max;
  if (p.payload.json !== undefined) out.payload.json = p.payload.json;
  if (!p.payload.header) resolveHeaderless(out.payload, p.payload);
  if (p.properties) {
    const pr = p.properties;
    out.properties = {
      ...(pr.messageExpiry !== undefined ? { messageExpirySec: Math.round(pr.messageExpiry / 1000) } : {}),
      ...(pr.contentType !== undefined ? { contentType: pr.contentType } : {}),
      ...(pr.userProperties !== undefined ? { userProperties: { ...pr.userProperties } } : {}),
    };
  }
  if (p.topicAlias) out.topicAlias = true;
  if (p.inflight !== undefined) out.inflight = p.inflight;
  if (p.responseTopic !== undefined) out.responseTopic = p.responseTopic.source;
  if (mix) out.qosMix = mix;
  if (targets !== undefined) out.targets = targets;
  return out;
}

/** header: false: the body as written (files are read later, by readPayloadFiles), its size from its bytes. */
function resolveHeaderless(out: PayloadSpec, p: PublishInput['payload']): void {
  out.header = false;
  let body: PayloadBody | undefined;
  if (p.text !== undefined) body = { source: 'text', data: [Buffer.from(p.text, 'utf8').toString('base64')] };
  else if (p.base64 !== undefined) body = { source: 'base64', data: [p.base64] };
  else if (p.hex !== undefined) body = { source: 'hex', data: [Buffer.from(p.hex, 'hex').toString('base64')] };
  else if (p.file !== undefined) body = { source: 'file', files: [p.file], data: [] };
  else if (p.files !== undefined) body = { source: 'files', files: [...p.files], data: [] };
  if (!body) return;
  out.body = body;
  setBodySize(out);
}

/** A header-less payload's size (range) is its bodies' sizes. */
export function setBodySize(out: PayloadSpec): void {
  const sizes = (out.body?.data ?? []).map((b) => Buffer.byteLength(b, 'base64'));
  if (sizes.length === 0) return;
  const min = Math.min(...sizes);
  const max = Math.max(...sizes);
  out.size = min;
  if (max !== min) out.maxSize = max;
  else delete out.maxSize;
}

function resolveGroup(g: GroupInput, groupNames: string[]): GroupSpec {
  const out: GroupSpec = {
    name: g.name,
    count: g.count,
    clientId: g.clientId.source,
    connect: {
      rate: g.connect.rate,
      clean: g.connect.clean,
      keepaliveSec: g.connect.keepalive,
      ...(g.connect.sessionExpiry !== undefined
        ? { sessionExpirySec: Math.round(g.connect.sessionExpiry / 1000) }
        : !g.connect.clean
          ? { sessionExpirySec: 3600 }
          : {}),
      timeoutMs: g.connect.timeout,
      ...(g.connect.credentials !== undefined ? { credentials: { file: g.connect.credentials, rows: [] } } : {}),
      ...(g.connect.lifetime
        ? { lifetime: { durationMs: g.connect.lifetime.duration, jitterMs: g.connect.lifetime.jitter, pauseMs: g.connect.lifetime.pause } }
        : {}),
      ...(g.connect.will
        ? { will: { topic: g.connect.will.topic.source, payload: g.connect.will.payload, qos: g.connect.will.qos, retain: g.connect.will.retain } }
        : {}),
    },
    subscribe: g.subscribe.map((s) => ({
      topic: s.topic.source,
      qos: s.qos,
      ...(s.at !== undefined ? { atMs: s.at } : {}),
      ...(s.until !== undefined ? { untilMs: s.until } : {}),
    })),
  };
  const publish = resolvePublish(g, groupNames);
  if (publish) out.publish = publish;
  if (g.respond) out.respond = true;
  if (g.fromOtherRuns) out.fromOtherRuns = true;
  return out;
}

function resolveEvent(e: ScenarioInput['events'][number]): EventSpec {
  const a = e.action;
  switch (a.kind) {
    case 'disconnect':
      return { kind: a.kind, atMs: e.at, group: a.group, fraction: a.fraction, abrupt: a.abrupt, reconnectAfterMs: a.reconnectAfter, jitterMs: a.jitter };
    case 'pause':
    case 'resume':
      return { kind: a.kind, atMs: e.at, group: a.group };
    default:
      return assertNever(a);
  }
}

/** The file paths as written; the loader adds the PEM texts it read (see tls.ts). */
function resolveTls(t: NonNullable<ScenarioInput['target']['tls']>): TlsSpec {
  const files: TlsSpec['files'] = {};
  if (t.ca !== undefined) files.ca = t.ca;
  if (t.cert !== undefined) files.cert = t.cert;
  if (t.key !== undefined) files.key = t.key;
  const out: TlsSpec = { insecure: t.insecure, files };
  if (t.servername !== undefined) out.servername = t.servername;
  return out;
}

function resolveObserve(o: NonNullable<ScenarioInput['target']['observe']>): ObserveSpec {
  const out: ObserveSpec = {};
  if (o.pid !== undefined) out.pid = o.pid;
  if (o.prometheus !== undefined) {
    const p = o.prometheus;
    out.prometheus = { url: p.url, ...(p.preset !== undefined ? { preset: p.preset } : {}), ...(p.metrics !== undefined ? { metrics: [...p.metrics] } : {}) };
  }
  if (o.sys !== undefined) out.sys = o.sys;
  return out;
}

export function resolveScenario(input: ScenarioInput): Scenario {
  const groupNames = input.groups.map((g) => g.name);
  const t = input.target;
  const out: Scenario = {
    name: input.name,
    target: { url: t.urls?.[0] ?? t.url, mqttVersion: t.mqttVersion },
    warmupMs: input.warmup,
    // With stages, the publishing timeline is the stages: what warm-up leaves of it is measured.
    durationMs: input.stages ? input.stages.reduce((ms, st) => ms + st.duration, 0) - input.warmup : input.duration,
    drainMs: input.drain,
    groups: input.groups.map((g) => resolveGroup(g, groupNames)),
    events: input.events.map(resolveEvent),
    ...(input.stages ? { stages: input.stages.map((st) => ({ durationMs: st.duration, level: st.rate })) } : {}),
    thresholds: [...input.thresholds],
  };
  if (input.description !== undefined) out.description = input.description;
  if (t.urls !== undefined && t.urls.length > 1) out.target.urls = [...t.urls];
  if (t.sourceAddresses !== undefined) out.target.sourceAddresses = [...t.sourceAddresses];
  if (t.username !== undefined) out.target.username = t.username;
  if (t.password !== undefined) out.target.password = t.password;
  if (t.tls !== undefined) out.target.tls = resolveTls(t.tls);
  if (t.observe !== undefined) out.target.observe = resolveObserve(t.observe);
  if (input.workers !== undefined) out.workers = input.workers;
  return out;
}

/** YAML key → Scenario key where they differ, by the key's place in the document (indices as []). */
const RENAMES: Record<string, string> = {
  warmup: 'warmupMs',
  duration: 'durationMs',
  drain: 'drainMs',
  'groups[].connect.keepalive': 'keepaliveSec',
  'groups[].connect.timeout': 'timeoutMs',
  'groups[].connect.sessionExpiry': 'sessionExpirySec',
  'groups[].publish.properties.messageExpiry': 'messageExpirySec',
  'groups[].publish.every': 'rate',
  'events[].at': 'atMs',
  'stages[].duration': 'durationMs',
  'stages[].rate': 'level',
  'groups[].subscribe[].at': 'atMs',
  'groups[].subscribe[].until': 'untilMs',
  'events[].disconnect.reconnectAfter': 'reconnectAfterMs',
  'events[].disconnect.jitter': 'jitterMs',
  'groups[].connect.lifetime.duration': 'durationMs',
  'groups[].connect.lifetime.jitter': 'jitterMs',
  'groups[].connect.lifetime.pause': 'pauseMs',
};

/** The printed Scenario path of the value found at `yamlPath` in the document, e.g. warmup → "warmupMs". */
export function scenarioPathOf(yamlPath: readonly PathSegment[]): string {
  const pattern = yamlPath
    .map((s) => (typeof s === 'number' ? '[]' : `.${s}`))
    .join('')
    .replace(/^\./, '');
  const path = [...yamlPath];
  const renamed = RENAMES[pattern];
  if (renamed) path[path.length - 1] = renamed;
  // A subscription written as a bare string is the subscription's topic.
  if (pattern === 'groups[].subscribe[]') path.push('topic');
  return formatPath(path);
}
