/**
 * A quick command's flags → the scenario document they mean, shaped as a scenario YAML file is (the same
 * decoder checks it, so a quick command and `mqbench run` of its saved file accept and refuse the same things),
 * and that document as YAML text. Pure: the caller writes the file and runs it.
 */
import { stringify } from 'yaml';
import { ExitCode, UserError } from '../../shared/errors.js';
import { MODELINE_PREFIX } from '../../scenario/starters.js';
import type { QuickFlags, QuickKind } from './flags.js';

/** The environment variable a saved scenario reads the password (-P) from: the password itself is never written. */
export const PASSWORD_ENV = 'MQBENCH_PASSWORD';
/** How long a quick run publishes (or holds its connections) without --duration or -L. */
export const DEFAULT_DURATION_MS = 10_000;

export interface QuickDocument {
  /** The scenario as a YAML document would hold it (units written as text: "10ms", "100/s"). */
  doc: Record<string, unknown>;
  /** What the mapping decided that the user should hear (e.g. -L rounded up). */
  notes: string[];
}

const usage = (message: string, hint?: string) => new UserError(message, ExitCode.usage, hint);

/** Literal text inside a template: braces doubled. */
const literal = (s: string) => s.replace(/[{}]/g, (c) => c + c);

/** emqtt-bench's topic placeholders → the scenario's template variables (%i → {i}, %c → {clientId}, %u → the username). */
export function topicTemplate(topic: string, username: string | undefined): string {
  if (topic.includes('%u') && username === undefined) throw usage(`the topic ${JSON.stringify(topic)} uses %u but no username was given`, 'add -u <username>');
  return topic
    .split(/(%[icu])/)
    .map((part) => (part === '%i' ? '{i}' : part === '%c' ? '{clientId}' : part === '%u' ? literal(username ?? '') : literal(part)))
    .join('');
}

/** A number as short text (at most 6 decimals). */
const num = (n: number) => String(Number(n.toFixed(6)));
/** Milliseconds as a duration text: whole seconds as "10s", else "250ms". */
const ms = (n: number) => (n % 1000 === 0 ? `${n / 1000}s` : `${num(n)}ms`);

function brokerUrl(f: QuickFlags): string {
  if (f.broker !== undefined) {
    if (f.host !== undefined || f.port !== undefined) throw usage('give either --broker <url> or -h/-p, not both');
    if (f.ssl && !/^(mqtts|wss):/i.test(f.broker))
      throw usage(`--ssl asks for TLS but --broker ${f.broker} is not an mqtts:// or wss:// URL`, 'write --broker mqtts://host:8883');
    return f.broker;
  }
  const host = f.host ?? 'localhost';
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${f.ssl ? 'mqtts' : 'mqtt'}://${hostPart}:${f.port ?? (f.ssl ? 8883 : 1883)}`;
}

function target(f: QuickFlags): Record<string, unknown> {
  const tls = {
    ...(f.cafile !== undefined ? { ca: f.cafile } : {}),
    ...(f.certfile !== undefined ? { cert: f.certfile } : {}),
    ...(f.keyfile !== undefined ? { key: f.keyfile } : {}),
    ...(f.insecure ? { insecure: true } : {}),
  };
  return {
    url: brokerUrl(f),
    mqttVersion: f.version === 3 ? '3.1' : f.version === 4 ? '3.1.1' : 5,
    ...(f.username !== undefined ? { username: f.username } : {}),
    ...(f.password !== undefined ? { password: `\${${PASSWORD_ENV}}` } : {}),
    ...(f.ifaddr ? { sourceAddresses: f.ifaddr } : {}),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
  };
}

/** The run's length: --duration, or (pub) as long as -L takes, or the default. */
function duration(kind: QuickKind, f: QuickFlags, notes: string[]): number {
  if (f.limit > 0 && kind !== 'pub')
    throw usage(`-L (a message limit) is for pub; ${kind} runs for --duration (default ${DEFAULT_DURATION_MS / 1000}s)`, 'e.g. --duration 30s');
  if (f.limit === 0) return f.durationMs ?? DEFAULT_DURATION_MS;
  if (f.durationMs !== undefined) throw usage('give either -L (messages) or --duration, not both: -L sets the duration');
  const each = Math.ceil(f.limit / f.count);
  if (each * f.count !== f.limit)
    notes.push(`-L ${f.limit}: ${f.count} publishers send ${each} messages each, ${each * f.count} in all (-L rounded up to a multiple of -c)`);
  return each * f.publishIntervalMs;
}

function group(kind: QuickKind, f: QuickFlags): Record<string, unknown> {
  const connect = {
    rate: `${num(1000 / f.connectIntervalMs)}/s`,
    ...(f.clean !== undefined ? { clean: f.clean } : {}),
    ...(f.keepaliveSec !== undefined ? { keepalive: `${f.keepaliveSec}s` } : {}),
  };
  const g: Record<string, unknown> = {
    name: kind,
    count: f.count,
    ...(f.prefix !== undefined ? { clientId: `${literal(f.prefix)}_bench_${kind}_{i}` } : {}),
    connect,
  };
  if (kind === 'conn') return g;
  if (f.topic === undefined) throw usage(`mqbench ${kind} needs a topic: -t <topic>`, kind === 'pub' ? "e.g. -t 'bench/%i'" : "e.g. -t 'bench/#'");
  const topic = topicTemplate(f.topic, f.username);
  if (kind === 'sub') return { ...g, subscribe: [{ topic, qos: f.qos }], fromOtherRuns: true };
  const payload = f.message !== undefined ? { header: false, text: f.message } : { size: f.size };
  return { ...g, publish: { topic, qos: f.qos, ...(f.retain ? { retain: true } : {}), every: ms(f.publishIntervalMs), payload } };
}

/** The scenario a quick command runs. Throws a UserError (exit 2) for flags that contradict each other. */
export function quickDocument(kind: QuickKind, f: QuickFlags): QuickDocument {
  const notes: string[] = [];
  const doc: Record<string, unknown> = {
    name: `quick-${kind}`,
    description: `Written by mqbench ${kind} (a quick command); run it with mqbench run <this file>.`,
    target: target(f),
    duration: ms(duration(kind, f, notes)),
    ...(f.workers !== undefined ? { workers: f.workers } : {}),
    groups: [group(kind, f)],
    ...(f.thresholds.length > 0 ? { thresholds: f.thresholds } : {}),
  };
  return { doc, notes };
}

/** The document as a scenario file: the schema line `mqbench init` writes, a note on the password, the YAML. */
export function quickYaml(q: QuickDocument, schemaRef: string): string {
  const target = q.doc.target as Record<string, unknown>;
  const secret =
    target.password !== undefined ? `# The password (-P) is not saved: the scenario reads it from \${${PASSWORD_ENV}}; set it before mqbench run.\n` : '';
  return `${MODELINE_PREFIX}${schemaRef}\n${secret}${stringify(q.doc, { lineWidth: 0 })}`;
}
