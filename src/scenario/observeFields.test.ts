import { describe, expect, it } from 'vitest';
import { loaded, problemLines } from '../../test/helpers/scenario.js';
import { parseScenarioText } from './load.js';
import { redactScenario } from './redact.js';

const doc = (observe: string) => `name: o
target:
  url: mqtt://127.0.0.1:1883
  observe:
${observe}
groups:
  - name: a
    count: 1
`;

describe('target.observe', () => {
  it('reads pid, prometheus (url, preset, custom metrics) and sys into the Scenario', () => {
    const text = doc(`    pid: 4242
    prometheus:
      url: http://user:pw@127.0.0.1:15692/metrics
      preset: rabbitmq
      metrics: [ "queueDepth=rabbitmq_queue_messages{queue=\\"a\\"}" ]
    sys: true`);
    const { scenario } = loaded(parseScenarioText(text, 'o.yaml', {}));
    expect(scenario.target.observe).toEqual({
      pid: 4242,
      prometheus: { url: 'http://user:pw@127.0.0.1:15692/metrics', preset: 'rabbitmq', metrics: ['queueDepth=rabbitmq_queue_messages{queue="a"}'] },
      sys: true,
    });
    // The metrics URL's credentials never reach a results file.
    const record = redactScenario(scenario, []) as { target: { observe: { prometheus: { url: string } } } };
    expect(record.target.observe.prometheus.url).toBe('http://127.0.0.1:15692/metrics');
  });

  it('reports every wrong value at its line and column, with a hint', () => {
    const text = doc(`    pid: -3
    prometheus:
      url: mqtt://127.0.0.1:1883
      preset: rabitmq
      metrics: [ "no equals sign" ]
    sys: maybe
    pdi: 1`);
    expect(problemLines(parseScenarioText(text, 'o.yaml', {}))).toEqual([
      'o.yaml:5:10 target.observe.pid: must be a whole number from 1 to 4194304, got -3',
      "o.yaml:7:12 target.observe.prometheus.url: expected an http:// or https:// metrics URL, got 'mqtt://127.0.0.1:1883' (hint: e.g. http://127.0.0.1:15692/metrics (RabbitMQ) or http://127.0.0.1:9100/metrics (node_exporter))",
      "o.yaml:8:15 target.observe.prometheus.preset: unknown metrics preset 'rabitmq' (hint: one of: emqx, rabbitmq, node_exporter, process)",
      expect.stringMatching(/^o\.yaml:9:18 target\.observe\.prometheus\.metrics\[0\]: custom metric "no equals sign": write name=metric\{labels\}/),
      expect.stringMatching(/^o\.yaml:10:10 target\.observe\.sys: /),
      'o.yaml:11:5 target.observe.pdi: unknown key (hint: did you mean "pid"?)',
    ]);
  });

  it('a Prometheus source needs a preset or metrics', () => {
    const text = doc(`    prometheus: { url: "http://127.0.0.1:9100/metrics" }`);
    expect(problemLines(parseScenarioText(text, 'o.yaml', {}))).toEqual([
      'o.yaml:5:17 target.observe.prometheus: needs a preset or metrics to read (hint: e.g. preset: rabbitmq, or metrics: ["cpuSeconds=process_cpu_seconds_total"])',
    ]);
  });
});
