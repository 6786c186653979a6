/**
 * How many broker nodes of the measured size a fleet needs. Pure arithmetic, written out so a reader can
 * check it: for each resource a capacity result measured (or the user stated), nodes = ⌈fleet need /
 * (one node's capacity × (1 − headroom))⌉; the fleet needs the most of them, and that resource binds.
 *
 * - messages: the broker's work is taken as messages in + messages out. One node's capacity = its highest
 *   publish rate within the SLO × (1 + the deliveries per message of that run).
 * - connections: the highest connection count within the SLO (a capacity search over connections).
 * - memory: with --node-memory, (node memory × (1 − headroom) − the broker's memory at no connection) /
 *   memory per connection (the slope measured during a connect phase).
 * - file descriptors: with --node-fds, one descriptor per connection.
 * How far to trust the result is confidence.ts's job.
 */
import { fmtInt } from '../report/format.js';
import type { CapacityFacts } from './capacityFacts.js';
import type { Fleet } from './fleetSpec.js';

export interface PlanOptions {
  /** Share of each resource kept free, 0 ≤ h < 1 (default 0.3). */
  headroom: number;
  nodeMemoryBytes?: number;
  nodeFds?: number;
}

export interface Demand {
  publishPerSec: number;
  deliveriesPerSec: number;
  /** In + out: what the message capacity is compared with. */
  throughPerSec: number;
  connections: number;
}

export type Resource = 'messages' | 'connections' | 'memory' | 'file descriptors';

export interface ResourceLimit {
  resource: Resource;
  unit: string;
  /** One node, at 100 %. */
  capacity: number;
  /** One node, with the headroom kept free. */
  usable: number;
  need: number;
  nodes: number;
  /** The arithmetic, in words and numbers. */
  model: string[];
  /** The capacity is at least this (the search hit its ceiling, or the generator saturated first). */
  lowerBound: boolean;
  /** What runs out at one node's limit, when the capacity run observed the broker. */
  cause: string;
  /** The capacity result it comes from. */
  from: string;
}

export function demandOf(fleet: Fleet): Demand {
  const publishPerSec = fleet.devices * fleet.perDevicePerSec;
  const deliveriesPerSec = publishPerSec * fleet.deliveries;
  return { publishPerSec, deliveriesPerSec, throughPerSec: publishPerSec + deliveriesPerSec, connections: fleet.devices + fleet.consumers };
}

/** Away with floating-point dust (82,000 × 0.7 = 57,399.999…), so a node count is never one too many. */
const tidy = (x: number) => Math.round(x * 1e6) / 1e6;
const n2 = (x: number) => {
  const r = Math.round(x * 100) / 100;
  return Number.isInteger(r) ? fmtInt(r) : r.toFixed(2);
};

/** What ran out at a message-rate limit, from the broker's CPU at the best step. */
export function messageCause(f: CapacityFacts): string {
  // The capacity search judged every step's resources (binding.ts): its verdict comes first.
  if (f.binding) return f.binding;
  const b = f.broker;
  const thread = b?.busiestThread?.max;
  // Direct evidence that the broker ran out comes first; else what stopped the search.
  if (thread !== undefined && thread >= 0.9) return `CPU: the busiest broker thread at ${thread.toFixed(2)} cores (one core is all a single thread can use)`;
  if (b?.percentOfHost && b.percentOfHost.max >= 90) return `CPU: ${b.percentOfHost.max.toFixed(0)} % of the broker's host`;
  if (f.generatorSaturated) return "the generator saturated first: the broker's limit is higher than measured";
  if (f.atCeiling) return "the search stopped at its ceiling with the SLO still holding: the broker's limit is higher than measured";
  if (b?.cores)
    return `the SLO (${f.slo.join(', ')}) broke first; CPU was not exhausted (${b.cores.max.toFixed(2)} cores${b.percentOfHost ? `, ${b.percentOfHost.max.toFixed(0)} % of the host` : ''}${thread !== undefined ? `, busiest thread ${thread.toFixed(2)} cores` : ''})`;
  return `the SLO (${f.slo.join(', ')}) broke; the broker's CPU was not observed, so what ran out is not known`;
}

function limit(
  resource: Resource,
  unit: string,
  capacity: number,
  usable: number,
  need: number,
  model: string[],
  extra: Pick<ResourceLimit, 'lowerBound' | 'cause' | 'from'>,
): ResourceLimit {
  const nodes = usable > 0 ? Math.max(1, Math.ceil(need / usable)) : Infinity;
  return {
    resource,
    unit,
    capacity,
    usable,
    need,
    nodes,
    ...extra,
    model: [...model, `nodes = ⌈${n2(need)} / ${n2(usable)}⌉ = ${nodes === Infinity ? '∞ (nothing usable)' : nodes}`],
  };
}

/** Capacity × (1 − headroom), with its line of the model. */
function kept(capacity: number, h: number, unit: string): [number, string] {
  const usable = tidy(capacity * (1 - h));
  return [usable, `usable per node = ${n2(capacity)} × (1 − ${h}) = ${n2(usable)} ${unit}`];
}

/** The lowest capacity among several results of one kind (the conservative choice), with its facts. */
function lowest(facts: CapacityFacts[], value: (f: CapacityFacts) => number | null): { f: CapacityFacts; v: number } | null {
  const withValue = facts.flatMap((f) => {
    const v = value(f);
    return v === null || !(v > 0) ? [] : [{ f, v }];
  });
  return withValue.length === 0 ? null : withValue.reduce((a, b) => (b.v < a.v ? b : a));
}

/** Every resource limit the inputs allow, in a fixed order. */
export function resourceLimits(demand: Demand, facts: CapacityFacts[], o: PlanOptions): ResourceLimit[] {
  const h = o.headroom;
  const out: ResourceLimit[] = [];
  const msg = lowest(
    facts.filter((f) => f.searched === 'msg/s'),
    (f) => (f.maxLoad === null ? null : f.maxLoad * (1 + f.deliveriesPerMessage)),
  );
  if (msg) {
    const { f, v } = msg;
    const [usable, line] = kept(v, h, 'msg/s');
    out.push(
      limit(
        'messages',
        'msg/s in + out',
        v,
        usable,
        demand.throughPerSec,
        [
          `fleet: ${n2(demand.publishPerSec)} msg/s in + ${n2(demand.deliveriesPerSec)} out = ${n2(demand.throughPerSec)} msg/s through the broker`,
          `one node: ${n2(f.maxLoad!)} msg/s published within the SLO × (1 + ${n2(f.deliveriesPerMessage)} deliveries per message in that run) = ${n2(v)} msg/s`,
          line,
        ],
        { lowerBound: f.generatorSaturated || f.atCeiling, cause: messageCause(f), from: f.label },
      ),
    );
  }
  const conn = lowest(
    facts.filter((f) => f.searched === 'connections'),
    (f) => f.maxLoad,
  );
  if (conn) {
    const [usable, line] = kept(conn.v, h, 'connections');
    out.push(
      limit(
        'connections',
        'connections',
        conn.v,
        usable,
        demand.connections,
        [`fleet: ${n2(demand.connections)} connections; one node: ${n2(conn.v)} connections within the SLO (${conn.f.slo.join(', ')})`, line],
        {
          lowerBound: conn.f.generatorSaturated || conn.f.atCeiling,
          cause: conn.f.atCeiling ? 'the search stopped at its ceiling: the limit is higher' : 'the connection SLO broke',
          from: conn.f.label,
        },
      ),
    );
  }
  const mem = lowest(facts, (f) => f.memory?.bytesPerConnection ?? null);
  if (mem && o.nodeMemoryBytes !== undefined) {
    const m = mem.f.memory!;
    const per = (bytes: number) => Math.max(0, Math.floor((bytes - m.interceptBytes) / m.bytesPerConnection));
    const usable = per(o.nodeMemoryBytes * (1 - h));
    out.push(
      limit(
        'memory',
        'connections',
        per(o.nodeMemoryBytes),
        usable,
        demand.connections,
        [
          `fleet: ${n2(demand.connections)} connections; one node: (${n2(o.nodeMemoryBytes)} B of memory − ${n2(Math.round(m.interceptBytes))} B at no connection) / ${n2(Math.round(m.bytesPerConnection))} B per connection`,
          `usable per node = (${n2(o.nodeMemoryBytes)} × (1 − ${h}) − ${n2(Math.round(m.interceptBytes))}) / ${n2(Math.round(m.bytesPerConnection))} = ${n2(usable)} connections`,
        ],
        { lowerBound: false, cause: 'memory', from: mem.f.label },
      ),
    );
  }
  if (o.nodeFds !== undefined) {
    const [usable, line] = kept(o.nodeFds, h, 'connections');
    out.push(
      limit(
        'file descriptors',
        'connections',
        o.nodeFds,
        usable,
        demand.connections,
        [`fleet: ${n2(demand.connections)} connections; one node: ${n2(o.nodeFds)} file descriptors (--node-fds), one per connection`, line],
        { lowerBound: false, cause: "the broker process's open-files limit", from: '--node-fds' },
      ),
    );
  }
  return out;
}

/** The node count: the most any resource needs (null when no resource could be judged). */
export function nodesNeeded(limits: ResourceLimit[]): { nodes: number; binding: ResourceLimit } | null {
  if (limits.length === 0) return null;
  const binding = limits.reduce((a, b) => (b.nodes > a.nodes ? b : a));
  return { nodes: binding.nodes, binding };
}
