// The four measurements, their configuration for each contender, and how their runs become figures:
// medians over runs, the ratio of mqbench to the raw baseline, and each target met or missed.
import { availableParallelism } from 'node:os';

/** The CLI's default worker count on this machine (cores − 1, at least 1). */
const WORKERS = Math.max(1, availableParallelism() - 1);
const PAYLOAD = 64;

const f0 = (n) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const f2 = (n) => (n === null || n === undefined ? '—' : n.toFixed(2));
const f3 = (n) => (n === null || n === undefined ? '—' : n.toFixed(3));

/**
 * (a) and (b) measure the steady state: each contender sends this long before its window opens (mqbench: the
 * scenario's `warmup`), so the window leaves out the first moments, when the JIT is still compiling the hot path.
 */
const warmupMs = (o) => (o.quick ? 500 : 1000);

/** (a)'s second measurement: a QoS 0 load the broker takes, the issue's own condition (10 publishers). */
const QOS0_FIXED_RATE = 200_000;
const QOS0_FIXED_TEXT = '200k';
/** The fixed-rate phase of a (a) run, unless mqbench reported that run as not complete (a failed measurement). */
const fixedPhase = (r) => (!r.fixed || (r.fixed.status && r.fixed.status !== 'complete') ? null : r.fixed);
/** mosquitto's CPU over a contender's measured window (from /proc/<pid>/stat; runs recorded before it have none). */
const BROKER_LABEL = 'broker (mosquitto) CPU during the window';
const brokerRow = { key: 'brokerCores', label: BROKER_LABEL, unit: 'cores', fmt: f2, derive: (r) => r.brokerCores ?? null };

export const FIGURES = [
  {
    id: 'qos0',
    title: '(a) QoS 0 throughput, 10 publishers, 64-byte payloads',
    // Measured twice per contender: at the most either can send, then paced at QOS0_FIXED_RATE (a fresh run).
    raw: (o) => ({
      mode: 'qos0',
      clients: 10,
      payloadSize: PAYLOAD,
      batch: 100,
      warmupMs: warmupMs(o),
      durationMs: o.quick ? 2000 : 5000,
      fixedRate: QOS0_FIXED_RATE,
    }),
    mqbench: (o) => ({
      mode: 'qos0',
      clients: 10,
      payloadSize: PAYLOAD,
      rate: 1_000_000,
      warmupMs: warmupMs(o),
      durationMs: o.quick ? 2000 : 5000,
      workers: WORKERS,
      fixedRate: QOS0_FIXED_RATE,
    }),
    timeoutMs: () => 90_000,
    brief: (r) =>
      `${f0(r.sentPerSec)} msg/s, ${f3(r.cpuPer100k)} CPU-s/100k, broker ${f2(r.brokerCores)} cores; at ${f0(r.fixed?.rate)}/s offered: ${f0(r.fixed?.sentPerSec)} msg/s, ${f3(r.fixed?.cpuPer100k)} CPU-s/100k, broker ${f2(r.fixed?.brokerCores)} cores`,
    metrics: [
      {
        key: 'sentPerSec',
        label: 'throughput',
        unit: 'msg/s',
        fmt: f0,
        target: { text: '≥ 95% of baseline', check: (v, raw) => (raw ? v / raw >= 0.95 : null) },
      },
      { key: 'cpuPer100k', label: 'generator CPU per 100k msgs', unit: 'CPU-s', fmt: f3, target: { text: '≤ 0.10', check: (v) => v <= 0.1 } },
      {
        key: 'sentPerSecFixed',
        label: `throughput at ${QOS0_FIXED_TEXT}/s offered`,
        unit: 'msg/s',
        fmt: f0,
        derive: (r) => fixedPhase(r)?.sentPerSec ?? null,
      },
      {
        key: 'cpuPer100kFixed',
        label: `generator CPU per 100k msgs at ${QOS0_FIXED_TEXT}/s offered`,
        unit: 'CPU-s',
        fmt: f3,
        derive: (r) => fixedPhase(r)?.cpuPer100k ?? null,
        target: { text: '≤ 0.10', check: (v) => v <= 0.1 },
      },
      brokerRow,
      {
        key: 'brokerCoresFixed',
        label: `${BROKER_LABEL} at ${QOS0_FIXED_TEXT}/s offered`,
        unit: 'cores',
        fmt: f2,
        derive: (r) => fixedPhase(r)?.brokerCores ?? null,
      },
    ],
  },
  {
    id: 'qos1',
    title: '(b) QoS 1 throughput, 10 publishers, 20 in flight each',
    raw: (o) => ({ mode: 'qos1', clients: 10, payloadSize: PAYLOAD, window: 20, warmupMs: warmupMs(o), durationMs: o.quick ? 2000 : 5000 }),
    mqbench: (o) => ({
      mode: 'qos1',
      clients: 10,
      payloadSize: PAYLOAD,
      rate: 110_000,
      warmupMs: warmupMs(o),
      durationMs: o.quick ? 2000 : 5000,
      workers: WORKERS,
    }),
    timeoutMs: () => 60_000,
    brief: (r) => `${f0(r.sentPerSec)} msg/s, ${f3(r.cpuPer100k)} CPU-s/100k, broker ${f2(r.brokerCores)} cores`,
    metrics: [
      { key: 'sentPerSec', label: 'throughput', unit: 'msg/s', fmt: f0, target: { text: '≥ 55,000', check: (v) => v >= 55_000 } },
      { key: 'cpuPer100k', label: 'generator CPU per 100k msgs', unit: 'CPU-s', fmt: f3, target: { text: '≤ 1.5', check: (v) => v <= 1.5 } },
      brokerRow,
    ],
  },
  {
    id: 'idle',
    title: '(c) idle connections, keepalive 60 s',
    raw: (o) => ({ mode: 'idle', connections: o.connections, concurrency: 100, holdMs: o.quick ? 1000 : 3000 }),
    mqbench: (o) => ({ mode: 'idle', connections: o.connections, connectRate: 10_000, holdMs: o.quick ? 1000 : 3000, workers: WORKERS }),
    timeoutMs: (o) => 60_000 + o.connections * 10,
    brief: (r) => `${f0(r.succeeded)} connected, ${f0(r.connectsPerSec)} conn/s, ${f2(r.rssPerConnBytes / 1024)} KB RSS/conn`,
    metrics: [
      { key: 'connectsPerSec', label: 'connect rate', unit: 'conn/s', fmt: f0, target: { text: '≥ 5,000', check: (v) => v >= 5000 } },
      {
        key: 'rssPerConnKB',
        label: 'RSS per connection',
        unit: 'KB',
        fmt: f2,
        derive: (r) => (r.rssPerConnBytes == null ? null : r.rssPerConnBytes / 1024),
        target: { text: '≤ 5', check: (v) => v <= 5 },
      },
      {
        key: 'cpuPer1kConn',
        label: 'generator CPU per 1,000 connections, connect phase',
        unit: 'CPU-s',
        fmt: f3,
        derive: (r) => (r.cpuConnectSec == null || !r.succeeded ? null : (r.cpuConnectSec * 1000) / r.succeeded),
      },
      { key: 'succeeded', label: 'connections held', unit: '', fmt: f0 },
    ],
  },
  connectFigure('connect1k', '(c1) connect rate, 1,000 connections', 1000),
  connectFigure('connect5k', '(c2) connect rate, 5,000 connections', 5000),
  {
    id: 'latency',
    title: '(d) end-to-end latency, 1,000 msg/s QoS 1, 1 publisher → 10 subscribers round-robin',
    raw: (o) => ({
      mode: 'latency',
      subscribers: 10,
      payloadSize: PAYLOAD,
      window: 20,
      rate: 1000,
      warmupMs: o.quick ? 500 : 1000,
      durationMs: o.quick ? 2000 : 5000,
    }),
    mqbench: (o) => ({
      mode: 'latency',
      subscribers: 10,
      payloadSize: PAYLOAD,
      rate: 1000,
      warmupMs: o.quick ? 500 : 1000,
      durationMs: o.quick ? 2000 : 5000,
      workers: WORKERS,
    }),
    timeoutMs: () => 60_000,
    brief: (r) =>
      `e2e p50 ${f3(r.endToEnd?.p50)} ms (uncorrected ${f3(r.endToEndUncorrected?.p50)}), p99 ${f3(r.endToEnd?.p99)} ms (uncorrected ${f3(r.endToEndUncorrected?.p99)})`,
    metrics: [
      {
        key: 'e2eP50',
        label: 'e2e p50, corrected (from intended send)',
        unit: 'ms',
        fmt: f3,
        derive: (r) => r.endToEnd?.p50 ?? null,
        target: { text: '≤ 0.12', check: (v) => v <= 0.12 },
      },
      {
        key: 'e2eP50u',
        label: 'e2e p50, uncorrected (from actual send)',
        unit: 'ms',
        fmt: f3,
        derive: (r) => r.endToEndUncorrected?.p50 ?? null,
        target: { text: '≤ 0.12', check: (v) => v <= 0.12 },
      },
      {
        key: 'e2eP50gap',
        label: 'pacing slack: e2e p50 corrected − uncorrected',
        unit: 'ms',
        fmt: f3,
        derive: (r) => (r.endToEnd?.p50 == null || r.endToEndUncorrected?.p50 == null ? null : r.endToEnd.p50 - r.endToEndUncorrected.p50),
        target: { text: '≤ 0.1', check: (v) => v <= 0.1 },
      },
      { key: 'e2eP99', label: 'e2e p99, corrected', unit: 'ms', fmt: f3, derive: (r) => r.endToEnd?.p99 ?? null },
      { key: 'e2eP99u', label: 'e2e p99, uncorrected', unit: 'ms', fmt: f3, derive: (r) => r.endToEndUncorrected?.p99 ?? null },
    ],
  },
  fanFigure('fanout', "(i) QoS 1 fan-out at the broker's ceiling: 1 publisher → 1,000 subscribers of one topic, one worker", {
    mode: 'fanout',
    publishers: 1,
    subscribers: 1000,
    // Publisher msg/s; every message goes to all 1,000 subscribers.
    rates: [5, 10, 20, 40, 60, 80, 100, 120, 140, 160, 200],
  }),
  fanFigure('fanin', "(j) QoS 1 fan-in at the broker's ceiling: 1,000 publishers → 1 shared subscriber ($share), one worker", {
    mode: 'fanin',
    publishers: 1000,
    subscribers: 1,
    rates: [2_500, 5_000, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 100_000],
  }),
  fanFigure('fanin5', "(k) QoS 1 fan-in at the broker's ceiling: 1,000 publishers → 5 shared subscribers ($share), one worker", {
    mode: 'fanin',
    publishers: 1000,
    subscribers: 5,
    rates: [2_500, 5_000, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 100_000],
  }),
];

/** Steps that bisect between the highest passing and the lowest failing rate, after the first failure. */
const FAN_REFINE_STEPS = 3;

/**
 * Fan-out / fan-in (bench/fan.js): the offered QoS 1 rate stepped up with ONE worker until a step fails (loss,
 * generator saturated, deliveries < 95% of the offered), then FAN_REFINE_STEPS more steps bisect between the
 * highest rate that passed and the lowest that failed; the figures are those of the highest step that passed,
 * and the broker's CPU at the lowest step that failed shows who set the limit. No raw floor (a raw subscriber
 * fleet would measure the same broker ceiling).
 */
function fanFigure(id, title, shape) {
  return {
    id,
    title,
    raw: null,
    script: 'fan.js',
    mqbench: (o) => ({
      ...shape,
      refineSteps: FAN_REFINE_STEPS,
      payloadSize: PAYLOAD,
      warmupMs: o.quick ? 500 : 1000,
      durationMs: o.quick ? 2000 : 5000,
      workers: 1,
    }),
    timeoutMs: () => 600_000,
    brief: (r) =>
      `reached ${f0(r.rateReached)} msg/s offered (${f0(r.deliveriesPerSec)} deliveries/s, ${r.steps?.length ?? 0} steps, ${r.refineSteps ?? 0} of them bisecting), broker ${f2(r.brokerCores)} cores, mqbench ${f2(r.mqbenchCores)} cores, saturated ${r.saturated}; limit at ${f0(r.limitRate)}/s: ${r.limitReason}`,
    metrics: [
      { key: 'rateReached', label: 'offered rate reached (highest step passed)', unit: 'msg/s', fmt: f0 },
      { key: 'deliveriesPerSec', label: 'deliveries at that step', unit: 'msg/s', fmt: f0 },
      {
        key: 'brokerCores',
        label: 'broker (mosquitto) CPU at that step',
        unit: 'cores',
        fmt: f2,
        target: { text: '≥ 0.9 (the broker is the limit)', check: (v) => v >= 0.9 },
      },
      { key: 'limitBrokerCores', label: 'broker CPU at the lowest step that failed', unit: 'cores', fmt: f2 },
      { key: 'mqbenchCores', label: 'mqbench CPU at that step (process)', unit: 'cores', fmt: f2 },
      {
        key: 'saturatedSteps',
        label: 'steps passed with generator.saturated',
        unit: '',
        fmt: f0,
        derive: (r) => (r.steps ? r.steps.filter((x) => x.passed && x.saturated).length : null),
        target: { text: '= 0', check: (v) => v === 0 },
      },
      { key: 'lost', label: 'lost at that step', unit: 'msgs', fmt: f0, target: { text: '= 0', check: (v) => v === 0 } },
      { key: 'e2eP50', label: 'e2e p50 at that step', unit: 'ms', fmt: f3 },
      { key: 'e2eP99', label: 'e2e p99 at that step', unit: 'ms', fmt: f3 },
    ],
  };
}

/** A point of the connect-rate curve: n connections as fast as each contender can (mqbench planned at 20,000/s). */
function connectFigure(id, title, n) {
  return {
    id,
    title,
    raw: (o) => ({ mode: 'idle', connections: n, concurrency: 100, holdMs: o.quick ? 500 : 1000 }),
    mqbench: (o) => ({ mode: 'idle', connections: n, connectRate: 20_000, holdMs: o.quick ? 500 : 1000, workers: WORKERS }),
    timeoutMs: () => 60_000 + n * 10,
    brief: (r) => `${f0(r.succeeded)} connected, ${f0(r.connectsPerSec)} conn/s`,
    metrics: [
      { key: 'connectsPerSec', label: 'connect rate', unit: 'conn/s', fmt: f0, target: { text: '≥ 5,000', check: (v) => v >= 5000 } },
      { key: 'connectP99', label: 'connect latency p99', unit: 'ms', fmt: f0, derive: (r) => r.connectMs?.p99 ?? null },
      { key: 'succeeded', label: 'connections held', unit: '', fmt: f0 },
    ],
  };
}

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Medians per contender, ratios to the baseline and target checks for one figure. */
export function evaluate(fig, runsByContender, drivers, opts) {
  const valueOf = (metric, r) => (r.error ? null : metric.derive ? metric.derive(r) : r[metric.key]);
  const rows = fig.metrics.map((m) => {
    const raw = median((runsByContender.raw ?? []).map((r) => valueOf(m, r)));
    const perRun = Object.fromEntries(Object.entries(runsByContender).map(([c, rs]) => [c, rs.map((r) => valueOf(m, r))]));
    const values = {};
    const ratios = {};
    const checks = [];
    for (const d of drivers) {
      const v = median(perRun[d]);
      values[d] = v;
      ratios[d] = v !== null && raw ? v / raw : null;
      if (m.target) checks.push({ driver: d, met: v === null ? null : m.target.check(v, raw) });
    }
    return {
      key: m.key,
      label: m.label,
      unit: m.unit,
      raw,
      rawText: m.fmt(raw),
      values,
      valueText: Object.fromEntries(drivers.map((d) => [d, m.fmt(values[d])])),
      ratios,
      perRun,
      target: m.target?.text ?? null,
      checks,
    };
  });
  const failures = Object.fromEntries(Object.entries(runsByContender).map(([c, rs]) => [c, rs.filter((r) => r.error).map((r) => r.error)]));
  return { id: fig.id, title: fig.title, configs: { raw: fig.raw ? fig.raw(opts) : null, mqbench: fig.mqbench(opts) }, rows, failures };
}
