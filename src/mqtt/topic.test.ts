import { describe, expect, it } from 'vitest';
import { checkTopicFilter, checkTopicName, parseShared, topicMatches } from './topic.js';

describe('checkTopicName', () => {
  it.each(['a', 'a/b/c', '/leading', 'trailing/', '//', '$SYS/x', 'sp ace', 'ünïcode/✓', 'a'.repeat(65_535)])('accepts %j', (topic) => {
    expect(checkTopicName(topic)).toBeNull();
  });

  it.each([
    ['', 'topic must not be empty'],
    ['a/+/b', 'cannot publish to a wildcard topic (+ or #)'],
    ['a/#', 'cannot publish to a wildcard topic (+ or #)'],
    ['a+b', 'cannot publish to a wildcard topic (+ or #)'],
    ['a\u0000b', 'topic contains the NUL character (U+0000) at character 2'],
    ['a\tb', 'topic contains the control character U+0009 at character 2'],
    ['dev/\u001f', 'topic contains the control character U+001F at character 5'],
    ['x\u007f', 'topic contains the control character U+007F at character 2'],
    ['x\u0085y', 'topic contains the control character U+0085 at character 2'],
    ['x\u009f', 'topic contains the control character U+009F at character 2'],
    ['a/\uffff', 'topic contains the Unicode non-character U+FFFF at character 3'],
    ['\ufffe', 'topic contains the Unicode non-character U+FFFE at character 1'],
    ['a\ufdd0', 'topic contains the Unicode non-character U+FDD0 at character 2'],
    ['✓\u{1fffe}', 'topic contains the Unicode non-character U+1FFFE at character 2'],
    ['\u{10ffff}', 'topic contains the Unicode non-character U+10FFFF at character 1'],
    ['a\ud800b', 'topic contains a lone UTF-16 surrogate U+D800 (not valid UTF-8) at character 2'],
    ['a'.repeat(65_536), 'topic is 65,536 bytes in UTF-8; MQTT allows at most 65,535'],
    ['é'.repeat(40_000), 'topic is 80,000 bytes in UTF-8; MQTT allows at most 65,535'],
  ])('rejects %j', (topic, message) => {
    expect(checkTopicName(topic)?.message).toBe(message);
  });

  it('explains why a forbidden character is refused', () => {
    expect(checkTopicName('a\u0001')?.hint).toMatch(/^MQTT forbids NUL, control characters .* a broker may close the connection$/);
  });

  it.each(['\u00a0', '\u00a0x', 'emoji/\u{1f600}', '\ufffd', '\ufdcf', '\ufdf0', '\u{1fffd}'])('accepts the allowed neighbour %j', (topic) => {
    expect(checkTopicName(topic)).toBeNull();
  });
});

describe('checkTopicFilter', () => {
  it.each(['a/b', '#', '+', 'a/#', 'a/+/c', '+/+/+', '/+', '+/', '$SYS/#', '$share/group/a/#', '$share/g/+', '$share/g/#', '$share/g//'])(
    'accepts %j',
    (filter) => {
      expect(checkTopicFilter(filter)).toBeNull();
    },
  );

  it.each([
    ['', 'topic filter must not be empty'],
    ['a/#/b', '# must be the whole last level of a topic filter, e.g. sensors/#'],
    ['a#', '# must be the whole last level of a topic filter, e.g. sensors/#'],
    ['a/b#', '# must be the whole last level of a topic filter, e.g. sensors/#'],
    ['#/', '# must be the whole last level of a topic filter, e.g. sensors/#'],
    ['a+/b', '+ must be a whole level of a topic filter, e.g. sensors/+/temp'],
    ['a/+b', '+ must be a whole level of a topic filter, e.g. sensors/+/temp'],
    ['a\u0000', 'topic filter contains the NUL character (U+0000) at character 2'],
    ['a/\n/#', 'topic filter contains the control character U+000A at character 3'],
    ['$share/g\uffff/a', 'topic filter contains the Unicode non-character U+FFFF at character 9'],
    ['$share//a', '$share needs a group name: $share/<group>/<filter>'],
    ['$share/', '$share needs a group name: $share/<group>/<filter>'],
    ['$share/g', '$share needs a topic filter after the group: $share/<group>/<filter>'],
    ['$share/g/', '$share needs a topic filter after the group: $share/<group>/<filter>'],
    ['$share/g+/a', 'the $share group name must not contain + or #'],
    ['$share/#/a', 'the $share group name must not contain + or #'],
    ['$share/g/a/#/b', '# must be the whole last level of a topic filter, e.g. sensors/#'],
  ])('rejects %j', (filter, message) => {
    expect(checkTopicFilter(filter)?.message).toBe(message);
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
