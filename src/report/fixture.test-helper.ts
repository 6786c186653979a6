/**
 * A realistic Results fixture for the reporter tests: 1,000 devices, 2,000 msg/s for 30 s, QoS 1.
 * Not a test file itself; tests call makeResults() and override what they need.
 */
import type { LatencySummary, Results } from '../metrics/types.js';

function latency(count: number, ms: Omit<LatencySummary, 'count'>): LatencySummary {
  return { count, ...ms };
}

/** Overrides are applied one level deep (summary.messages etc. are replaced whole if given). */
export interface ResultsOverrides {
  status?: Results['status'];
  statusReason?: string;
  target?: Partial<Results['target']>;
  generator?: Partial<Results['generator']>;
  connections?: Partial<Results['summary']['connections']>;
  messages?: Partial<Results['summary']['messages']>;
  latencyMs?: Partial<Results['summary']['latencyMs']>;
}

export function makeResults(o: ResultsOverrides = {}): Results {
  const base: Results = {
    schemaVersion: 1,
    status: 'complete',
    mqbenchVersion: '0.1.0',
    scenario: { name: 'fanout-commands', warmup: '2s', duration: '30s', groups: [] },
    target: { url: 'mqtt://127.0.0.1:1883', embedded: false, brokerVersion: 'mosquitto 2.0.18' },
    startedAt: '2025-03-04T05:06:07.089Z',
    durationSec: 30,
    summary: {
      connections: {
        attempted: 1001,
        succeeded: 1001,
        failed: 0,
        lost: 0,
        reconnected: 0,
        reconnectAttempts: 0,
        dropped: 0,
        droppedBack: 0,
        subscribeFailed: 0,
        errors: {},
      },
      messages: {
        sent: 60_000,
        acked: 60_000,
        received: 60_000,
        expected: 60_000,
        lost: 0,
        duplicated: 0,
        outOfOrder: 0,
        lateSends: 0,
        missedSends: 0,
        unexpected: 0,
        retainedExpected: 0,
        retainedReceived: 0,
        responsesSent: 0,
        responsesReceived: 0,
        publishErrors: 0,
        foreign: 0,
        notOffered: 0,
        retainedNotOffered: 0,
        notEntitled: 0,
        awayAtEnd: 0,
        extraCopies: 0,
        unverifiable: 0,
      },
      throughput: { sentPerSec: 2000, receivedPerSec: 1999.6 },
      latencyMs: {
        connect: latency(1001, { min: 0.412, mean: 2.1, p50: 1.503, p90: 3.221, p99: 8.123, p999: 14.87, max: 15.2 }),
        publishAck: latency(60_000, { min: 0.081, mean: 0.3, p50: 0.2345, p90: 0.51, p99: 1.2371, p999: 4.05, max: 23.45 }),
        endToEnd: latency(60_000, { min: 0.101, mean: 0.4, p50: 0.3111, p90: 0.72, p99: 1.2449, p999: 12.34, max: 123.456 }),
        endToEndUncorrected: latency(60_000, { min: 0.099, mean: 0.38, p50: 0.301, p90: 0.7, p99: 1.19, p999: 11.9, max: 121.7 }),
        reconnect: latency(0, { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }),
        requestResponse: latency(0, { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }),
        unsentWait: latency(0, { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }),
        connectFromSlot: latency(0, { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 }),
      },
      byQos: {},
      verdicts: [],
    },
    intervals: [
      {
        t: -1,
        phase: 'connect',
        sent: 0,
        received: 0,
        acked: 0,
        expected: 0,
        lateSends: 0,
        connections: 1001,
        endToEndP50: null,
        endToEndP99: null,
        lost: 0,
        lostSoFar: 0,
      },
      {
        t: 1,
        phase: 'measure',
        sent: 2000,
        received: 2000,
        acked: 2000,
        expected: 2000,
        lateSends: 0,
        connections: 1001,
        endToEndP50: 0.31,
        endToEndP99: 1.2,
        lost: 0,
        lostSoFar: 0,
      },
    ],
    generator: { workers: 2, maxEventLoopDelayMs: 12.5, cpuPercentMax: 41, saturated: false },
    environment: { node: 'v20.20.2', os: 'linux 6.1', cpus: 2, cpuModel: 'Test CPU', host: 'bench-1' },
    histograms: {
      connect: 'HISTFAAAA',
      publishAck: 'HISTFAAAB',
      endToEnd: 'HISTFAAAC',
      endToEndUncorrected: 'HISTFAAAD',
      reconnect: 'HISTFAAAE',
      requestResponse: 'HISTFAAAF',
      unsentWait: 'HISTFAAAG',
      connectFromSlot: '',
    },
  };
  const s = base.summary;
  return {
    ...base,
    status: o.status ?? base.status,
    ...(o.statusReason !== undefined ? { statusReason: o.statusReason } : {}),
    target: { ...base.target, ...o.target },
    generator: { ...base.generator, ...o.generator },
    summary: {
      ...s,
      connections: { ...s.connections, ...o.connections },
      messages: { ...s.messages, ...o.messages },
      latencyMs: { ...s.latencyMs, ...o.latencyMs },
    },
  };
}

/** The cells of the terminal-table row whose first cell is `label`. */
export function rowCells(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`│ ${label} `));
  if (!line) throw new Error(`no row "${label}" in:\n${text}`);
  return line
    .split('│')
    .slice(1, -1)
    .map((c) => c.trim());
}
