import { describe, expect, it } from 'vitest';
import { checkTopicFilter, checkTopicName, parseShared, topicMatches } from './topic.js';

describe('checkTopicName', () => {
  it.each(['a', 'a/b/c', '/leading', 'trailing/', '//', '$SYS/x', 'sp ace', 'ünïcode/✓', 'a'.repeat(65_535)])(
    'accepts %j',
    (topic) => {
      expect(checkTopicName(topic)).toBeNull();
    },
  );

  it.each([
    ['', 'topic must not be empty'],
    ['a/+/b', 'cannot publish to a wildcard topic (+ or #)'],
    ['a/#', 'cannot publish to a wildcard topic (+ or #)'],
    ['a+b', 'cannot publish to a wildcard topic (+ or #)'],
    ['a\u0000b', 'topic must not contain the NUL character'],
    ['a'.repeat(65_536), 'topic is longer than 65535 bytes'],
    ['é'.repeat(40_000), 'topic is longer than 65535 bytes'],
  ])('rejects %j', (topic, message) => {
    expect(checkTopicName(topic)).toBe(message);
  });
});

describe('checkTopicFilter', () => {
  it.each([
    'a/b',
    '#',
    '+',
    'a/#',
    'a/+/c',
    '+/+/+',
    '/+',
    '+/',
    '$SYS/#',
    '$share/group/a/#',
    '$share/g/+',
    '$share/g/#',
    '$share/g//',
  ])('accepts %j', (filter) => {
    expect(checkTopicFilter(filter)).toBeNull();
  });

  it.each([
    ['', 'topic filter must not be empty'],
    ['a/#/b', '# must be the whole last level of a topic filter, e.g. sensors/#'],
    ['a#', '# must be the whole last level of a topic filter, e.g. sensors/#'],
    ['a/b#', '# must be the whole last level of a topic filter, e.g. sensors/#'],
    ['#/', '# must be the whole last level of a topic filter, e.g. sensors/#'],
    ['a+/b', '+ must be a whole level of a topic filter, e.g. sensors/+/temp'],
    ['a/+b', '+ must be a whole level of a topic filter, e.g. sensors/+/temp'],
    ['a\u0000', 'topic filter must not contain the NUL character'],
    ['$share//a', '$share needs a group name: $share/<group>/<filter>'],
    ['$share/', '$share needs a group name: $share/<group>/<filter>'],
    ['$share/g', '$share needs a topic filter after the group: $share/<group>/<filter>'],
    ['$share/g/', '$share needs a topic filter after the group: $share/<group>/<filter>'],
    ['$share/g+/a', 'the $share group name must not contain + or #'],
    ['$share/#/a', 'the $share group name must not contain + or #'],
    ['$share/g/a/#/b', '# must be the whole last level of a topic filter, e.g. sensors/#'],
  ])('rejects %j', (filter, message) => {
    expect(checkTopicFilter(filter)).toBe(message);
  });
});

describe('parseShared', () => {
  it.each([
    ['$share/ingest/telemetry/#', { group: 'ingest', filter: 'telemetry/#' }],
    ['$share/g/a', { group: 'g', filter: 'a' }],
    ['$share/g', { group: 'g', filter: '' }],
    ['$share//a', { group: '', filter: 'a' }],
    ['telemetry/#', null],
    ['$SYS/x', null],
    ['$sharex/g/a', null],
  ])('%j', (filter, expected) => {
    expect(parseShared(filter)).toEqual(expected);
  });
});

describe('topicMatches', () => {
  it.each<[string, string, boolean]>([
    // exact
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['a', 'A', false],
    ['/a', '/a', true],
    ['/a', 'a', false],
    // + is exactly one level (which may be empty)
    ['a/+', 'a/b', true],
    ['a/+', 'a/', true],
    ['a/+', 'a', false],
    ['a/+', 'a/b/c', false],
    ['+/+', '/finance', true],
    ['/+', '/finance', true],
    ['+', '/finance', false],
    ['+', 'a', true],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    // # is zero or more trailing levels, including the parent
    ['a/#', 'a', true],
    ['a/#', 'a/', true],
    ['a/#', 'a/b', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['a/#', 'b/a', false],
    ['#', 'a', true],
    ['#', 'a/b/c', true],
    ['#', '/', true],
    ['+/#', 'a', true],
    ['+/b/#', 'a/b', true],
    // topics starting with $ are not matched by a leading wildcard
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['+', '$SYS', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
    ['$SYS', '$SYS', true],
    ['a/#', 'a/$b', true],
    // shared subscriptions match like their inner filter
    ['$share/g/telemetry/#', 'telemetry/1', true],
    ['$share/g/telemetry/+', 'telemetry/1/x', false],
    ['$share/g/#', '$SYS/x', false],
    ['$share/g/a', 'a', true],
  ])('%j matches %j: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
