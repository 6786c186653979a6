/**
 * Starter scenarios for `mqbench init`: each kind is one of the shipped scenarios (scenarios/<kind>.yaml),
 * copied with its explaining comment block and a yaml-language-server line that points at the installed
 * JSON Schema, so an editor offers completion and checks the file as it is typed. Pure: no I/O here.
 */
import { dirname, isAbsolute, parse, relative, resolve, sep } from 'node:path';

export interface StarterKind {
  kind: string;
  /** One line for `mqbench init --help`. */
  summary: string;
}

export const STARTER_KINDS: readonly StarterKind[] = [
  { kind: 'fanout', summary: 'one back end pushes QoS 1 commands to 1,000 devices, one topic each' },
  { kind: 'fanin', summary: '5,000 devices report every 5 s; 3 ingest workers share the stream ($share)' },
  { kind: 'qos-mix', summary: '1,000 devices publish a 70/25/5 mix of QoS 0/1/2; delivery judged per QoS' },
  { kind: 'reconnect-storm', summary: '2,000 persistent sessions; 30% drop abruptly at 20 s and reconnect within 5 s' },
  { kind: 'churn', summary: '2,000 persistent sessions, each reconnecting every 30-45 s (connect.lifetime)' },
  { kind: 'p2p', summary: '1,000 sensor -> actuator pairs, one private topic each' },
  { kind: 'retained', summary: '500 sensors keep retained state; 20 dashboards subscribe late and must get all of it' },
  { kind: 'connections', summary: '10,000 idle connections (30 s keepalive) held for a minute' },
  // The Open MQTT Benchmark Suite (scenarios/mqttbs/): its Basic set, then its Enterprise set (for segments).
  { kind: 'mqttbs/singlenode-conn-tcp-10K-100', summary: 'suite, Basic: 10,000 clients connect within 100 s, held 30 min' },
  { kind: 'mqttbs/singlenode-fanout-1-1000-1-1000K', summary: 'suite, Basic: 1 publisher at 1 msg/s to 1,000 subscribers (16 B, QoS 1)' },
  { kind: 'mqttbs/singlenode-p2p-1K-1K-1K-1K', summary: 'suite, Basic: 1,000 publisher -> subscriber pairs at 1 msg/s' },
  { kind: 'mqttbs/singlenode-sharesub-1K-5-1K-1K', summary: 'suite, Basic: 1,000 publishers, 5 subscribers sharing $share/benchmark/test/#' },
  { kind: 'mqttbs/singlenode-conn-tcp-1M-5K', summary: 'suite, Enterprise: 1,000,000 clients within 200 s (segments)' },
  { kind: 'mqttbs/singlenode-fanout-5-1000-5-250K', summary: 'suite, Enterprise: 5 publishers at 50 msg/s to 1,000 subscribers (250,000 msg/s out)' },
  { kind: 'mqttbs/singlenode-p2p-50K-50K-50K-50K', summary: 'suite, Enterprise: 50,000 pairs at 1 msg/s (segments)' },
  { kind: 'mqttbs/singlenode-sharesub-50K-500-50K-50K', summary: 'suite, Enterprise: 50,000 publishers, 500 shared subscribers (segments)' },
];

export const DEFAULT_KIND = 'fanout';

/** The first line of a scenario that tells yaml-language-server (VS Code YAML, Neovim, …) its schema. */
export const MODELINE_PREFIX = '# yaml-language-server: $schema=';

/** A kind by its name; a suite case also by its name alone ("singlenode-p2p-1K-1K-1K-1K"). */
export function findStarter(kind: string): StarterKind | undefined {
  return STARTER_KINDS.find((k) => k.kind === kind) ?? STARTER_KINDS.find((k) => k.kind.endsWith(`/${kind}`));
}

/** The file name a starter is written to by default: the kind's last part, e.g. "singlenode-p2p-1K-1K-1K-1K.yaml". */
export function starterFileName(kind: string): string {
  return `${kind.slice(kind.lastIndexOf('/') + 1)}.yaml`;
}

/** The kinds, one per line, for help and error messages. */
export function listKinds(indent = '  '): string {
  const width = Math.max(...STARTER_KINDS.map((k) => k.kind.length));
  return STARTER_KINDS.map((k) => `${indent}${k.kind.padEnd(width)}  ${k.summary}${k.kind === DEFAULT_KIND ? ' (default)' : ''}`).join('\n');
}

/**
 * The schema reference for a scenario written to `outFile`: the path of `schemaFile` relative to the
 * scenario's folder (yaml-language-server resolves it from there), so a project that installs mqbench in its
 * node_modules can move as a whole. When the two share no folder but the filesystem root (or a drive on
 * Windows), a relative path would only spell out the absolute one with "../" in front: the absolute path then.
 */
export function schemaReference(outFile: string, schemaFile: string): string {
  const fromDir = dirname(resolve(outFile));
  const rel = relative(fromDir, schemaFile);
  if (rel === '' || isAbsolute(rel)) return schemaFile;
  const parts = rel.split(sep);
  const ups = parts.findIndex((p) => p !== '..');
  const depth = relative(parse(fromDir).root, fromDir).split(sep).filter(Boolean).length;
  if (depth > 0 && ups >= depth) return schemaFile;
  return parts.join('/');
}

/**
 * The starter text: the shipped scenario with its yaml-language-server line replaced by one pointing at
 * `schemaRef`, and a line saying where it came from and what to do next (`fileName` as the user will type it).
 */
export function starterText(shipped: string, kind: string, schemaRef: string, fileName: string): string {
  const lines = shipped.split('\n');
  if (lines[0].startsWith(MODELINE_PREFIX)) lines.shift();
  return [
    `${MODELINE_PREFIX}${schemaRef}`,
    `# Created by \`mqbench init ${kind}\`. Edit it (your editor completes and checks keys through the line above),`,
    `# then \`mqbench validate ${fileName}\` and \`mqbench run ${fileName} --broker mqtt://<host>:1883\`.`,
    '#',
    ...lines,
  ].join('\n');
}
