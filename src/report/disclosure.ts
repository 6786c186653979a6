/**
 * The full-disclosure section of `report --format mqttbs`: per run, what others need to replicate it — the
 * tool and its version, the use case (scenario and its hash, MQTT settings as run), the generator's
 * hardware and OS, the broker (address, version, host size and how it was observed). Only what the results
 * file recorded; what it cannot know (the broker's configuration file, the network) is said to be missing.
 */
import type { Results } from '../metrics/resultsFile.js';
import type { BrokerFigures } from './brokerFigures.js';
import { fmtInt, fmtSec } from './format.js';
import { mdCell } from './markdown.js';

export interface DisclosedRun {
  label: string;
  results: Results;
  broker: BrokerFigures | undefined;
}

const NOT_RECORDED = 'not recorded';
type Rec = Record<string, unknown>;
const isRecord = (x: unknown): x is Rec => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): Rec[] => (Array.isArray(x) ? x.filter(isRecord) : []);
const distinct = (xs: unknown[]): string => [...new Set(xs.filter((x) => x !== undefined).map(String))].join(', ') || NOT_RECORDED;

/** The MQTT settings every group ran with, from the scenario as recorded in the results. */
function mqttSettings(scenario: Rec): string {
  const target = isRecord(scenario.target) ? scenario.target : {};
  const groups = list(scenario.groups);
  const connects = groups.map((g) => (isRecord(g.connect) ? g.connect : {}));
  const pubs = groups.flatMap((g) => (isRecord(g.publish) ? [g.publish] : []));
  const subs = groups.flatMap((g) => list(g.subscribe));
  const version =
    target.mqttVersion === 3 ? '3.1' : target.mqttVersion === 4 ? '3.1.1' : target.mqttVersion === 5 ? '5.0' : String(target.mqttVersion ?? NOT_RECORDED);
  const sizes = pubs.map((p) => {
    const pl = isRecord(p.payload) ? p.payload : {};
    if (typeof pl.json === 'string') return 'JSON template';
    return pl.maxSize !== undefined ? `${pl.size}..${pl.maxSize} B` : `${pl.size} B`;
  });
  const parts = [
    `MQTT ${version}`,
    `keepalive ${distinct(connects.map((c) => (c.keepaliveSec === undefined ? undefined : `${c.keepaliveSec} s`)))}`,
    `clean session ${distinct(connects.map((c) => (c.clean === false ? 0 : 1)))}`,
  ];
  if (subs.length) parts.push(`subscribe QoS ${distinct(subs.map((s) => s.qos))}`);
  if (pubs.length)
    parts.push(
      `publish QoS ${distinct(pubs.map((p) => (isRecord(p.qos) ? 'mix' : p.qos)))}`,
      `retain ${distinct(pubs.map((p) => (p.retain ? 1 : 0)))}`,
      `payload ${distinct(sizes)}`,
    );
  return parts.join(' · ');
}

function clients(scenario: Rec): string {
  return (
    list(scenario.groups)
      .map((g) => {
        const pub = isRecord(g.publish) ? g.publish : undefined;
        const filters = list(g.subscribe).map((s) => s.topic);
        const what = [
          pub
            ? `publish to ${pub.topic} ${pub.rate === 'max' ? 'as fast as the acks allow (closed loop)' : `at ${fmtInt(Number(pub.rate))} msg/s in total`}`
            : '',
          filters.length ? `subscribe to ${filters.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ');
        return `${g.name} × ${fmtInt(Number(g.count))}${what ? ` (${what})` : ''}`;
      })
      .join('; ') || NOT_RECORDED
  );
}

function network(url: string | undefined): string {
  const host = url ? /^[a-z]+:\/\/(\[[^\]]+\]|[^:/]+)/i.exec(url)?.[1] : undefined;
  if (!host) return NOT_RECORDED;
  if (/^(127\.|localhost$|\[::1\]$)/i.test(host)) return 'loopback (generator and broker on one machine)';
  return `${NOT_RECORDED} (broker at ${host}; state the link, its round-trip time and the receive buffer sizes)`;
}

function observation(b: BrokerFigures | undefined): string {
  if (!b) return 'none: the run did not observe the broker';
  if (b.sources.length === 0) return 'no source recorded';
  return b.sources
    .map((s) => `${s.target} (${s.kind} source): ${s.ok ? 'ok' : `failed (${s.error ?? 'no values'})`}${s.notes.length ? ` — ${s.notes.join('; ')}` : ''}`)
    .join(' · ');
}

// eslint-disable-next-line complexity -- debt: one row builder for every kind of run; split by section
function runRows({ results: r, broker }: DisclosedRun): [string, string][] {
  const s: Rec = isRecord(r.scenario) ? r.scenario : {};
  const env = r.environment ?? ({} as Partial<Results['environment']>);
  const url = r.target?.url;
  const rows: [string, string][] = [
    ['Tool', `mqbench ${r.mqbenchVersion ?? '?'} on Node ${env.node ?? '?'}`],
    ['Use case', `${s.name ?? '?'}${typeof s.description === 'string' ? ` — ${s.description}` : ''}`],
    ['Scenario hash', env.scenarioHash ?? NOT_RECORDED],
    ['MQTT settings', `${mqttSettings(s)} · TLS ${/^(mqtts|wss):/i.test(url ?? '') ? 'yes' : 'no'}`],
    ['Clients', clients(s)],
    [
      'Run',
      `started ${r.startedAt ?? '?'} · status ${r.status} · measured ${fmtSec(r.durationSec)} · warm-up ${fmtSec(Number(s.warmupMs ?? 0) / 1000)} · publishing after every connection was established`,
    ],
    [
      'Generator hardware',
      `${env.cpus ?? '?'} × ${env.cpuModel ?? '?'} (host ${env.host ?? '?'}), ${r.generator?.workers ?? '?'} worker thread(s), saturated: ${r.generator?.saturated ? `yes (${r.generator.saturatedReason ?? ''})` : 'no'}`,
    ],
    ['Generator OS', env.os ?? NOT_RECORDED],
    ['Broker', `${url ?? '?'}${r.target?.embedded ? ' (embedded aedes)' : ''}`],
    ['Broker version', r.target?.brokerVersion ?? NOT_RECORDED],
    ['Broker host', broker?.hostCpus !== undefined ? `${broker.hostCpus} CPUs (derived from the observed CPU share)` : NOT_RECORDED],
    ['Broker observation', observation(broker)],
    ['Broker configuration', `${NOT_RECORDED} by mqbench: attach the broker's configuration file and its non-default settings`],
    ['Network', network(url)],
  ];
  const m = r.merged;
  if (m)
    rows.push([
      'Segments',
      `${m.segments.length} merged${m.missing.length ? `, ${m.missing.length} missing` : ''} · hosts ${m.hosts.join(', ')} · clock uncertainty ${m.clockUncertaintyMs === null ? 'unknown' : `${m.clockUncertaintyMs} ms`}`,
    ]);
  return rows;
}

/** The section as Markdown: one two-column table per run. */
export function disclosure(runs: DisclosedRun[]): string {
  const blocks = runs.map((run) => [`### ${run.label}`, '', '| | |', '| --- | --- |', ...runRows(run).map(([k, v]) => `| ${k} | ${mdCell(v)} |`)].join('\n'));
  return ['## Full disclosure', '', ...blocks.join('\n\n').split('\n')].join('\n');
}
