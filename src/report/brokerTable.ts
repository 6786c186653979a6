/**
 * The "Broker" block of the end-of-run summary: what the run observed of the broker (src/observe) — CPU in
 * cores, as a share of its host and on its busiest thread, memory, fds, disk I/O — the derived costs (CPU-ms
 * per 1,000 messages in and out, memory per connection) and the cross-check of the broker's own message
 * counters against mqbench's, with any difference shown. Empty when the run did not watch the broker.
 */
import Table from 'cli-table3';
import type { Results } from '../metrics/types.js';
import type { BrokerResults, IntervalField } from '../observe/types.js';
import type { Paint } from './ansi.js';
import { fmtBytes } from './brokerFigures.js';
import { fmtInt } from './format.js';

type Res = BrokerResults['resources'];

const cores = (x: number) => `${x.toFixed(2)} cores`;
const pct = (x: number) => `${x >= 10 ? Math.round(x) : x.toFixed(1)} %`;
const num = (x: number) => (Math.abs(x) >= 100 || Number.isInteger(x) ? fmtInt(x) : x.toFixed(1));
const perSecBytes = (x: number) => `${fmtBytes(x)}/s`;

/** Rows of resources present in the results: label and how to show one value. */
const ROWS: [IntervalField, string, (x: number, res: Res) => string][] = [
  [
    'cpuCores',
    'CPU',
    (x, res) => {
      const host =
        res.cpuCores && res.cpuPercentOfHost && res.cpuPercentOfHost.avg > 0 ? Math.round((res.cpuCores.avg / res.cpuPercentOfHost.avg) * 100) : undefined;
      return host ? `${cores(x)} = ${pct((x / host) * 100)} of ${host} CPUs` : cores(x);
    },
  ],
  ['maxThreadCpuCores', 'busiest thread', (x) => `${cores(x)} = ${pct(x * 100)} of one core`],
  ['maxThreadDemandCores', 'busiest thread running or waiting', (x) => cores(x)],
  ['hostCpuPercent', 'host CPU busy (whole host)', (x) => pct(x)],
  ['rssBytes', 'memory (RSS)', (x) => fmtBytes(x)],
  ['heapBytes', 'heap ($SYS)', (x) => fmtBytes(x)],
  ['hostMemUsedBytes', 'host memory used (whole host)', (x) => fmtBytes(x)],
  ['threads', 'threads', (x) => num(x)],
  ['fds', 'open fds', (x) => num(x)],
  ['connections', "connections (broker's count)", (x) => num(x)],
  ['receivedPerSec', "messages in/s (broker's count)", (x) => num(x)],
  ['sentPerSec', "messages out/s (broker's count)", (x) => num(x)],
  ['bytesReceivedPerSec', 'bytes in/s', perSecBytes],
  ['bytesSentPerSec', 'bytes out/s', perSecBytes],
  ['diskReadBytesPerSec', 'disk read/s', perSecBytes],
  ['diskWriteBytesPerSec', 'disk write/s', perSecBytes],
];

function resourcesTable(b: BrokerResults, paint: Paint): string {
  const res = b.resources;
  const table = new Table({
    head: ['broker', 'avg', 'max'].map((h) => paint.cyan(h)),
    colAligns: ['left', 'right', 'right'],
    style: { head: [], border: [], compact: true },
  });
  for (const [field, label, show] of ROWS) {
    const v = res[field];
    if (v) table.push([label, show(v.avg, res), show(v.max, res)]);
  }
  // mosquitto's own one-minute load averages ($SYS load/…/1min) repeat the per-second rates, slowly: results only.
  for (const [name, v] of Object.entries(res.extra ?? {})) if (!name.startsWith('load1min')) table.push([name, num(v.avg), num(v.max)]);
  if (res.diskReadBytes !== undefined || res.diskWriteBytes !== undefined) {
    table.push([
      'disk read / written in window',
      { colSpan: 2, hAlign: 'right', content: `${fmtBytes(res.diskReadBytes ?? 0)} / ${fmtBytes(res.diskWriteBytes ?? 0)}` },
    ]);
  }
  return table.length > 0 ? table.toString() : '';
}

/** "CPU per 1,000 messages: 12.3 ms in, 6.1 ms out (…)", or why there is none. */
export function cpuCostLine(b: BrokerResults): string | null {
  const c = b.costs?.cpuMsPer1kMessages;
  if (!c) return null;
  const ms = (x: number | null) => (x === null ? 'n/a' : `${x >= 100 ? fmtInt(x) : x.toPrecision(3)} ms`);
  const basis = c.basis === 'broker' ? 'messages counted by the broker' : 'messages counted by mqbench (no broker counters)';
  return `CPU per 1,000 messages: ${ms(c.in)} in, ${ms(c.out)} out (${fmtInt(c.cpuMs)} CPU-ms over ${c.seconds.toFixed(1)} s for ${fmtInt(c.messagesIn)} in / ${fmtInt(c.messagesOut)} out; ${basis})`;
}

/** "Memory per connection: 5.1 KiB (…)". */
export function memoryCostLine(b: BrokerResults): string | null {
  const m = b.costs?.bytesPerConnection;
  if (!m) return null;
  return `Memory per connection: ${fmtBytes(m.bytesPerConnection)} (slope of RSS over ${fmtInt(m.fromConnections)} → ${fmtInt(m.toConnections)} connections in the connect phase, ${m.points} s, R² ${m.r2.toFixed(2)})`;
}

/** The broker's counters against mqbench's, each difference said in words; red when not zero. */
export function crossCheckLines(b: BrokerResults, paint: Paint): string[] {
  const c = b.counters;
  if (!c) return [];
  const diff = (d: number, what: string) => (d === 0 ? paint.green('equal') : paint.red(`${d > 0 ? `${fmtInt(d)} more` : `${fmtInt(-d)} fewer`} ${what}`));
  const own = c.observerDeliveries ? ` (its ${fmtInt(c.observerDeliveries)} $SYS deliveries to mqbench's observer taken out)` : '';
  return [
    `Counts (broker's ${c.source} counters, seconds ${c.fromT}…${c.toT}):`,
    `  broker received ${fmtInt(c.receivedDelta)} · mqbench sent ${fmtInt(c.mqbenchSent)}: ${diff(c.difference.received, 'at the broker')}`,
    `  broker sent ${fmtInt(c.sentDelta)}${own} · mqbench received ${fmtInt(c.mqbenchReceived)}: ${diff(c.difference.sent, 'at the broker')}`,
  ];
}

/** The Broker block as lines (title, table, costs, counts, sources, notes); [] without `results.broker`. */
export function brokerBlock(results: Results, paint: Paint): string[] {
  const b = results.broker;
  if (!b) return [];
  const sources = b.sources.map((s) => (s.ok ? `${s.target}` : paint.yellow(`${s.target} FAILED`)));
  const lines = [paint.bold(`Broker (${sources.join('; ')})`)];
  const table = resourcesTable(b, paint);
  if (table) lines.push(table);
  else lines.push('no resource figures: no source gave values');
  for (const l of [cpuCostLine(b), memoryCostLine(b)]) if (l) lines.push(l);
  lines.push(...crossCheckLines(b, paint));
  for (const s of b.sources) {
    if (!s.ok) lines.push(paint.yellow(`WARNING: broker source ${s.kind} ${s.target}: ${s.error ?? 'failed'}`));
    for (const n of s.notes) lines.push(`note (${s.kind}): ${n}`);
  }
  for (const n of b.notes) lines.push(`note: ${n}`);
  return [...lines, ''];
}
