import { describe, expect, it } from 'vitest';
import { UserError } from '../shared/errors.js';
import { observeRequest, presetFor } from './request.js';

describe('observeRequest', () => {
  it.each([
    ['nothing asked, no embedded broker', undefined, {}, null, null],
    ['--broker-pid: the process, and $SYS when it is mosquitto', undefined, { brokerPid: 7 }, null, { pid: 7, sys: 'auto' }],
    ['the flag wins over the scenario', { pid: 5, sys: false }, { brokerPid: 7 }, null, { pid: 7 }],
    ['--no-broker-sys turns the automatic $SYS off', undefined, { brokerPid: 7, brokerSys: false }, null, { pid: 7 }],
    ["the embedded broker: mqbench's main thread", undefined, {}, { pid: 99 }, { pid: 99, tid: 99 }],
    ['a pid given with the embedded broker is that pid', undefined, { brokerPid: 7 }, { pid: 99 }, { pid: 7, sys: 'auto' }],
    [
      "--broker-metrics on RabbitMQ's port: the rabbitmq preset",
      undefined,
      { brokerMetrics: 'http://127.0.0.1:15692/metrics' },
      null,
      { prometheus: { url: 'http://127.0.0.1:15692/metrics', preset: 'rabbitmq' } },
    ],
    [
      'a named preset and custom metrics',
      undefined,
      { brokerMetrics: 'http://h:1/m', brokerMetricsPreset: 'process', brokerMetric: ['q=queue_depth'] },
      null,
      { prometheus: { url: 'http://h:1/m', preset: 'process', metrics: ['q=queue_depth'] } },
    ],
    [
      "the scenario's prometheus and sys",
      { prometheus: { url: 'http://h:1/m', metrics: ['a=b'] }, sys: true },
      {},
      null,
      { prometheus: { url: 'http://h:1/m', metrics: ['a=b'] }, sys: true },
    ],
  ] as const)('%s', (_, spec, flags, embedded, want) => {
    expect(observeRequest(spec as never, { ...flags } as never, embedded)).toEqual(want);
  });

  it.each([
    [{ brokerMetrics: 'http://user:secret@10.0.0.1:8080/metrics' }, null, /which metrics should be read from http:\/\/10\.0\.0\.1:8080\/metrics\?/],
    [{ brokerMetricsPreset: 'emqx' }, null, /need --broker-metrics <url>/],
    [{ brokerSys: true }, { pid: 1 }, /the embedded broker publishes no \$SYS topics/],
  ])('refuses flags that cannot work, with a hint (%o)', (flags, embedded, message) => {
    const err = (() => {
      try {
        observeRequest(undefined, flags, embedded);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(message);
    expect((err as UserError).message).not.toContain('secret');
    expect((err as UserError).hint).toBeTruthy();
  });

  it('guesses a preset only from a well-known port or path', () => {
    expect(presetFor('http://127.0.0.1:18083/api/v5/prometheus/stats')).toBe('emqx');
    expect(presetFor('http://127.0.0.1:9100/metrics')).toBe('node_exporter');
    expect(presetFor('http://127.0.0.1:8080/metrics')).toBeUndefined();
  });
});
