/**
 * The template fields of a scenario (client ids, topic filters, topics, response topics): which variables each
 * may use, and a decoder that checks a template as written into its parsed form, reporting every template
 * problem, then what MQTT says of such a name.
 */
import { checkMqttString, forbiddenCharacter } from '../mqtt/mqttText.js';
import { parseTemplate, templateLiterals, templateShape, type ParsedTemplate, type TemplateVar } from '../mqtt/template.js';
import { checkTopicFilter, checkTopicName } from '../mqtt/topic.js';
import { checked, INVALID, type Invalid } from './decode.js';
import * as v from './fieldParsers.js';
import { UnitError } from './units.js';

export const CLIENT_ID_VARS: readonly TemplateVar[] = ['i', 'group', 'run'];
export const SUBSCRIBE_VARS: readonly TemplateVar[] = ['i', 'group', 'clientId', 'run'];
export const PUBLISH_VARS: readonly TemplateVar[] = ['i', 'group', 'clientId', 'run', 'target', 'seq'];
export const DEFAULT_CLIENT_ID = 'mqb-{run}-{group}-{i}';

function parsedDefault(source: string, allowed: readonly TemplateVar[]): ParsedTemplate {
  const r = parseTemplate(source, allowed);
  if (!r.ok) throw new Error(`the default template ${source} does not parse`);
  return r.template;
}

/** The client id template of a group that leaves clientId out. */
export const DEFAULT_CLIENT_ID_TEMPLATE = parsedDefault(DEFAULT_CLIENT_ID, CLIENT_ID_VARS);

type TemplateCheck = (t: ParsedTemplate) => string | { message: string; hint?: string } | null;

/**
 * A template field, checked into its parsed template (what the rules and the resolver look at): every template
 * problem is reported, then `check` looks at the parsed template.
 */
export function template(allowed: readonly TemplateVar[], check: TemplateCheck) {
  return checked(
    (input, path, out): ParsedTemplate | Invalid => {
      let source: string;
      try {
        source = v.text()(input);
      } catch (err) {
        if (!(err instanceof UnitError)) throw err;
        out.push({ path, message: err.message, hint: err.hint });
        return INVALID;
      }
      const parsed = parseTemplate(source, allowed);
      if (!parsed.ok) {
        for (const p of parsed.problems) out.push({ path, message: p.message, hint: p.hint });
        return INVALID;
      }
      const found = check(parsed.template);
      const problem = typeof found === 'string' ? { message: found } : found;
      if (!problem) return parsed.template;
      out.push({ path, message: problem.message, hint: problem.hint });
      return INVALID;
    },
    (t) => t,
  );
}

// Templates are checked on their literal text with a placeholder for each variable (templateShape): the
// variables ({i}, {group}, {run}, …) only ever render letters, digits, _ and -. Lengths once rendered are
// checked on the longest example by renderedLength.ts.
// Forbidden characters are looked for in the template as written, so the position given is the one the user sees.
const charsOf = (t: ParsedTemplate, what: string) => (forbiddenCharacter(t.source) ? checkMqttString(t.source, what) : null);
const checkClientId: TemplateCheck = (t) =>
  t.source === '' ? 'clientId must not be empty' : (charsOf(t, 'clientId') ?? checkMqttString(templateShape(t), 'clientId'));
const checkSubscribe: TemplateCheck = (t) => charsOf(t, 'topic filter') ?? checkTopicFilter(templateShape(t));
const checkPublish: TemplateCheck = (t) =>
  charsOf(t, 'topic') ?? (/[+#]/.test(templateLiterals(t)) ? 'cannot publish to a wildcard topic (+ or #)' : checkTopicName(templateShape(t)));

const checkResponseTopic: TemplateCheck = (t) =>
  charsOf(t, 'response topic') ??
  (/[+#]/.test(templateLiterals(t)) ? 'a response topic cannot have wildcards' : checkTopicName(templateShape(t), 'response topic'));

export const clientIdTemplate = () => template(CLIENT_ID_VARS, checkClientId);
export const subscribeTemplate = () => template(SUBSCRIBE_VARS, checkSubscribe);
export const publishTemplate = () => template(PUBLISH_VARS, checkPublish);
export const responseTemplate = () => template(SUBSCRIBE_VARS, checkResponseTopic);
/** A last-will topic: a topic name (no wildcards) per client. */
export const willTemplate = () => template(SUBSCRIBE_VARS, checkPublish);
