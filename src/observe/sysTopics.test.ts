import { describe, expect, it } from 'vitest';
import { sysField, sysNumber, SYS_FILTERS } from './sysTopics.js';

describe('mosquitto $SYS topics', () => {
  it.each([
    ['$SYS/broker/clients/connected', { where: 'gauges', name: 'connections' }],
    ['$SYS/broker/heap/current', { where: 'gauges', name: 'heapBytes' }],
    ['$SYS/broker/heap/maximum', { where: 'gauges', name: 'heapMaxBytes' }],
    ['$SYS/broker/messages/received', { where: 'counters', name: 'packetsReceived' }],
    ['$SYS/broker/publish/messages/received', { where: 'counters', name: 'messagesReceived' }],
    ['$SYS/broker/publish/messages/sent', { where: 'counters', name: 'messagesSent' }],
    ['$SYS/broker/publish/messages/dropped', { where: 'extraCounters', name: 'publishDropped' }],
    ['$SYS/broker/bytes/sent', { where: 'counters', name: 'bytesSent' }],
    ['$SYS/broker/load/publish/received/1min', { where: 'extra', name: 'load1minPublishReceived' }],
    ['$SYS/broker/load/connections/1min', { where: 'extra', name: 'load1minConnections' }],
    ['$SYS/broker/version', { where: 'version' }],
    ['$SYS/broker/load/publish/received/5min', null],
    ['$SYS/broker/uptime', null],
    ['$SYS/brokers/emqx@n1/version', null],
    ['sensors/1', null],
  ])('%s', (topic, want) => {
    expect(sysField(topic)).toEqual(want);
  });

  it('subscribes to filters that cover every topic it maps', () => {
    const matches = (filter: string, topic: string) => {
      const f = filter.split('/');
      const t = topic.split('/');
      return f.length === t.length && f.every((p, i) => p === '+' || p === t[i]);
    };
    for (const topic of [
      '$SYS/broker/clients/connected',
      '$SYS/broker/publish/messages/sent',
      '$SYS/broker/load/bytes/sent/1min',
      '$SYS/broker/load/sockets/1min',
      '$SYS/broker/heap/current',
    ]) {
      expect(
        SYS_FILTERS.some((f) => matches(f, topic)),
        topic,
      ).toBe(true);
    }
  });

  it('reads numeric payloads only', () => {
    expect(sysNumber('123')).toBe(123);
    expect(sysNumber(' 0.57\n')).toBe(0.57);
    expect(sysNumber('12 seconds')).toBeNull();
    expect(sysNumber('mosquitto version 2.0.11')).toBeNull();
  });
});
