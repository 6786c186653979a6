// Figure (e): more idle connections than one process can hold. `mqbench run --processes 3 --driver lean`
// with target.urls listing 3 mosquittos (one per port, each under `ulimit -n 20000`, `max_connections -1`):
// 51,000 connections at 3,000/s, keepalive 60 s, held 20 s. Sampled from outside every second: each
// mosquitto's open descriptors (its clients) and each generator process's RSS. Listing a descriptor table of
// 17,000 entries costs ~18 ms of CPU, so a generator's own table is only read until its sockets appear, and
// once more near the end of the hold.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, tail } from './cli.js';
import { openFilesOf, startMosquitto } from './mosquitto.js';
import { childrenOf, fdCount, readText, rssOf } from './procfs.js';

export function connections50kConfig(opts) {
  return {
    connections: opts.quick ? 6000 : 51_000,
    processes: 3,
    brokers: 3,
    connectRate: 3000,
    keepaliveSec: 60,
    holdMs: opts.quick ? 5000 : 20_000,
    driver: 'lean',
    workersPerProcess: 1,
  };
}

/** Can this machine do it? Ephemeral ports towards each broker port, and descriptors. Returns problems. */
export function preflight(cfg) {
  const problems = [];
  const range = (readText('/proc/sys/net/ipv4/ip_local_port_range') ?? '').split(/\s+/).map(Number);
  const ports = range.length === 2 ? range[1] - range[0] + 1 : null;
  const perBroker = Math.ceil(cfg.connections / cfg.brokers);
  if (ports !== null && ports < perBroker * 1.1) problems.push(`${ports} ephemeral ports, ${perBroker} connections per broker port`);
  const perProcess = Math.ceil(cfg.connections / cfg.processes);
  if (perProcess > 19_900) problems.push(`${perProcess} connections per generator process > 19,900`);
  const fileMax = Number(readText('/proc/sys/fs/file-max'));
  if (fileMax && fileMax < cfg.connections * 2.2) problems.push(`fs.file-max ${fileMax} < ${cfg.connections * 2} sockets (both ends are on this machine)`);
  return { problems, ephemeralPorts: ports, perBroker, perProcess };
}

function scenarioYaml(cfg, urls) {
  return [
    '# Written by bench/lib/connections50k.js',
    'name: bench-connections50k',
    'target:',
    `  urls: [ ${urls.map((u) => `"${u}"`).join(', ')} ]`,
    '  mqttVersion: 3.1.1',
    'warmup: 0s',
    `duration: ${cfg.holdMs}ms`,
    'drain: 0s',
    'groups:',
    '  - name: idle',
    `    count: ${cfg.connections}`,
    '    clientId: "c50k-{run}-{i}"',
    `    connect: { rate: ${cfg.connectRate}/s, keepalive: ${cfg.keepaliveSec}s, timeout: 30s }`,
    '',
  ].join('\n');
}

const sum = (xs) => xs.reduce((a, b) => a + (b ?? 0), 0);

export async function runConnections50k(opts, build) {
  const cfg = connections50kConfig(opts);
  const pre = preflight(cfg);
  if (pre.problems.length) return { ok: false, error: `machine cannot do it: ${pre.problems.join('; ')}`, cfg, preflight: pre };
  const brokers = [];
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-c50k-'));
  try {
    for (let i = 0; i < cfg.brokers; i++) brokers.push(await startMosquitto());
    const yaml = scenarioYaml(
      cfg,
      brokers.map((b) => b.url),
    );
    writeFileSync(join(dir, 'scenario.yaml'), yaml);
    const base = brokers.map((b) => fdCount(b.pid) ?? 0);
    const out = join(dir, 'merged.json');
    const args = [
      'run',
      'scenario.yaml',
      '--processes',
      String(cfg.processes),
      '--driver',
      cfg.driver,
      '--workers',
      String(cfg.workersPerProcess),
      '--out',
      'merged.json',
      '--quiet',
    ];
    const loadAvgStart = loadavg();
    const run = startCli(build.distDir, args, { cwd: dir, timeoutMs: 240_000 });
    const samples = [];
    const gens = new Map(); // pid → { firstFds, connecting, fdsEnd }
    let holdEnd = null;
    const timer = setInterval(() => {
      for (const pid of childrenOf(run.pid)) if (!gens.has(pid)) gens.set(pid, { firstFds: fdCount(pid), connecting: false, fdsEnd: null });
      // The parent prints the start time once every process has connected.
      const at = /publishing starts at (\S+)/.exec(run.stderr())?.[1];
      if (at && holdEnd === null) holdEnd = Date.parse(at) + cfg.holdMs;
      const nearEnd = holdEnd !== null && Date.now() >= holdEnd - 2000;
      const gen = [...gens.entries()].map(([pid, g]) => {
        const fds = !g.connecting || (nearEnd && g.fdsEnd === null) ? fdCount(pid) : null;
        if (fds !== null && fds > g.firstFds + 100) g.connecting = true;
        if (nearEnd && g.fdsEnd === null) g.fdsEnd = fds;
        return { pid, rss: rssOf(pid), fds };
      });
      samples.push({ t: Date.now(), gen, parentRss: rssOf(run.pid), broker: brokers.map((b, i) => (fdCount(b.pid) ?? base[i]) - base[i]) });
    }, 1000);
    const r = await run.done;
    clearInterval(timer);
    const brokerOpenFiles = [...new Set(brokers.map((b) => openFilesOf(b.pid)))];
    let merged;
    try {
      merged = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      return { ok: false, error: `no merged result (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''}): ${tail(r.stderr)}`, cfg };
    }
    const result = summarize(cfg, merged, samples, gens, r);
    return {
      ok: merged.status === 'complete',
      ...(merged.status === 'complete' ? {} : { error: `mqbench run ${merged.status}: ${merged.statusReason}` }),
      cfg,
      yaml,
      command: `mqbench ${args.join(' ')}`,
      preflight: pre,
      brokerOpenFiles,
      loadAvgStart,
      loadAvgEnd: loadavg(),
      result,
      exitCode: r.code,
      stderrTail: tail(r.stderr, 12),
    };
  } finally {
    await Promise.all(brokers.map((b) => b.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figure's numbers from the merged result and the samples. */
function summarize(cfg, merged, samples, gens, r) {
  const s = merged.summary;
  const succeeded = s.connections.succeeded;
  const publishStart = Date.parse(merged.merged?.segments?.[0]?.startAt ?? merged.startedAt);
  const holdEnd = publishStart + merged.durationSec * 1000;
  const total = (x) => sum(x.broker);
  const startIdx = samples.findIndex((x) => total(x) > 100);
  // ±1 s: the phase lies between the last sample before the rise and the first with every client.
  const endIdx = samples.findIndex((x) => total(x) >= succeeded);
  const connectStart = startIdx > 0 ? samples[startIdx - 1].t : null;
  const connectEnd = endIdx >= 0 ? samples[endIdx].t : null;
  const connectPhaseSec = connectStart !== null && connectEnd !== null ? (connectEnd - connectStart) / 1000 : null;
  const atEnd = [...samples].reverse().find((x) => x.t <= holdEnd) ?? samples[samples.length - 1];
  const atHoldStart = samples.find((x) => x.t >= publishStart);
  // Each generator's RSS before its own sockets appeared (fds under first + 100), and at the end of the hold.
  const perProcess = [...gens.entries()].map(([pid, g]) => {
    const own = samples.map((x) => ({ t: x.t, ...x.gen.find((y) => y.pid === pid) })).filter((x) => x.rss != null);
    const before = [...own].reverse().find((x) => x.fds !== null && x.fds <= g.firstFds + 100) ?? own[0];
    const end = own.find((x) => x.t === atEnd.t) ?? own[own.length - 1];
    return { pid, rssBefore: before?.rss ?? null, rssEnd: end?.rss ?? null, fdsEnd: g.fdsEnd, rssPeak: Math.max(...own.map((x) => x.rss)) };
  });
  const rssBefore = sum(perProcess.map((p) => p.rssBefore));
  const rssEnd = sum(perProcess.map((p) => p.rssEnd));
  const heldByBrokers = total(atEnd);
  return {
    status: merged.status,
    statusReason: merged.statusReason ?? null,
    segments: merged.merged?.segments?.length ?? null,
    attempted: s.connections.attempted,
    succeeded,
    failed: s.connections.failed,
    lost: s.connections.lost,
    errors: s.connections.errors ?? {},
    connectMs: s.latencyMs.connect,
    heldByBrokers,
    heldByBrokersEach: atEnd.broker,
    heldAtHoldStart: atHoldStart ? total(atHoldStart) : null,
    holdSec: merged.durationSec,
    connectPhaseSec,
    connectsPerSec: connectPhaseSec ? succeeded / connectPhaseSec : null,
    perProcess,
    rssBefore,
    rssEnd,
    rssPerConnBytes: heldByBrokers ? (rssEnd - rssBefore) / heldByBrokers : null,
    rssGrossPerConnBytes: heldByBrokers ? rssEnd / heldByBrokers : null,
    parentRssEnd: atEnd.parentRss,
    generatorWorkers: merged.generator.workers,
    saturated: merged.generator.saturated,
    wallSec: r.wallSec,
    samples: samples.length,
  };
}
