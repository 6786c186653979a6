/**
 * Names once rendered: a template that passes its own check (literal text, one placeholder per variable) can
 * still render longer than MQTT's 65,535-byte strings for the last client, a long run id or a large sequence
 * number. Each client id, subscription and topic is rendered for its longest case and measured. Like
 * crosscheck.ts it runs on the checked document; values that failed their own check are skipped.
 */
import { MAX_MQTT_STRING_BYTES } from '../mqtt/mqttText.js';
import { templateShape, type ParsedTemplate } from '../mqtt/template.js';
import { isValid, validItems, validOr } from './decode.js';
import type { PathProblem, PathSegment } from './problems.js';
import type { CheckedGroup, CheckedScenario } from './schema.js';
import { DEFAULT_CLIENT_ID_TEMPLATE } from './templateFields.js';

/** The longest run id `--run-id` accepts (shared/runIdentity.ts). */
const LONGEST_RUN = 'r'.repeat(32);
/** More digits than any sequence number of a run can have (10,000,000/s for 7 days is 13 digits). */
const LONGEST_SEQ = 9_999_999_999_999;

/** A problem when `text` (rendered from `t`) is too long, unless the template alone already is (the schema says so). */
function tooLong(path: PathSegment[], what: string, t: ParsedTemplate, text: string): PathProblem[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= MAX_MQTT_STRING_BYTES || Buffer.byteLength(templateShape(t), 'utf8') > MAX_MQTT_STRING_BYTES) return [];
  const fmt = (n: number) => n.toLocaleString('en-US');
  return [
    {
      path,
      message: `${what} renders to as many as ${fmt(bytes)} bytes (for the group's last client, a 32-character run id and 13-digit sequence numbers); MQTT allows at most ${fmt(MAX_MQTT_STRING_BYTES)}`,
      hint: 'shorten the literal text of the template',
    },
  ];
}

function checkGroup(g: CheckedGroup, at: PathSegment[], counts: Map<string, number>): PathProblem[] {
  const name = validOr(g.name);
  const count = validOr(g.count);
  if (name === undefined || count === undefined) return [];
  const values = { i: count - 1, group: name, run: LONGEST_RUN, seq: LONGEST_SEQ };
  const idTemplate = g.clientId === undefined ? DEFAULT_CLIENT_ID_TEMPLATE : validOr(g.clientId);
  if (!idTemplate) return [];
  const clientId = idTemplate.render(values);
  // Only a clientId written in the scenario is judged (the default's length follows from the group name).
  const problems = g.clientId === undefined ? [] : tooLong([...at, 'clientId'], 'clientId', idTemplate, clientId);
  const withId = { ...values, clientId };
  for (const [s, j] of validItems(validOr(g.subscribe))) {
    const t = validOr(s.topic);
    if (t) problems.push(...tooLong([...at, 'subscribe', j, 'topic'], 'topic filter', t, t.render(withId)));
  }
  const pub = validOr(g.publish);
  if (pub) {
    const targets = validOr(pub.targets);
    const target = Math.max(0, (targets !== undefined ? (counts.get(targets) ?? 1) : Math.max(1, ...counts.values())) - 1);
    const topic = validOr(pub.topic);
    if (topic) problems.push(...tooLong([...at, 'publish', 'topic'], 'topic', topic, topic.render({ ...withId, target })));
    const response = validOr(pub.responseTopic);
    if (response) problems.push(...tooLong([...at, 'publish', 'responseTopic'], 'response topic', response, response.render(withId)));
  }
  return problems;
}

export function checkRenderedLengths(doc: CheckedScenario): PathProblem[] {
  if (!isValid(doc.groups)) return [];
  const groups = validItems(doc.groups);
  const counts = new Map<string, number>();
  for (const [g] of groups) {
    const name = validOr(g.name);
    const count = validOr(g.count);
    if (name !== undefined && count !== undefined) counts.set(name, count);
  }
  return groups.flatMap(([g, i]) => checkGroup(g, ['groups', i], counts));
}
