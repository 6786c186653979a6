import { parseScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';

/** A small QoS fan-out: `devices` subscribers on their own topics, one back end cycling through them. */
export function fanoutYaml(o: { url: string; devices?: number; rate?: string; qos?: 0 | 1 | 2; duration?: string; warmup?: string; workers?: number }): string {
  return `
name: it-fanout
target: { url: "${o.url}", mqttVersion: 3.1.1 }
warmup: ${o.warmup ?? '500ms'}
duration: ${o.duration ?? '2s'}
drain: 3s
${o.workers ? `workers: ${o.workers}` : ''}
groups:
  - name: devices
    count: ${o.devices ?? 200}
    clientId: "itdev-{run}-{i}"
    connect: { rate: 2000/s }
    subscribe: [ { topic: "it/{run}/cmd/{i}", qos: ${o.qos ?? 1} } ]
  - name: backend
    count: 1
    clientId: "itback-{run}-{i}"
    publish: { topic: "it/{run}/cmd/{target}", targets: devices, qos: ${o.qos ?? 1}, rate: ${o.rate ?? '500/s'}, payload: { size: 64 } }
`;
}

export function fanoutScenario(o: Parameters<typeof fanoutYaml>[0]): Scenario {
  return parseScenarioText(fanoutYaml(o), 'it-fanout.yaml', {}).scenario;
}
