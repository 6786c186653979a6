/**
 * Names once rendered: a template that passes its own check (literal text, one placeholder per variable) can
 * still render longer than MQTT's 65,535-byte strings for the last client, a long run id or a large sequence
 * number. Each client id, subscription and topic is rendered for its longest case and measured. Like
 * crosscheck.ts it runs on the raw document; values that fail their own check are skipped (reported there).
 */
import { MAX_MQTT_STRING_BYTES } from './mqttText.js';
import type { PathProblem, PathSegment } from './problems.js';
import { isRecord, read, type Raw } from './raw.js';
import { CLIENT_ID_VARS, DEFAULT_CLIENT_ID, PUBLISH_VARS, SUBSCRIBE_VARS } from './schema.js';
import { parseTemplate, templateShape, type ParsedTemplate } from './template.js';
import type { TemplateVar } from './types.js';
import * as v from './values.js';

/** The longest run id `--run-id` accepts (shared/runIdentity.ts). */
const LONGEST_RUN = 'r'.repeat(32);
/** More digits than any sequence number of a run can have (10,000,000/s for 7 days is 13 digits). */
const LONGEST_SEQ = 9_999_999_999_999;

function parsed(value: unknown, allowed: readonly TemplateVar[]): ParsedTemplate | undefined {
  if (typeof value !== 'string') return undefined;
  const r = parseTemplate(value, allowed);
  return r.ok ? r.template : undefined;
}

/** A problem when `text` (rendered from `t`) is too long, unless the template alone already is (the schema says so). */
function tooLong(path: PathSegment[], what: string, t: ParsedTemplate, text: string): PathProblem[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= MAX_MQTT_STRING_BYTES || Buffer.byteLength(templateShape(t), 'utf8') > MAX_MQTT_STRING_BYTES) return [];
  const fmt = (n: number) => n.toLocaleString('en-US');
  return [{
    path,
    message: `${what} renders to as many as ${fmt(bytes)} bytes (for the group's last client, a 32-character run id and 13-digit sequence numbers); MQTT allows at most ${fmt(MAX_MQTT_STRING_BYTES)}`,
    hint: 'shorten the literal text of the template',
  }];
}

function checkGroup(g: Raw, at: PathSegment[], counts: Map<string, number>): PathProblem[] {
  const name = read(v.text(), g.name);
  const count = read(v.groupCount, g.count);
  if (name === undefined || count === undefined) return [];
  const values = { i: count - 1, group: name, run: LONGEST_RUN, seq: LONGEST_SEQ } as Record<string, string | number>;
  const idTemplate = parsed(g.clientId ?? DEFAULT_CLIENT_ID, CLIENT_ID_VARS);
  if (!idTemplate) return [];
  const clientId = idTemplate.render(values);
  const problems = g.clientId === undefined ? [] : tooLong([...at, 'clientId'], 'clientId', idTemplate, clientId);
  const withId = { ...values, clientId };
  if (Array.isArray(g.subscribe)) {
    g.subscribe.forEach((s, j) => {
      const t = parsed(isRecord(s) ? s.topic : s, SUBSCRIBE_VARS);
      if (t) problems.push(...tooLong(isRecord(s) ? [...at, 'subscribe', j, 'topic'] : [...at, 'subscribe', j], 'topic filter', t, t.render(withId)));
    });
  }
  const pub = isRecord(g.publish) ? g.publish : undefined;
  if (pub) {
    const targets = read(v.text(), pub.targets);
    const target = Math.max(0, (targets !== undefined ? counts.get(targets) ?? 1 : Math.max(1, ...counts.values())) - 1);
    const topic = parsed(pub.topic, PUBLISH_VARS);
    if (topic) problems.push(...tooLong([...at, 'publish', 'topic'], 'topic', topic, topic.render({ ...withId, target })));
    const response = parsed(pub.responseTopic, SUBSCRIBE_VARS);
    if (response) problems.push(...tooLong([...at, 'publish', 'responseTopic'], 'response topic', response, response.render(withId)));
  }
  return problems;
}

export function checkRenderedLengths(doc: unknown): PathProblem[] {
  if (!isRecord(doc) || !Array.isArray(doc.groups)) return [];
  const counts = new Map<string, number>();
  for (const g of doc.groups) {
    const name = isRecord(g) ? read(v.text(), g.name) : undefined;
    const count = isRecord(g) ? read(v.groupCount, g.count) : undefined;
    if (name !== undefined && count !== undefined) counts.set(name, count);
  }
  return doc.groups.flatMap((g, i) => (isRecord(g) ? checkGroup(g, ['groups', i], counts) : []));
}
