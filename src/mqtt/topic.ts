/**
 * MQTT topic names (what a PUBLISH goes to) and topic filters (what a SUBSCRIBE asks for), per MQTT 3.1.1 §4.7
 * and 5.0 §4.7-4.8, including shared subscriptions "$share/<group>/<filter>".
 */

import { checkMqttString } from './mqttText.js';

const SHARE_PREFIX = '$share/';

/** A topic problem: a short message and, for characters MQTT forbids, why. */
export interface TopicProblem {
  message: string;
  hint?: string;
}

const problem = (message: string | null): TopicProblem | null => (message === null ? null : { message });

function checkCommon(text: string, what: string): TopicProblem | null {
  if (text.length === 0) return { message: `${what} must not be empty` };
  return checkMqttString(text, what);
}

/**
 * Checks a topic name for PUBLISH: non-empty, no wildcards, no character MQTT forbids (NUL, control
 * characters, non-characters), at most 65535 bytes. Null when valid.
 */
export function checkTopicName(topic: string, what = 'topic'): TopicProblem | null {
  const common = checkCommon(topic, what);
  if (common) return common;
  if (topic.includes('+') || topic.includes('#')) return { message: 'cannot publish to a wildcard topic (+ or #)' };
  return null;
}

/** A shared subscription split into its group and the filter it applies to; null when `filter` is not shared. */
export function parseShared(filter: string): { group: string; filter: string } | null {
  if (!filter.startsWith(SHARE_PREFIX)) return null;
  const rest = filter.slice(SHARE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash < 0) return { group: rest, filter: '' };
  return { group: rest.slice(0, slash), filter: rest.slice(slash + 1) };
}

function checkLevels(filter: string): string | null {
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return '# must be the whole last level of a topic filter, e.g. sensors/#';
    }
    if (level.includes('+') && level !== '+') {
      return '+ must be a whole level of a topic filter, e.g. sensors/+/temp';
    }
  }
  return null;
}

/**
 * Checks a topic filter for SUBSCRIBE: `#` only as the whole last level, `+` only as a whole level, and for
 * "$share/<group>/<filter>" a non-empty group without + # / and a valid non-empty filter. Null when valid.
 */
export function checkTopicFilter(filter: string): TopicProblem | null {
  const common = checkCommon(filter, 'topic filter');
  if (common) return common;
  const shared = parseShared(filter);
  if (!shared) return problem(checkLevels(filter));
  if (shared.group === '') return problem('$share needs a group name: $share/<group>/<filter>');
  if (/[+#]/.test(shared.group)) return problem('the $share group name must not contain + or #');
  if (shared.filter === '') return problem('$share needs a topic filter after the group: $share/<group>/<filter>');
  return problem(checkLevels(shared.filter));
}

/**
 * Whether `topic` matches `filter` by MQTT rules: `+` matches exactly one level, `#` matches zero or more
 * trailing levels (so "a/#" matches "a"), and topics starting with "$" are not matched by a filter whose first
 * level is a wildcard. A shared subscription matches like its inner filter.
 */
export function topicMatches(filter: string, topic: string): boolean {
  const shared = parseShared(filter);
  const f = shared ? shared.filter : filter;
  if (topic.startsWith('$') && (f.startsWith('+') || f.startsWith('#'))) return false;
  const fl = f.split('/');
  const tl = topic.split('/');
  for (let i = 0; i < fl.length; i++) {
    const level = fl[i];
    if (level === '#') return i === fl.length - 1;
    if (i >= tl.length) return false;
    if (level !== '+' && level !== tl[i]) return false;
  }
  return fl.length === tl.length;
}
