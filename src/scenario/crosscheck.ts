/**
 * Rules that span several fields (unique group names, {i} in client ids, duration or stages, MQTT 5 features,
 * groups that events and publish.targets name). They run on the checked document (schema.ts), whatever else is
 * wrong in it, so their problems are reported together with every field-level one. Values that failed their
 * own check are INVALID and skipped here: that problem is already reported.
 */
import { templateLiterals, type ParsedTemplate, type TemplateVar } from '../mqtt/template.js';
import { didYouMean } from '../shared/didyoumean.js';
import { isValid, validItems, validOr } from './decode.js';
import { show, type PathProblem, type PathSegment } from './problems.js';
import type { CheckedGroup, CheckedPublish, CheckedScenario } from './schema.js';
import { DEFAULT_CLIENT_ID_TEMPLATE } from './templateFields.js';
import { EVENT_ACTIONS } from './schemaDerived.js';

/**
 * The group `{target}` cycles through when publish.targets is not set: the only other group, if there is
 * exactly one; otherwise undefined (the user must choose).
 */
export function defaultTargets(groupNames: readonly string[], self: string): string | undefined {
  const others = groupNames.filter((n) => n !== self);
  return others.length === 1 ? others[0] : undefined;
}

export function usesVar(t: ParsedTemplate | undefined, name: TemplateVar): boolean {
  return !!t && t.parts.some((p) => typeof p !== 'string' && p.var === name);
}

function noGroup(path: PathSegment[], name: string, groups: readonly string[]): PathProblem {
  const guess = didYouMean(name, groups);
  return { path, message: `no group named ${show(name)}`, hint: guess ? `did you mean "${guess}"?` : `groups are: ${groups.join(', ')}` };
}

/** With stages, the run lasts as long as they do: not also a duration, at least one stage, longer than warm-up. */
function checkStages(doc: CheckedScenario): PathProblem[] {
  const stages = validOr(doc.stages);
  if (stages === undefined) return [];
  const problems: PathProblem[] = [];
  for (const [g, i] of validItems(validOr(doc.groups))) {
    if (validOr(validOr(g.publish)?.pace)?.kind === 'max')
      problems.push({
        path: ['groups', i, 'publish', 'rate'],
        message: 'stages scale a rate: a closed loop (rate: max) has none',
        hint: 'use a rate with stages, or duration with rate: max',
      });
  }
  if (doc.duration !== undefined)
    problems.push({
      path: ['duration'],
      message: 'set either duration or stages, not both',
      hint: 'with stages, the run lasts as long as the stages together',
    });
  const total = validItems(stages).reduce((ms, [st]) => ms + (validOr(st.duration) ?? 0), 0);
  const warmup = validOr(doc.warmup) ?? 0;
  if (stages.length === 0) problems.push({ path: ['stages'], message: 'needs at least one stage', hint: 'e.g. - { duration: 30s, rate: 100% }' });
  else if (total <= warmup)
    problems.push({ path: ['stages'], message: 'the stages must last longer than the warm-up', hint: 'warm-up is the first part of the stages' });
  return problems;
}

/** Publish properties, topic aliases, response topics and responders need MQTT 5. */
function checkMqtt5(doc: CheckedScenario, groups: [CheckedGroup, number][]): PathProblem[] {
  if (validOr(validOr(doc.target)?.mqttVersion) === 5) return [];
  const problems: PathProblem[] = [];
  for (const [g, i] of groups) {
    const p = validOr(g.publish);
    for (const key of ['properties', 'topicAlias', 'responseTopic'] as const) {
      if (p && p[key] !== undefined && p[key] !== false)
        problems.push({ path: ['groups', i, 'publish', key], message: `${key} needs MQTT 5`, hint: 'set target.mqttVersion: 5' });
    }
    if (g.respond === true)
      problems.push({ path: ['groups', i, 'respond'], message: 'respond needs MQTT 5 (response topics)', hint: 'set target.mqttVersion: 5' });
  }
  return problems;
}

/** Each event acts on a group that exists (its one action is checked by the event's own decoder). */
function checkEventGroups(doc: CheckedScenario, groupNames: readonly string[]): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const [e, i] of validItems(validOr(doc.events))) {
    for (const a of EVENT_ACTIONS) {
      const group = validOr(validOr(e[a])?.group);
      if (group !== undefined && !groupNames.includes(group)) problems.push(noGroup(['events', i, a, 'group'], group, groupNames));
    }
  }
  return problems;
}

/** The rules of one group that look at its client id template, its subscriptions and its publish. */
function checkGroup(g: CheckedGroup, at: PathSegment[], names: { all: readonly string[]; complete: boolean }): PathProblem[] {
  const problems: PathProblem[] = [];
  const count = validOr(g.count);
  const clientId = g.clientId === undefined ? DEFAULT_CLIENT_ID_TEMPLATE : validOr(g.clientId);
  if (clientId && count !== undefined && count > 1 && !usesVar(clientId, 'i')) {
    problems.push({
      path: [...at, 'clientId'],
      message: `clientId has no {i}, so all ${count} clients would connect with the same id`,
      hint: 'add {i}, e.g. "dev-{i}"',
    });
  }
  const clientIdWildcard = clientId !== undefined && /[+#]/.test(templateLiterals(clientId));
  const wildcardId = 'topic uses {clientId}, but the clientId template contains + or #';

  for (const [s, j] of validItems(validOr(g.subscribe))) {
    const from = validOr(s.at) ?? 0;
    const until = validOr(s.until);
    if (until !== undefined && until <= from)
      problems.push({ path: [...at, 'subscribe', j, 'until'], message: 'until must be later than at', hint: 'both count from the start of publishing' });
    if (clientIdWildcard && usesVar(validOr(s.topic), 'clientId')) problems.push({ path: [...at, 'subscribe', j, 'topic'], message: wildcardId });
  }

  const pub = validOr(g.publish);
  if (pub) problems.push(...checkPublish(pub, at, validOr(g.name), names, clientIdWildcard ? wildcardId : undefined));
  return problems;
}

/** The rules of one group's publish: closed loop needs acks, {clientId} topics, and whom {target} cycles through. */
function checkPublish(
  pub: CheckedPublish,
  at: PathSegment[],
  name: string | undefined,
  names: { all: readonly string[]; complete: boolean },
  wildcardId: string | undefined,
): PathProblem[] {
  const problems: PathProblem[] = [];
  if (validOr(pub.pace)?.kind === 'max') {
    const qos = validOr(pub.qos);
    if (qos === 0 || typeof qos === 'object')
      problems.push({
        path: [...at, 'publish', 'qos'],
        message: 'rate: max (a closed loop on acks) needs QoS 1 or 2',
        hint: 'QoS 0 has no ack to wait for; use a rate, e.g. 10000/s',
      });
  }
  const topic = validOr(pub.topic);
  if (usesVar(topic, 'clientId') && wildcardId) problems.push({ path: [...at, 'publish', 'topic'], message: wildcardId });
  const distinct = [...new Set(names.all)];
  if (pub.targets !== undefined) {
    const targets = validOr(pub.targets);
    if (targets !== undefined && names.complete && !names.all.includes(targets)) problems.push(noGroup([...at, 'publish', 'targets'], targets, distinct));
  } else if (usesVar(topic, 'target') && name !== undefined && !defaultTargets(distinct, name)) {
    problems.push({
      path: [...at, 'publish', 'targets'],
      message: 'set publish.targets to the group {target} should cycle through',
      hint: distinct.length > 1 ? `one of: ${distinct.join(', ')}` : 'add a group of subscribers for {target} to cycle through',
    });
  }
  return problems;
}

/** A Prometheus source reads a preset's metrics or named ones: at least one of the two. */
function checkObserve(doc: CheckedScenario): PathProblem[] {
  const prom = validOr(validOr(validOr(doc.target)?.observe)?.prometheus);
  if (!prom || prom.preset !== undefined || prom.metrics !== undefined) return [];
  return [
    {
      path: ['target', 'observe', 'prometheus'],
      message: 'needs a preset or metrics to read',
      hint: 'e.g. preset: rabbitmq, or metrics: ["cpuSeconds=process_cpu_seconds_total"]',
    },
  ];
}

export function crossCheck(doc: CheckedScenario): PathProblem[] {
  const observe = checkObserve(doc);
  if (!isValid(doc.groups)) return observe;
  const groups = validItems(doc.groups);
  const names = doc.groups.map((g) => (isValid(g) ? validOr(g.name) : undefined));
  const known = names.filter((n): n is string => n !== undefined);
  const problems = [...observe, ...checkStages(doc), ...checkMqtt5(doc, groups), ...checkEventGroups(doc, known)];
  const firstIndex = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === undefined) return;
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, i);
    else problems.push({ path: ['groups', i, 'name'], message: `group name ${show(name)} is already used by groups[${first}]` });
  });
  for (const [g, i] of groups) problems.push(...checkGroup(g, ['groups', i], { all: known, complete: known.length === names.length }));
  return problems;
}
