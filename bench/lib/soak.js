// Figure (f), the soak (issue "Robustness"): 10,000 idle connections held for 10 minutes by one
// `mqbench run` process; once they are all up, that process's RSS and open descriptors (/proc/<pid>/fd) are
// sampled every 10 s. Passes when RSS grew < 5% from the first sample to the last and the descriptor count
// did not grow (the definition); growth from the lowest sample to the last is reported as well. Keepalive 30 s, so every connection exchanges PINGREQ/PINGRESP about 20 times meanwhile.
// Not in the default set (it takes ~11 minutes): `npm run bench -- --only soak`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, tail } from './cli.js';
import { startMosquitto } from './mosquitto.js';
import { fdCount, rssOf } from './procfs.js';

export function soakConfig(opts, driver) {
  return {
    connections: opts.quick ? 2000 : 10_000,
    soakMs: opts.quick ? 60_000 : 600_000,
    sampleEveryMs: 10_000,
    connectRate: 2000,
    keepaliveSec: 30,
    driver,
    workers: 1,
    rssGrowthLimitPercent: 5,
  };
}

// A run ends when nothing is left to publish, so one more client publishes 1 msg/s QoS 0 to nobody to hold
// the idle connections open for the duration (as in figure (c)); the duration covers connecting too.
function scenarioYaml(cfg, url) {
  const connectSec = Math.ceil((cfg.connections / cfg.connectRate) * 3) + 10;
  return [
    '# Written by bench/lib/soak.js',
    'name: bench-soak',
    'target:',
    `  url: "${url}"`,
    '  mqttVersion: 3.1.1',
    'warmup: 0s',
    `duration: ${Math.ceil(cfg.soakMs / 1000) + connectSec}s`,
    'drain: 0s',
    'groups:',
    '  - name: idle',
    `    count: ${cfg.connections}`,
    '    clientId: "soak-{run}-{i}"',
    `    connect: { rate: ${cfg.connectRate}/s, keepalive: ${cfg.keepaliveSec}s, timeout: 30s }`,
    '  - name: tick',
    '    count: 1',
    `    connect: { keepalive: ${cfg.keepaliveSec}s }`,
    '    publish: { topic: "bench/{run}/tick", qos: 0, rate: 1/s, payload: { size: 32 } }',
    '',
  ].join('\n');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(opts, build, driver) {
  const cfg = soakConfig(opts, driver);
  const broker = await startMosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-soak-'));
  try {
    const yaml = scenarioYaml(cfg, broker.url);
    writeFileSync(join(dir, 'scenario.yaml'), yaml);
    const base = fdCount(broker.pid) ?? 0;
    const out = join(dir, 'soak.json');
    const args = ['run', 'scenario.yaml', '--driver', cfg.driver, '--workers', String(cfg.workers), '--out', 'soak.json', '--quiet'];
    const loadAvgStart = loadavg();
    const run = startCli(build.distDir, args, { cwd: dir, timeoutMs: cfg.soakMs + 240_000 });
    let exited = false;
    run.done.then(() => (exited = true));
    // Connected: the broker holds every client (idle + tick), or give up after 3 minutes.
    const want = cfg.connections + 1;
    const deadline = Date.now() + 180_000;
    while (!exited && (fdCount(broker.pid) ?? base) - base < want && Date.now() < deadline) await sleep(250);
    const connectedAt = Date.now();
    const samples = [];
    if (!exited && Date.now() < deadline) {
      for (let k = 0; k * cfg.sampleEveryMs <= cfg.soakMs && !exited; k++) {
        await sleep(Math.max(0, connectedAt + k * cfg.sampleEveryMs - Date.now()));
        const rss = rssOf(run.pid);
        const fds = fdCount(run.pid);
        if (rss === null || fds === null) break;
        samples.push({ t: Math.round((Date.now() - connectedAt) / 1000), rss, fds, brokerClients: (fdCount(broker.pid) ?? base) - base });
      }
    }
    const r = await run.done;
    let results = null;
    try {
      results = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      // reported below
    }
    const record = {
      cfg,
      yaml,
      command: `mqbench ${args.join(' ')}`,
      loadAvgStart,
      loadAvgEnd: loadavg(),
      exitCode: r.code,
      wallSec: r.wallSec,
      samples,
      stderrTail: tail(r.stderr, 12),
    };
    if (samples.length < 2)
      return {
        ok: false,
        error: `too few samples (${samples.length}): connections not all up, or the run ended early (exit ${r.code ?? r.signal}): ${tail(r.stderr, 4)}`,
        ...record,
      };
    return { ok: true, ...record, result: verdict(cfg, samples, results) };
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function verdict(cfg, samples, results) {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const rssGrowthPercent = ((last.rss - first.rss) / first.rss) * 100;
  const fdGrowth = last.fds - first.fds;
  const s = results?.summary;
  return {
    soakSec: last.t - first.t,
    rssFirst: first.rss,
    rssLast: last.rss,
    rssMax: Math.max(...samples.map((x) => x.rss)),
    rssMin: Math.min(...samples.map((x) => x.rss)),
    rssGrowthPercent,
    // Stricter, for information: RSS right after connecting still holds the connect phase's garbage, so a
    // leak could hide under its collection; growth from the lowest sample to the last shows that.
    rssGrowthFromMinPercent: ((last.rss - Math.min(...samples.map((x) => x.rss))) / Math.min(...samples.map((x) => x.rss))) * 100,
    fdsFirst: first.fds,
    fdsLast: last.fds,
    fdsMax: Math.max(...samples.map((x) => x.fds)),
    fdGrowth,
    brokerClientsMin: Math.min(...samples.map((x) => x.brokerClients)),
    rssPass: rssGrowthPercent < cfg.rssGrowthLimitPercent,
    fdPass: fdGrowth <= 0,
    pass: rssGrowthPercent < cfg.rssGrowthLimitPercent && fdGrowth <= 0,
    status: results?.status ?? null,
    statusReason: results?.statusReason ?? null,
    connections: s
      ? { succeeded: s.connections.succeeded, failed: s.connections.failed, lost: s.connections.lost, reconnected: s.connections.reconnected }
      : null,
  };
}
