/**
 * `mqbench plan` output: the node count with the resource that binds, the fleet's demand, each resource's
 * limit, the confidence checks and the model written out — as blocks for Markdown or HTML (doc.ts). Pure.
 */
import type { CapacityFacts } from '../capacity/capacityFacts.js';
import type { Projection } from '../capacity/project.js';
import { fmtBytes } from './brokerFigures.js';
import type { Block } from './doc.js';
import { fmtInt, fmtRate } from './format.js';

const pct = (h: number) => `${Math.round(h * 100)} %`;
const everyText = (perSec: number) => (perSec >= 1 ? `${fmtRate(perSec)} each` : `1 message every ${+(1 / perSec).toFixed(3)} s each`);
const num = (x: number) => (x === Infinity ? '∞' : x >= 100 ? fmtInt(x) : String(+x.toFixed(2)));

function title(p: Projection): string {
  const f = p.fleet;
  return `Capacity plan: ${fmtInt(f.devices)} devices, ${everyText(f.perDevicePerSec)} (QoS ${f.qos}${f.size !== undefined ? `, ${f.size} B` : ''}), ${f.pattern}`;
}

function node(facts: CapacityFacts[]): string {
  const versions = [...new Set(facts.flatMap((f) => (f.brokerVersion ? [f.brokerVersion] : [])))];
  const cpus = [...new Set(facts.flatMap((f) => (f.broker?.hostCpus !== undefined ? [f.broker.hostCpus] : [])))];
  return `The measured node: ${versions.join(' / ') || 'broker version not recorded'}${cpus.length ? ` on a ${cpus.join('/')}-CPU host` : ', host size not recorded'}.`;
}

function headline(p: Projection): string {
  if (p.binding && p.binding.nodes === Infinity) return `No node count: one node has no usable ${p.binding.resource} at this headroom (see the model below).`;
  if (p.nodes === null || !p.binding) return 'No node count: none of the capacity results measured a resource this fleet uses (see the checks below).';
  return `Nodes needed: ${fmtInt(p.nodes)} of the measured size, at ${pct(p.options.headroom)} headroom — bound by ${p.binding.resource} (${p.binding.cause}). Confidence: ${p.confidence}.`;
}

function perNode(p: Projection): Block[] {
  if (p.nodes === null) return [];
  const n = p.nodes;
  const rows = [
    ['messages in + out', `${fmtRate(p.demand.throughPerSec / n)}`],
    ['connections', fmtInt(p.demand.connections / n)],
  ];
  const fit = p.facts.find((f) => f.memory)?.memory;
  if (fit)
    rows.push([
      'memory for its connections',
      `${fmtBytes(fit.interceptBytes + (fit.bytesPerConnection * p.demand.connections) / n)} (${fmtBytes(fit.bytesPerConnection)} per connection + ${fmtBytes(fit.interceptBytes)} at none)`,
    ]);
  return [
    { kind: 'h2', text: `Each of the ${fmtInt(n)} nodes carries` },
    { kind: 'table', head: ['', 'per node'], rows },
  ];
}

function inputs(facts: CapacityFacts[]): string[] {
  return facts.map((f) => {
    const max = f.maxLoad === null ? 'no load passed' : `${fmtInt(f.maxLoad)} ${f.searched} within the SLO`;
    const shape =
      f.searched === 'msg/s'
        ? ` with ${fmtInt(f.connections)} connections, ${f.deliveriesPerMessage.toFixed(2)} deliveries per message, payload ${f.payloadBytes.join('/') || '?'} B, QoS ${f.qos.join('/') || '?'}`
        : '';
    const mem = f.memory
      ? `; memory per connection ${fmtBytes(f.memory.bytesPerConnection)} (fit over ${fmtInt(f.memory.fromConnections)}–${fmtInt(f.memory.toConnections)}, r² ${f.memory.r2.toFixed(2)})`
      : '';
    return `${f.label}: searched ${f.searched}, ${max} (SLO ${f.slo.join(', ') || '?'})${shape}${mem}${f.reason ? ` — ${f.reason}` : ''}`;
  });
}

export function fleetReportBlocks(p: Projection): Block[] {
  const mark = (c: { ok: boolean; severe: boolean }) => (c.ok ? '✓' : c.severe ? '✗' : '⚠');
  const model = [
    ...p.limits.flatMap((l) => [`${l.resource}:`, ...l.model.map((m) => `  ${m}`)]),
    p.nodes === null ? 'nodes: not judged' : `nodes = max(${p.limits.map((l) => `${l.resource} ${num(l.nodes)}`).join(', ')}) = ${fmtInt(p.nodes)}`,
  ];
  return [
    { kind: 'h1', text: title(p) },
    { kind: 'p', text: headline(p), strong: true },
    { kind: 'p', text: `${node(p.facts)} Fleet as given: "${p.fleet.text}".` },
    { kind: 'h2', text: 'The fleet' },
    {
      kind: 'table',
      head: ['', 'needs'],
      rows: [
        ['messages published', fmtRate(p.demand.publishPerSec)],
        ['deliveries to subscribers', `${fmtRate(p.demand.deliveriesPerSec)} (${num(p.fleet.deliveries)} per message)`],
        ['through the broker (in + out)', fmtRate(p.demand.throughPerSec)],
        ['connections', `${fmtInt(p.demand.connections)} (${fmtInt(p.fleet.devices)} devices + ${fmtInt(p.fleet.consumers)} consumers)`],
      ],
    },
    { kind: 'h2', text: 'Per resource' },
    {
      kind: 'table',
      head: ['resource', 'one node (measured)', `usable at ${pct(p.options.headroom)} headroom`, 'fleet needs', 'nodes', 'at the limit', 'from'],
      rows: p.limits.map((l) => [
        l.resource,
        `${l.lowerBound ? '≥ ' : ''}${num(l.capacity)} ${l.unit}`,
        num(l.usable),
        num(l.need),
        num(l.nodes),
        l.cause,
        l.from,
      ]),
    },
    ...perNode(p),
    { kind: 'h2', text: `Confidence: ${p.confidence}` },
    { kind: 'ul', items: p.checks.map((c) => `${mark(c)} ${c.text}`) },
    { kind: 'h2', text: 'The model' },
    { kind: 'code', lines: model },
    {
      kind: 'p',
      text: 'Headroom is kept on every resource. Broker CPU and memory figures come only from what the capacity runs observed; a resource no input measured is listed above as not judged, never estimated.',
    },
    { kind: 'h2', text: 'Inputs' },
    { kind: 'ul', items: inputs(p.facts) },
  ];
}
