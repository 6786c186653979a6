/**
 * What one capacity results file (`mqbench capacity … --out`) says about one broker node, read defensively:
 * what was searched (publish rate or connections), the highest load within the SLO, the loads tried, the
 * workload's shape at the best step (deliveries per message, payload size, QoS, connections), and the
 * broker's resources and costs when the run observed it (`results.broker`, or a step's own `broker`).
 */
import type { Results } from '../metrics/types.js';
import { brokerFiguresOf, type BrokerFigures } from '../report/brokerFigures.js';
import { capacityOf } from '../report/capacityPoints.js';

export interface MemoryFit {
  bytesPerConnection: number;
  interceptBytes: number;
  fromConnections: number;
  toConnections: number;
  r2: number;
}

export interface CapacityFacts {
  label: string;
  searched: 'msg/s' | 'connections';
  /** Highest passing load (msg/s published, or connections); null when no step passed. */
  maxLoad: number | null;
  /** Why the search stopped, as the capacity command wrote it. */
  reason: string;
  slo: string[];
  /** Loads of the steps that passed (not saturated). */
  passed: number[];
  /** A step where the generator, not the broker, was the limit. */
  generatorSaturated: boolean;
  /** The search stopped at its ceiling with the SLO still holding: the broker's limit is higher. */
  atCeiling: boolean;
  knee?: number;
  /** The workload of the results' own step (the best one). */
  deliveriesPerMessage: number;
  payloadBytes: number[];
  qos: number[];
  connections: number;
  broker?: BrokerFigures;
  memory?: MemoryFit;
  brokerVersion?: string;
}

type Rec = Record<string, unknown>;
const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function memoryFit(results: Results): MemoryFit | undefined {
  const broker = (results as Results & { broker?: unknown }).broker;
  const costs = isRecord(broker) && isRecord(broker.costs) ? broker.costs : undefined;
  const m = costs && isRecord(costs.bytesPerConnection) ? costs.bytesPerConnection : undefined;
  if (!m || !isNum(m.bytesPerConnection) || !isNum(m.interceptBytes)) return undefined;
  return {
    bytesPerConnection: m.bytesPerConnection,
    interceptBytes: m.interceptBytes,
    fromConnections: isNum(m.fromConnections) ? m.fromConnections : 0,
    toConnections: isNum(m.toConnections) ? m.toConnections : 0,
    r2: isNum(m.r2) ? m.r2 : 0,
  };
}

function workload(scenario: Rec): { payloadBytes: number[]; qos: number[] } {
  const pubs = (Array.isArray(scenario.groups) ? scenario.groups : []).filter(isRecord).flatMap((g) => (isRecord(g.publish) ? [g.publish] : []));
  const sizes = pubs.flatMap((p) => (isRecord(p.payload) && isNum(p.payload.size) ? [p.payload.size] : []));
  const qos = pubs.flatMap((p) => (isNum(p.qos) ? [p.qos] : []));
  return { payloadBytes: [...new Set(sizes)].sort((a, b) => a - b), qos: [...new Set(qos)].sort() };
}

/** The facts of a results file, or a sentence saying why it is not a capacity result. */
export function capacityFacts(label: string, results: Results): CapacityFacts | string {
  const cap = capacityOf(results);
  if (!cap) return `${label} is not a capacity result (no "capacity" field): make one with mqbench capacity … --out <file>`;
  const raw = (results as Results & { capacity?: Rec }).capacity ?? {};
  const rawSteps = Array.isArray(raw.steps) ? raw.steps.filter(isRecord) : [];
  const searched = raw.searched === 'connections' ? 'connections' : 'msg/s';
  const reason = typeof raw.reason === 'string' ? raw.reason : '';
  const m = results.summary?.messages;
  const broker = brokerFiguresOf(results);
  const memory = memoryFit(results);
  return {
    label,
    searched,
    maxLoad: cap.maxRate,
    reason,
    slo: cap.slo,
    passed: cap.steps.filter((s, i) => s.ok && rawSteps[i]?.saturated !== true).map((s) => s.rate),
    generatorSaturated: rawSteps.some((s) => s.saturated === true) || /generator saturated/.test(reason),
    atCeiling: /ceiling/.test(reason),
    ...(cap.knee !== undefined ? { knee: cap.knee } : {}),
    deliveriesPerMessage: m && m.sent > 0 ? m.expected / m.sent : 0,
    ...workload(isRecord(results.scenario) ? results.scenario : {}),
    connections: results.summary?.connections?.succeeded ?? 0,
    ...(broker ? { broker } : {}),
    ...(memory ? { memory } : {}),
    ...(results.target?.brokerVersion ? { brokerVersion: results.target.brokerVersion } : {}),
  };
}
