/**
 * How far a fleet projection can be trusted: each way the fleet per node differs from what was measured
 * (a rate outside the steps tried, more connections than the rate was measured with, another payload size,
 * QoS or fan-out, a memory fit stretched past its range, one node standing for many) is one check, and
 * the level says what the worst of them amounts to. Pure.
 */
import { fmtInt } from '../report/format.js';
import type { CapacityFacts } from './capacityFacts.js';
import type { Demand, ResourceLimit } from './fleet.js';
import type { Fleet } from './fleetSpec.js';

export interface Check {
  /** true: inside what was measured. */
  ok: boolean;
  /** A gap large enough to make the node count a guess (more than 2× outside, or a resource not judged). */
  severe: boolean;
  text: string;
}

export type Level = 'high' | 'medium' | 'low';

const times = (a: number, b: number) => (b > 0 ? `×${(a / b).toFixed(a / b >= 10 ? 0 : 1)}` : '');

function messageChecks(fleet: Fleet, f: CapacityFacts, perNodeThrough: number, perNodeConns: number): Check[] {
  const checks: Check[] = [];
  const through = f.passed.map((l) => l * (1 + f.deliveriesPerMessage));
  const lo = Math.min(...through);
  const hi = Math.max(...through);
  if (through.length > 0) {
    const inside = perNodeThrough >= lo * 0.999 && perNodeThrough <= hi * 1.001;
    checks.push({
      ok: inside,
      severe: false,
      text: `message rate per node ${fmtInt(perNodeThrough)} msg/s in + out: ${inside ? 'inside' : perNodeThrough < lo ? 'below' : 'above'} the passing steps measured (${fmtInt(lo)}–${fmtInt(hi)})`,
    });
  }
  if (perNodeConns > f.connections * 1.1) {
    checks.push({
      ok: false,
      severe: perNodeConns > 2 * f.connections,
      text: `connections per node ${fmtInt(perNodeConns)}: the message capacity was measured with ${fmtInt(f.connections)} (${times(perNodeConns, f.connections)}); the keepalives and memory of the extra connections are not in the measured rate`,
    });
  } else {
    checks.push({
      ok: true,
      severe: false,
      text: `connections per node ${fmtInt(perNodeConns)}: no more than the message capacity was measured with (${fmtInt(f.connections)})`,
    });
  }
  const sizes = f.payloadBytes.join('/') || '?';
  if (fleet.size === undefined || (f.payloadBytes.length === 1 && f.payloadBytes[0] === fleet.size)) {
    checks.push({ ok: true, severe: false, text: `payload ${fleet.size ?? sizes} B: as measured` });
  } else {
    const ratio = f.payloadBytes.length ? Math.max(fleet.size / Math.max(...f.payloadBytes), Math.min(...f.payloadBytes) / fleet.size) : Infinity;
    checks.push({
      ok: false,
      severe: ratio > 4,
      text: `payload ${fleet.size} B, measured at ${sizes} B: the cost of a message is taken as independent of its size`,
    });
  }
  const sameQos = f.qos.length === 1 && f.qos[0] === fleet.qos;
  checks.push({
    ok: sameQos,
    severe: false,
    text: sameQos ? `QoS ${fleet.qos}: as measured` : `QoS ${fleet.qos}, measured at QoS ${f.qos.join('/') || '?'}: acknowledgements cost differs`,
  });
  const d = f.deliveriesPerMessage;
  const sameFan = Math.abs(fleet.deliveries - d) <= 0.05 * Math.max(1, d);
  checks.push({
    ok: sameFan,
    severe: false,
    text: `${fleet.deliveries} ${fleet.deliveries === 1 ? 'delivery' : 'deliveries'} per message${sameFan ? ': as measured' : `, measured with ${d.toFixed(2)}: an outgoing message is taken to cost what an incoming one does`}`,
  });
  return checks;
}

/** Every check for a projection at `nodes` nodes. */
export function confidenceChecks(fleet: Fleet, demand: Demand, limits: ResourceLimit[], facts: CapacityFacts[], nodes: number): Check[] {
  const checks: Check[] = [];
  const perNodeConns = demand.connections / nodes;
  const msg = limits.find((l) => l.resource === 'messages');
  const msgFacts = msg && facts.find((f) => f.label === msg.from);
  if (msgFacts) checks.push(...messageChecks(fleet, msgFacts, demand.throughPerSec / nodes, perNodeConns));
  else if (demand.throughPerSec > 0)
    checks.push({
      ok: false,
      severe: true,
      text: 'message rate: no capacity result over the publish rate (mqbench capacity on a publishing scenario): messages are not judged',
    });
  const connJudged = limits.some((l) => l.resource !== 'messages');
  if (!connJudged)
    checks.push({
      ok: false,
      severe: true,
      text: 'connections: no connection capacity, and no --node-memory (with a memory-per-connection figure) or --node-fds: connections are not judged',
    });
  const mem = limits.find((l) => l.resource === 'memory');
  const fit = mem && facts.find((f) => f.label === mem.from)?.memory;
  if (fit) {
    const inRange = perNodeConns <= fit.toConnections;
    checks.push({
      ok: inRange,
      severe: perNodeConns > 2 * fit.toConnections,
      text: `memory per connection fitted over ${fmtInt(fit.fromConnections)}–${fmtInt(fit.toConnections)} connections${inRange ? '' : `, used for ${fmtInt(perNodeConns)} per node (${times(perNodeConns, fit.toConnections)})`}`,
    });
    if (fit.r2 < 0.9) checks.push({ ok: false, severe: false, text: `the memory-per-connection line fits loosely (r² ${fit.r2.toFixed(2)})` });
  }
  for (const l of limits)
    if (l.lowerBound)
      checks.push({
        ok: false,
        severe: false,
        text: `${l.resource}: one node's capacity is a lower bound (${l.cause}): the plan may use more nodes than needed`,
      });
  checks.push(
    nodes > 1
      ? {
          ok: false,
          severe: false,
          text: `one node was measured; ${nodes} nodes are taken to add up (no routing between nodes, no cluster overhead): measure a cluster of ${nodes} to confirm`,
        }
      : { ok: true, severe: false, text: 'one node, as measured' },
  );
  return checks;
}

export function levelOf(checks: Check[]): Level {
  if (checks.some((c) => c.severe)) return 'low';
  return checks.some((c) => !c.ok) ? 'medium' : 'high';
}
