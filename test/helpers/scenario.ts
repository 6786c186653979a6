import { parseScenarioText, type LoadedScenario, type LoadResult } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { formatProblem, type ScenarioProblem } from '../../src/shared/errors.js';

/** The loaded scenario of a result a test expects to be valid (throws with the problems otherwise). */
export function loaded(result: LoadResult): LoadedScenario {
  if (!result.ok) throw new Error(`expected a valid scenario, got:\n${result.problems.map(formatProblem).join('\n')}`);
  return result.loaded;
}

/** The problems of a result a test expects to be refused (throws for a valid scenario). */
export function problems(result: LoadResult): ScenarioProblem[] {
  if (result.ok) throw new Error(`expected problems, but ${result.loaded.file} is a valid scenario`);
  return result.problems;
}

/** The problems as the CLI prints them: `file:line:col path: message (hint: …)`. */
export function problemLines(result: LoadResult): string[] {
  return problems(result).map(formatProblem);
}

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
  return loaded(parseScenarioText(fanoutYaml(o), 'it-fanout.yaml', {})).scenario;
}
