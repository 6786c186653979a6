/**
 * Rules that span several fields (unique group names, {i} in client ids, rate vs every, publish.targets).
 * They run on the raw document (after ${VAR} substitution) independently of the schema, so their problems
 * are reported together with every field-level one. Values that fail their own field check are skipped here:
 * the schema already reports them.
 */
import { didYouMean } from '../shared/didyoumean.js';
import { show, type PathProblem } from './problems.js';
import { CLIENT_ID_VARS, DEFAULT_CLIENT_ID, PUBLISH_VARS, SUBSCRIBE_VARS } from './schema.js';
import { parseTemplate, templateLiterals, type ParsedTemplate } from '../mqtt/template.js';
import type { TemplateVar } from '../mqtt/template.js';
import * as v from './fieldParsers.js';
import { isRecord, read, type Raw } from './raw.js';




function readTemplate(value: unknown, allowed: readonly TemplateVar[]): ParsedTemplate | undefined {
  if (typeof value !== 'string') return undefined;
  const r = parseTemplate(value, allowed);
  return r.ok ? r.template : undefined;
}

/**
 * The group `{target}` cycles through when publish.targets is not set: the only other group, if there is
 * exactly one; otherwise undefined (the user must choose).
 */
export function defaultTargets(groupNames: readonly string[], self: string): string | undefined {
  const others = groupNames.filter((n) => n !== self);
  return others.length === 1 ? others[0] : undefined;
}

function usesVar(t: ParsedTemplate | undefined, name: TemplateVar): boolean {
  return !!t && t.parts.some((p) => typeof p !== 'string' && p.var === name);
}

const EVENT_ACTIONS = ['disconnect', 'pause', 'resume'] as const;

/** Each event does exactly one thing, to a group that exists. */
function checkEvents(doc: Raw, groupNames: readonly string[]): PathProblem[] {
  if (!Array.isArray(doc.events)) return [];
  const problems: PathProblem[] = [];
  doc.events.forEach((e, i) => {
    if (!isRecord(e)) return;
    const actions = EVENT_ACTIONS.filter((a) => e[a] !== undefined);
    if (actions.length !== 1) {
      problems.push({
        path: ['events', i],
        message: actions.length === 0 ? 'an event needs an action' : `an event does one thing, got ${actions.join(' and ')}`,
        hint: `use one of ${EVENT_ACTIONS.join(', ')} per event`,
      });
    }
    for (const a of actions) {
      const action = e[a];
      const group = isRecord(action) ? read(v.text(), action.group) : undefined;
      if (group !== undefined && !groupNames.includes(group)) {
        const guess = didYouMean(group, groupNames);
        problems.push({ path: ['events', i, a, 'group'], message: `no group named ${show(group)}`, hint: guess ? `did you mean "${guess}"?` : `groups are: ${groupNames.join(', ')}` });
      }
    }
  });
  return problems;
}

export function crossCheck(doc: unknown): PathProblem[] {
  const problems: PathProblem[] = [];
  if (!isRecord(doc) || !Array.isArray(doc.groups)) return problems;
  if (Array.isArray(doc.stages)) {
    if (doc.duration !== undefined) problems.push({ path: ['duration'], message: 'set either duration or stages, not both', hint: 'with stages, the run lasts as long as the stages together' });
    const total = doc.stages.reduce((ms: number, st) => ms + (isRecord(st) ? read(v.duration(), st.duration) ?? 0 : 0), 0);
    const warmup = read(v.duration(), doc.warmup) ?? 0;
    if (doc.stages.length === 0) problems.push({ path: ['stages'], message: 'needs at least one stage', hint: 'e.g. - { duration: 30s, rate: 100% }' });
    else if (total <= warmup) problems.push({ path: ['stages'], message: 'the stages must last longer than the warm-up', hint: 'warm-up is the first part of the stages' });
  }
  const version = isRecord(doc.target) ? read(v.mqttVersion, doc.target.mqttVersion) : undefined;
  if (version !== 5) {
    doc.groups.forEach((g, i) => {
      const p = isRecord(g) && isRecord(g.publish) ? g.publish : undefined;
      for (const key of ['properties', 'topicAlias', 'responseTopic'] as const) {
        if (p && p[key] !== undefined && p[key] !== false) problems.push({ path: ['groups', i, 'publish', key], message: `${key} needs MQTT 5`, hint: 'set target.mqttVersion: 5' });
      }
      if (isRecord(g) && g.respond === true) problems.push({ path: ['groups', i, 'respond'], message: 'respond needs MQTT 5 (response topics)', hint: 'set target.mqttVersion: 5' });
    });
  }
  problems.push(...checkEvents(doc, doc.groups.map((g) => (isRecord(g) ? read(v.text(), g.name) : undefined)).filter((n): n is string => n !== undefined)));
  const groups = doc.groups.map((g) => (isRecord(g) ? g : {}));
  const names = groups.map((g) => read(v.text(), g.name));
  const validNames = names.filter((n): n is string => n !== undefined);
  const distinctNames = [...new Set(validNames)];
  const firstIndex = new Map<string, number>();

  groups.forEach((g, i) => {
    const at = ['groups', i];
    const name = names[i];
    if (name !== undefined) {
      const first = firstIndex.get(name);
      if (first === undefined) firstIndex.set(name, i);
      else problems.push({ path: [...at, 'name'], message: `group name ${show(name)} is already used by groups[${first}]` });
    }

    const count = read(v.groupCount, g.count);
    const clientId = readTemplate(g.clientId ?? DEFAULT_CLIENT_ID, CLIENT_ID_VARS);
    if (clientId && count !== undefined && count > 1 && !usesVar(clientId, 'i')) {
      problems.push({
        path: [...at, 'clientId'],
        message: `clientId has no {i}, so all ${count} clients would connect with the same id`,
        hint: 'add {i}, e.g. "dev-{i}"',
      });
    }
    const idLiterals = clientId ? templateLiterals(clientId) : '';
    const clientIdWildcard = /[+#]/.test(idLiterals);

    if (Array.isArray(g.subscribe)) {
      g.subscribe.forEach((s, j) => {
        if (!isRecord(s)) return;
        const from = read(v.duration(), s.at) ?? 0;
        const until = read(v.duration(true), s.until);
        if (until !== undefined && until <= from) {
          problems.push({ path: [...at, 'subscribe', j, 'until'], message: 'until must be later than at', hint: 'both count from the start of publishing' });
        }
      });
    }
    if (Array.isArray(g.subscribe) && clientIdWildcard) {
      g.subscribe.forEach((s, j) => {
        const topic = readTemplate(isRecord(s) ? s.topic : s, SUBSCRIBE_VARS);
        if (usesVar(topic, 'clientId')) {
          const path = isRecord(s) ? [...at, 'subscribe', j, 'topic'] : [...at, 'subscribe', j];
          problems.push({ path, message: 'topic uses {clientId}, but the clientId template contains + or #' });
        }
      });
    }

    const pub = g.publish;
    if (!isRecord(pub)) return;
    const hasRate = pub.rate !== undefined;
    const hasEvery = pub.every !== undefined;
    if (hasRate && hasEvery) {
      problems.push({
        path: [...at, 'publish', 'every'],
        message: 'set either rate (for the whole group) or every (per client), not both',
        atKey: true,
      });
    } else if (!hasRate && !hasEvery) {
      problems.push({
        path: [...at, 'publish', 'rate'],
        message: 'publish needs a rate (for the whole group, e.g. 100/s) or every (per client, e.g. 5s)',
      });
    }

    const topic = readTemplate(pub.topic, PUBLISH_VARS);
    if (usesVar(topic, 'clientId') && clientIdWildcard) {
      problems.push({ path: [...at, 'publish', 'topic'], message: 'topic uses {clientId}, but the clientId template contains + or #' });
    }
    if (pub.targets !== undefined) {
      const targets = read(v.text(), pub.targets);
      if (targets !== undefined && validNames.length === names.length && !validNames.includes(targets)) {
        const guess = didYouMean(targets, distinctNames);
        problems.push({
          path: [...at, 'publish', 'targets'],
          message: `no group named ${show(targets)}`,
          hint: guess ? `did you mean "${guess}"?` : `groups are: ${distinctNames.join(', ')}`,
        });
      }
    } else if (usesVar(topic, 'target') && name !== undefined && !defaultTargets(distinctNames, name)) {
      problems.push({
        path: [...at, 'publish', 'targets'],
        message: 'set publish.targets to the group {target} should cycle through',
        hint: distinctNames.length > 1 ? `one of: ${distinctNames.join(', ')}` : 'add a group of subscribers for {target} to cycle through',
      });
    }
  });
  return problems;
}
