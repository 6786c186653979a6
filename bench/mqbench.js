// The MQBENCH contender: plans and runs a scenario with the compiled mqbench (dist/) in this process —
// the coordinator on the main thread and its worker thread(s) — exactly as `mqbench run` would, minus the
// terminal output. Forked by bench/run.js so process.cpuUsage() and RSS describe mqbench alone. It gets one
// JSON argument ({ mode, url, driver, ... }) and sends back one result message.
import { pathToFileURL } from 'node:url';
import { cpuSeconds, now, startSampler } from './lib/sampler.js';

const cfg = JSON.parse(process.argv[2]);
// bench/run.js passes a private copy of dist/ taken at the start of the run, so a rebuild by someone else
// during the run cannot change what is measured; standalone, this uses ../dist.
const dist = cfg.distDir ? pathToFileURL(`${cfg.distDir}/`) : new URL('../dist/', import.meta.url);
const { runPlan } = await import(new URL('coordinator/coordinator.js', dist).href);
const { buildResults } = await import(new URL('metrics/results.js', dist).href);
const { buildRunPlan } = await import(new URL('plan/plan.js', dist).href);
const { parseScenarioText } = await import(new URL('scenario/load.js', dist).href);
const { systemClock } = await import(new URL('shared/clock.js', dist).href);
const BARRIER_LEAD_MS = 50; // coordinator.ts: publishing starts this long after every worker reported 'connected'

const sec = (ms) => `${Math.round(ms)}ms`;

/** The scenario YAML for each mode (MQTT 3.1.1, like the baseline). */
function scenarioFor(c) {
  const head = [`name: bench-${c.mode}`, 'target:', `  url: ${c.url}`, '  mqttVersion: 3.1.1', `workers: ${c.workers}`];
  switch (c.mode) {
    case 'qos0':
    case 'qos1':
      return [...head,
        `warmup: ${sec(c.warmupMs)}`, `duration: ${sec(c.durationMs)}`, 'drain: 2s',
        'groups:',
        '  - name: pub',
        `    count: ${c.clients}`,
        `    connect: { rate: 1000/s, keepalive: 60s }`,
        '    publish:',
        '      topic: "bench/{run}/{i}"',
        `      qos: ${c.mode === 'qos0' ? 0 : 1}`,
        `      rate: ${c.rate}/s`,
        `      payload: { size: ${c.payloadSize} }`,
      ].join('\n');
    case 'idle':
      // A run ends when nothing is left to publish, so one extra client ticks once a second (QoS 0, no
      // subscriber) to hold the idle connections open for `duration`.
      return [...head,
        'warmup: 0s', `duration: ${sec(c.holdMs)}`, 'drain: 0s',
        'groups:',
        '  - name: idle',
        `    count: ${c.connections}`,
        `    connect: { rate: ${c.connectRate}/s, keepalive: 60s, timeout: 30s }`,
        '  - name: tick',
        '    count: 1',
        '    connect: { keepalive: 60s }',
        '    publish: { topic: "bench/{run}/tick", qos: 0, rate: 1/s, payload: { size: 32 } }',
      ].join('\n');
    case 'latency':
      return [...head,
        `warmup: ${sec(c.warmupMs)}`, `duration: ${sec(c.durationMs)}`, 'drain: 3s',
        'groups:',
        '  - name: sub',
        `    count: ${c.subscribers}`,
        '    subscribe: [ { topic: "lat/{run}/{i}", qos: 1 } ]',
        '  - name: pub',
        '    count: 1',
        '    publish:',
        '      topic: "lat/{run}/{target}"',
        '      targets: sub',
        '      qos: 1',
        `      rate: ${c.rate}/s`,
        `      payload: { size: ${c.payloadSize} }`,
      ].join('\n');
    default:
      throw new Error(`unknown mode ${c.mode}`);
  }
}

/**
 * A clock for the coordinator that remembers what it was asked, to find the connect barrier afterwards:
 * runPlan reads now() for `connectAt`, broadcasts 'connect' and then arms its 1 s progress timer.
 */
function recordingClock() {
  const nows = [];
  let barrierNow = null;
  return {
    clock: {
      now: () => {
        const t = systemClock.now();
        nows.push(t);
        return t;
      },
      setTimeout: (fn, ms) => {
        if (barrierNow === null && ms === 1000 && nows.length > 0) barrierNow = nows[nows.length - 1];
        return systemClock.setTimeout(fn, ms);
      },
      clearTimeout: (h) => systemClock.clearTimeout(h),
      setImmediate: (fn) => systemClock.setImmediate(fn),
    },
    connectAt: () => (barrierNow === null ? null : barrierNow + BARRIER_LEAD_MS),
  };
}

async function main() {
  const yaml = scenarioFor(cfg);
  const result = parseScenarioText(yaml, `bench-${cfg.mode}.yaml`, {});
  if (!result.ok) throw new Error(`bench scenario is invalid: ${result.problems.map((p) => p.message).join('; ')}`);
  const { scenario } = result.loaded;
  const plan = buildRunPlan(scenario, { workers: cfg.workers, runId: Math.random().toString(16).slice(2, 8), runTag: (Math.random() * 2 ** 32) >>> 0 });
  const sampler = startSampler(cfg.mode === 'idle' ? 100 : 50);
  const rec = recordingClock();
  const workerEntry = new URL('worker/entry.js', dist);
  const cpu0 = cpuSeconds();
  const t0 = now();
  const outcome = await runPlan({ plan, driver: cfg.driver, clock: rec.clock, workerEntry });
  const cpuTotalSec = cpuSeconds() - cpu0;
  const wallSec = (now() - t0) / 1000;
  sampler.stop();
  if (cfg.debug) for (const x of sampler.samples) console.error(((x.t - t0) / 1000).toFixed(2), (x.cpu).toFixed(2), (x.rss / 1e6).toFixed(1));
  const results = buildResults(outcome, { mqbenchVersion: 'bench', scenario: { name: scenario.name }, targetUrl: scenario.target.url, embedded: false });
  const s = results.summary;
  const base = {
    driver: cfg.driver, status: results.status, statusReason: results.statusReason ?? null,
    workers: results.generator.workers, saturated: results.generator.saturated, saturatedReason: results.generator.saturatedReason ?? null,
    cpuTotalSec, wallSec, yaml,
  };
  if (cfg.mode === 'qos0' || cfg.mode === 'qos1') {
    // CPU over the measured window only (interpolated from the sampler), per message sent in that window.
    const cpuSec = sampler.cpuAt(outcome.measureEnd) - sampler.cpuAt(outcome.measureFrom);
    const inWindow = s.throughput.sentPerSec * results.durationSec;
    return {
      ...base, windowSec: results.durationSec,
      sent: s.messages.sent, sentPerSec: s.throughput.sentPerSec, acked: s.messages.acked,
      sentInWindow: Math.round(inWindow), cpuSec, cpuPer100k: (cpuSec * 100_000) / Math.max(1, inWindow),
      lateSends: s.messages.lateSends, missedSends: s.messages.missedSends, publishErrors: s.messages.publishErrors,
      publishAckMs: s.latencyMs.publishAck,
    };
  }
  if (cfg.mode === 'idle') {
    const connectAt = rec.connectAt();
    const connectedAt = outcome.publishStart ? outcome.publishStart - BARRIER_LEAD_MS : null;
    const phaseOk = connectAt !== null && connectedAt !== null && connectedAt > connectAt && connectAt > t0;
    const phaseSec = phaseOk ? (connectedAt - connectAt) / 1000 : null;
    const succeeded = s.connections.succeeded;
    // RSS before: at the connect barrier (worker threads up, no connection yet); after: end of the hold.
    const rssBefore = phaseOk ? sampler.rssAt(connectAt) : null;
    const rssAfter = sampler.rssAt(outcome.measureEnd);
    // When half the connections were open, from the per-second series (1 s resolution: a row ends at
    // publishStart + t seconds).
    const half = Math.ceil(succeeded / 2);
    const halfRow = results.intervals.find((row) => row.phase === 'connect' && row.connections >= half);
    const firstHalfSec = phaseOk && halfRow ? (outcome.publishStart + halfRow.t * 1000 - connectAt) / 1000 : null;
    return {
      ...base, connections: cfg.connections, succeeded, failed: s.connections.failed, errors: s.connections.errors,
      connectLatencyCount: s.latencyMs.connect.count, connectMs: s.latencyMs.connect,
      connectPhaseSec: phaseSec, connectsPerSec: phaseSec ? s.latencyMs.connect.count / phaseSec : null,
      firstHalfSec, firstHalfPerSec: firstHalfSec ? half / firstHalfSec : null,
      cpuConnectSec: phaseOk ? sampler.cpuAt(connectedAt) - sampler.cpuAt(connectAt) : null,
      rssBefore, rssAfter, rssPerConnBytes: rssBefore !== null ? (rssAfter - rssBefore) / Math.max(1, succeeded) : null,
      rssPeak: Math.max(...sampler.samples.map((x) => x.rss)),
    };
  }
  return {
    ...base, sent: s.messages.sent, received: s.messages.received, lost: s.messages.lost, duplicated: s.messages.duplicated,
    lateSends: s.messages.lateSends,
    endToEnd: s.latencyMs.endToEnd, endToEndUncorrected: s.latencyMs.endToEndUncorrected,
  };
}

const hardStop = setTimeout(() => {
  process.send?.({ error: 'mqbench contender timed out' });
  process.exit(1);
}, cfg.timeoutMs ?? 120_000);
hardStop.unref();
try {
  const result = await main();
  if (process.send) process.send({ result }, () => process.exit(0));
  else (console.log(JSON.stringify(result, null, 2)), process.exit(0));
} catch (err) {
  if (process.send) process.send({ error: err.stack ?? String(err) }, () => process.exit(1));
  else (console.error(err), process.exit(1));
}
