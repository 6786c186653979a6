// The fan-out / fan-in contender (figures fanout, fanin, fanin5): steps the offered QoS 1 rate with ONE
// worker against one mosquitto, watching the broker process (its pid: CPU per second, from /proc), until
// a step fails: a message lost, the generator saturated, the run not complete, or deliveries falling
// below 95% of what the offered rate asks for. Then up to `refineSteps` more steps bisect between the
// highest rate that passed and the lowest that failed. The highest rate that passed is the rate reached;
// the lowest step that failed says who set the limit (broker CPU near 1 core and `generator.saturated:
// false`: mosquitto).
// Forked by bench/run.js (bench/lib/measure.js) so process.cpuUsage() describes mqbench alone; it gets one
// JSON argument and sends back one result message.
//
//   fanout: 1 publisher → `subscribers` clients all subscribed to one topic (each message to every one)
//   fanin:  `publishers` clients, each on its own topic → `subscribers` clients sharing `$share/fan/...`
import { pathToFileURL } from 'node:url';
import { cpuSeconds, now, startSampler } from './lib/sampler.js';
import { contender } from './lib/child.js';
import { nextBisectRate, reachedAndLimit } from './lib/fanSteps.js';

const cfg = JSON.parse(process.argv[2]);
const dist = cfg.distDir ? pathToFileURL(`${cfg.distDir}/`) : new URL('../dist/', import.meta.url);
const { parseScenarioText, runScenario } = await import(new URL('index.js', dist).href);

const sec = (ms) => `${Math.round(ms)}ms`;
/** A step passes when the deliveries reach this share of what the offered rate asks for. */
const DELIVERED_SHARE = 0.95;

/** The scenario of one step: `rate` is the publishers' total (msg/s). */
function scenarioFor(c, rate) {
  const head = [
    `name: bench-${c.mode}-${rate}`,
    'target:',
    `  url: ${c.url}`,
    '  mqttVersion: 3.1.1',
    `workers: ${c.workers}`,
    `warmup: ${sec(c.warmupMs)}`,
    `duration: ${sec(c.durationMs)}`,
    'drain: 3s',
    'groups:',
  ];
  const connect = `    connect: { rate: 5000/s, keepalive: 60s, timeout: 30s }`;
  if (c.mode === 'fanout')
    return [
      ...head,
      '  - name: sub',
      `    count: ${c.subscribers}`,
      connect,
      '    subscribe: [ { topic: "fan/{run}/all", qos: 1 } ]',
      '  - name: pub',
      `    count: ${c.publishers}`,
      connect,
      '    publish:',
      '      topic: "fan/{run}/all"',
      '      qos: 1',
      `      rate: ${rate}/s`,
      `      payload: { size: ${c.payloadSize} }`,
    ].join('\n');
  if (c.mode === 'fanin')
    return [
      ...head,
      '  - name: sub',
      `    count: ${c.subscribers}`,
      connect,
      '    subscribe: [ { topic: "$share/fan/in/{run}/#", qos: 1 } ]',
      '  - name: pub',
      `    count: ${c.publishers}`,
      connect,
      '    publish:',
      '      topic: "in/{run}/{i}"',
      '      qos: 1',
      `      rate: ${rate}/s`,
      `      payload: { size: ${c.payloadSize} }`,
    ].join('\n');
  throw new Error(`unknown mode ${c.mode}`);
}

/** Deliveries per second the offered rate asks for. */
const deliveriesFor = (c, rate) => (c.mode === 'fanout' ? rate * c.subscribers : rate);

async function step(rate) {
  const yaml = scenarioFor(cfg, rate);
  const parsed = parseScenarioText(yaml, `bench-${cfg.mode}.yaml`, {});
  if (!parsed.ok) throw new Error(`bench scenario is invalid: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const sampler = startSampler(50);
  const t0 = now();
  const { results, timeline } = await runScenario(parsed.loaded.scenario, {
    workers: cfg.workers,
    driver: cfg.driver,
    mqbenchVersion: 'bench',
    // The broker's CPU from /proc/<pid> once a second; no $SYS subscriber (it would add traffic of its own).
    observe: cfg.brokerPid ? { pid: cfg.brokerPid, sys: false } : null,
  });
  sampler.stop();
  return stepFigures(rate, results, sampler.cpuAt(timeline.measureEnd) - sampler.cpuAt(timeline.measureFrom), (now() - t0) / 1000);
}

/** What one step measured: mqbench's results, the broker's CPU (results.broker) and mqbench's own CPU in the window. */
function stepFigures(rate, results, cpuSec, wallSec) {
  const s = results.summary;
  const windowSec = results.durationSec;
  const res = results.broker?.resources ?? {};
  const wanted = deliveriesFor(cfg, rate);
  const r = {
    offered: rate,
    deliveriesOffered: wanted,
    status: results.status,
    statusReason: results.statusReason ?? null,
    saturated: results.generator.saturated,
    saturatedReason: results.generator.saturatedReason ?? null,
    generatorCpuPercentMax: results.generator.cpuPercentMax,
    maxEventLoopDelayMs: results.generator.maxEventLoopDelayMs,
    sentPerSec: s.throughput.sentPerSec,
    receivedPerSec: s.throughput.receivedPerSec,
    sent: s.messages.sent,
    expected: s.messages.expected,
    received: s.messages.received,
    lost: s.messages.lost,
    duplicated: s.messages.duplicated,
    lateSends: s.messages.lateSends,
    missedSends: s.messages.missedSends,
    backPressure: s.backPressure?.reason ?? null,
    e2eP50: s.latencyMs.endToEnd?.p50 ?? null,
    e2eP99: s.latencyMs.endToEnd?.p99 ?? null,
    mqbenchCores: windowSec > 0 ? cpuSec / windowSec : null,
    brokerCores: res.cpuCores?.avg ?? null,
    brokerCoresMax: res.cpuCores?.max ?? null,
    brokerDemandCores: res.maxThreadDemandCores?.avg ?? null,
    brokerError: results.broker?.sources?.find((x) => !x.ok)?.error ?? (results.broker ? null : 'not observed'),
    wallSec,
  };
  return judged(r, wanted);
}

/** A step passes with no loss, no saturation, a complete run and ≥ 95% of the deliveries asked for. */
function judged(r, wanted) {
  const why = [];
  if (r.status !== 'complete') why.push(`run ${r.status}${r.statusReason ? `: ${r.statusReason}` : ''}`);
  if (r.lost > 0) why.push(`${r.lost} lost`);
  if (r.saturated) why.push(`generator saturated (${r.saturatedReason})`);
  if (r.receivedPerSec < DELIVERED_SHARE * wanted)
    why.push(`delivered ${Math.round(r.receivedPerSec).toLocaleString('en-US')}/s < ${DELIVERED_SHARE * 100}% of ${wanted.toLocaleString('en-US')}/s`);
  r.passed = why.length === 0;
  r.failedBecause = why.join('; ') || null;
  return r;
}

function logStep(r) {
  process.stderr.write(
    `    ${cfg.mode} ${r.offered}/s${r.refine ? ' (bisect)' : ''}: ${Math.round(r.receivedPerSec)} deliveries/s, broker ${r.brokerCores?.toFixed(2)} cores, mqbench ${r.mqbenchCores?.toFixed(2)} cores, saturated ${r.saturated}, lost ${r.lost}, p50 ${r.e2eP50?.toFixed(2)} ms${r.passed ? '' : ` — fail: ${r.failedBecause}`}\n`,
  );
}

async function main() {
  const cpu0 = cpuSeconds();
  const steps = [];
  for (const rate of cfg.rates) {
    const r = await step(rate);
    steps.push(r);
    logStep(r);
    if (!r.passed) break;
  }
  // The fixed steps are coarse (40 passes, 60 fails): bisect between the highest rate that passed and the
  // lowest that failed, each refinement a fresh run like the others.
  for (let i = 0; i < (cfg.refineSteps ?? 0); i++) {
    const rate = nextBisectRate(steps);
    if (rate === null) break;
    const r = await step(rate);
    r.refine = true;
    steps.push(r);
    logStep(r);
  }
  const { reached, limit } = reachedAndLimit(steps);
  const pick = (k) => (reached ? reached[k] : null);
  return {
    driver: cfg.driver,
    mode: cfg.mode,
    workers: cfg.workers,
    status: 'complete',
    // The figure's values: those of the highest step that passed.
    rateReached: pick('offered'),
    deliveriesPerSec: pick('receivedPerSec'),
    brokerCores: pick('brokerCores'),
    brokerDemandCores: pick('brokerDemandCores'),
    mqbenchCores: pick('mqbenchCores'),
    saturated: reached ? reached.saturated : null,
    lost: pick('lost'),
    e2eP50: pick('e2eP50'),
    e2eP99: pick('e2eP99'),
    limitRate: limit?.offered ?? null,
    limitBrokerCores: limit?.brokerCores ?? null,
    limitSaturated: limit ? limit.saturated : null,
    limitReason: limit?.failedBecause ?? (steps.length ? `every step passed (the highest offered was ${reached.offered}/s)` : 'no step ran'),
    refineSteps: steps.filter((x) => x.refine).length,
    steps,
    cpuTotalSec: cpuSeconds() - cpu0,
    yaml: scenarioFor(cfg, cfg.rates[0]),
  };
}

await contender(main, { name: 'mqbench fan contender', timeoutMs: cfg.timeoutMs ?? 300_000 });
