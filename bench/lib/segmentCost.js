// Figure (h): cost proportional to the share. The same scenario shape twice with the mqbench CLI against a
// fresh mosquitto: a 10,000-device run (the floor), and segment 0/100 of the 1,000,000-device run (which
// also runs 10,000 devices). A segment should start as fast and use as much memory as a run of its own
// size: target within 1.2× on start-up time and peak RSS. Sampled from outside every 20 ms: the broker's
// descriptors (its clients) and the generator's VmRSS.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, tail } from './cli.js';
import { startMosquitto } from './mosquitto.js';
import { fdCount, rssOf } from './procfs.js';

export function segmentCostConfig(opts) {
  return {
    local: opts.quick ? 2000 : 10_000,
    segments: 100,
    connectRate: 20_000,
    durationMs: opts.quick ? 1000 : 2000,
    driver: 'lean',
    workers: 1,
    runs: opts.quick ? 1 : 3,
  };
}

/**
 * Devices subscribe to their own command topic and publish telemetry every 10 s; one back end sends
 * commands round-robin to every device; two ingest clients share the telemetry ($share). Per-client
 * filters, a constant wildcard and a shared subscription: every kind of entry the subscription index has.
 */
function scenarioYaml(devices, url, durationMs) {
  return [
    'name: segment-cost',
    'target:',
    `  url: ${url}`,
    '  mqttVersion: 3.1.1',
    'warmup: 0s',
    `duration: ${durationMs}ms`,
    'drain: 1s',
    'groups:',
    '  - name: devices',
    `    count: ${devices}`,
    '    clientId: "dev-{run}-{i}"',
    '    connect: { rate: 20000/s, keepalive: 60s }',
    '    subscribe:',
    '      - { topic: "cmd/{run}/{i}", qos: 1 }',
    '    publish: { topic: "telemetry/{run}/{i}", qos: 0, every: 10s, payload: { size: 64 } }',
    '  - name: backend',
    '    count: 1',
    '    publish: { topic: "cmd/{run}/{target}", targets: devices, qos: 1, rate: 1000/s, payload: { size: 64 } }',
    '  - name: ingest',
    '    count: 2',
    '    subscribe:',
    '      - { topic: "$share/ingest/telemetry/{run}/#", qos: 0 }',
    '',
  ].join('\n');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function runOne(build, cfg, devices, segmentArgs) {
  const broker = await startMosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-segcost-'));
  try {
    writeFileSync(join(dir, 'scenario.yaml'), scenarioYaml(devices, broker.url, cfg.durationMs));
    const base = fdCount(broker.pid) ?? 0;
    const args = [
      'run',
      'scenario.yaml',
      '--driver',
      cfg.driver,
      '--workers',
      String(cfg.workers),
      '--out',
      'out.json',
      '--quiet',
      '--run-id',
      'segcost',
      ...segmentArgs,
    ];
    const run = startCli(build.distDir, args, { cwd: dir, timeoutMs: 240_000 });
    let exited = false;
    run.done.then(() => (exited = true));
    let rssPeak = 0;
    let firstConnAt = null;
    while (!exited) {
      const rss = rssOf(run.pid);
      if (rss !== null && rss > rssPeak) rssPeak = rss;
      if (firstConnAt === null && (fdCount(broker.pid) ?? base) > base) firstConnAt = Date.now();
      await sleep(20);
    }
    const r = await run.done;
    let results = null;
    try {
      results = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    } catch {
      // reported below
    }
    if (!results) return { ok: false, error: `no results (exit ${r.code ?? r.signal}): ${tail(r.stderr)}` };
    return {
      ok: true,
      result: {
        devices,
        segment: segmentArgs.length ? segmentArgs[1] : 'whole run',
        clients: results.summary?.connections?.attempted ?? null,
        startupSec: firstConnAt === null ? null : (firstConnAt - run.started) / 1000,
        wallSec: r.wallSec,
        rssPeak,
        status: results.status,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await broker.stop();
  }
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : null;
};

export async function runSegmentCost(opts, build, log) {
  const cfg = segmentCostConfig(opts);
  const runs = { floor: [], segment: [] };
  for (let k = 0; k < cfg.runs; k++) {
    for (const which of ['floor', 'segment']) {
      const r =
        which === 'floor' ? await runOne(build, cfg, cfg.local, []) : await runOne(build, cfg, cfg.local * cfg.segments, ['--segment', `0/${cfg.segments}`]);
      runs[which].push(r);
      const v = r.result;
      log(
        `  segmentCost run ${k + 1}/${cfg.runs} ${which.padEnd(7)} ${r.ok ? `${v.clients} clients, first connection after ${v.startupSec?.toFixed(2)} s, whole command ${v.wallSec.toFixed(2)} s, peak RSS ${(v.rssPeak / 2 ** 20).toFixed(0)} MiB` : `FAILED: ${r.error.split('\n')[0]}`}`,
      );
    }
  }
  const med = (which, key) => median(runs[which].filter((r) => r.ok).map((r) => r.result[key]));
  const metrics = ['startupSec', 'wallSec', 'rssPeak'].map((key) => {
    const floor = med('floor', key);
    const seg = med('segment', key);
    return { key, floor, segment: seg, ratio: floor && seg !== null ? seg / floor : null };
  });
  return { ok: runs.floor.some((r) => r.ok) && runs.segment.some((r) => r.ok), cfg, runs, metrics };
}
