// The MQBENCH contender: runs a scenario with the compiled mqbench (dist/) in this process through its public
// API (dist/index.js: parseScenarioText → runScenario) — the coordinator on the main thread and its worker
// thread(s) — exactly as `mqbench run` would, minus the terminal output. Forked by bench/run.js so process.cpuUsage() and RSS describe mqbench alone. It gets one
// JSON argument ({ mode, url, driver, ... }) and sends back one result message.
import { pathToFileURL } from 'node:url';
import { cpuSeconds, now, startSampler } from './lib/sampler.js';
import { contender } from './lib/child.js';

const cfg = JSON.parse(process.argv[2]);
// bench/run.js passes a private copy of dist/ taken at the start of the run, so a rebuild by someone else
// during the run cannot change what is measured; standalone, this uses ../dist.
const dist = cfg.distDir ? pathToFileURL(`${cfg.distDir}/`) : new URL('../dist/', import.meta.url);
const { parseScenarioText, runScenario } = await import(new URL('index.js', dist).href);

const sec = (ms) => `${Math.round(ms)}ms`;

/** The scenario YAML for each mode (MQTT 3.1.1, like the baseline). */
function scenarioFor(c) {
  const head = [`name: bench-${c.mode}`, 'target:', `  url: ${c.url}`, '  mqttVersion: 3.1.1', `workers: ${c.workers}`];
  switch (c.mode) {
    case 'qos0':
    case 'qos1':
      return [
        ...head,
        `warmup: ${sec(c.warmupMs)}`,
        `duration: ${sec(c.durationMs)}`,
        'drain: 2s',
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
      return [
        ...head,
        'warmup: 0s',
        `duration: ${sec(c.holdMs)}`,
        'drain: 0s',
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
      return [
        ...head,
        `warmup: ${sec(c.warmupMs)}`,
        `duration: ${sec(c.durationMs)}`,
        'drain: 3s',
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

/** (a) measures twice: at the max rate, then (with `fixedRate`) at that fixed offered rate, a fresh run. */
async function main() {
  const r = await measureOnce(cfg);
  if (cfg.mode !== 'qos0' || !cfg.fixedRate) return r;
  return { ...r, fixed: { rate: cfg.fixedRate, ...(await measureOnce({ ...cfg, rate: cfg.fixedRate })) } };
}

async function measureOnce(c) {
  const yaml = scenarioFor(c);
  const parsed = parseScenarioText(yaml, `bench-${c.mode}.yaml`, {});
  if (!parsed.ok) throw new Error(`bench scenario is invalid: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const { scenario } = parsed.loaded;
  // (a), (b): the broker's CPU too (/proc/<pid>/stat of the mosquitto bench/run.js started), for the window.
  const throughput = c.mode === 'qos0' || c.mode === 'qos1';
  const sampler = startSampler(c.mode === 'idle' ? 100 : 50, { brokerPid: throughput ? c.brokerPid : null });
  const cpu0 = cpuSeconds();
  const t0 = now();
  // No thresholds: the scenario has none, and the verdicts are the bench's to judge.
  const { results, timeline } = await runScenario(scenario, { workers: c.workers, driver: c.driver, mqbenchVersion: 'bench' });
  const cpuTotalSec = cpuSeconds() - cpu0;
  const wallSec = (now() - t0) / 1000;
  sampler.stop();
  if (c.debug) for (const x of sampler.samples) console.error(((x.t - t0) / 1000).toFixed(2), x.cpu.toFixed(2), (x.rss / 1e6).toFixed(1));
  const s = results.summary;
  const base = {
    driver: c.driver,
    status: results.status,
    statusReason: results.statusReason ?? null,
    workers: results.generator.workers,
    saturated: results.generator.saturated,
    saturatedReason: results.generator.saturatedReason ?? null,
    cpuTotalSec,
    wallSec,
    yaml,
  };
  if (throughput) {
    // CPU over the measured window only (interpolated from the sampler), per message sent in that window.
    const cpuSec = sampler.cpuAt(timeline.measureEnd) - sampler.cpuAt(timeline.measureFrom);
    const inWindow = s.throughput.sentPerSec * results.durationSec;
    return {
      ...base,
      windowSec: results.durationSec,
      sent: s.messages.sent,
      sentPerSec: s.throughput.sentPerSec,
      acked: s.messages.acked,
      sentInWindow: Math.round(inWindow),
      cpuSec,
      cpuPer100k: (cpuSec * 100_000) / Math.max(1, inWindow),
      brokerCores: sampler.brokerCoresBetween(timeline.measureFrom, timeline.measureEnd),
      lateSends: s.messages.lateSends,
      missedSends: s.messages.missedSends,
      publishErrors: s.messages.publishErrors,
      publishAckMs: s.latencyMs.publishAck,
    };
  }
  if (c.mode === 'idle') {
    // The connect phase: from the connect barrier (worker threads up, no connection yet) to every worker connected.
    const connectAt = timeline.connectAt || null;
    const connectedAt = timeline.connectedAt || null;
    const phaseOk = connectAt !== null && connectedAt !== null && connectedAt > connectAt && connectAt > t0;
    const phaseSec = phaseOk ? (connectedAt - connectAt) / 1000 : null;
    const succeeded = s.connections.succeeded;
    // RSS before: at the connect barrier (worker threads up, no connection yet); after: end of the hold.
    const rssBefore = phaseOk ? sampler.rssAt(connectAt) : null;
    const rssAfter = sampler.rssAt(timeline.measureEnd);
    // When half the connections were open, from the per-second series (1 s resolution: a row ends at
    // publishStart + t seconds).
    const half = Math.ceil(succeeded / 2);
    const halfRow = results.intervals.find((row) => row.phase === 'connect' && row.connections >= half);
    const firstHalfSec = phaseOk && halfRow ? (timeline.publishStart + halfRow.t * 1000 - connectAt) / 1000 : null;
    return {
      ...base,
      connections: c.connections,
      succeeded,
      failed: s.connections.failed,
      errors: s.connections.errors,
      connectLatencyCount: s.latencyMs.connect.count,
      connectMs: s.latencyMs.connect,
      connectPhaseSec: phaseSec,
      connectsPerSec: phaseSec ? s.latencyMs.connect.count / phaseSec : null,
      firstHalfSec,
      firstHalfPerSec: firstHalfSec ? half / firstHalfSec : null,
      cpuConnectSec: phaseOk ? sampler.cpuAt(connectedAt) - sampler.cpuAt(connectAt) : null,
      rssBefore,
      rssAfter,
      rssPerConnBytes: rssBefore !== null ? (rssAfter - rssBefore) / Math.max(1, succeeded) : null,
      rssPeak: Math.max(...sampler.samples.map((x) => x.rss)),
    };
  }
  return {
    ...base,
    sent: s.messages.sent,
    received: s.messages.received,
    lost: s.messages.lost,
    duplicated: s.messages.duplicated,
    lateSends: s.messages.lateSends,
    endToEnd: s.latencyMs.endToEnd,
    endToEndUncorrected: s.latencyMs.endToEndUncorrected,
  };
}

await contender(main, { name: 'mqbench contender', timeoutMs: cfg.timeoutMs ?? 120_000 });
