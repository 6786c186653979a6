// Figure (c3): what an idle connection costs, part by part. Three layers, each in its own process against a
// fresh mosquitto (bench/idleStage.js): plain sockets (the floor), + mqbench's lean driver, + the whole
// generator (runScenario, one worker thread). RSS per connection per layer (median of `runs`, interleaved),
// and, from heap snapshots of the thread holding the sockets (one run per layer, fewer connections: the heap
// per connection does not depend on how many), the heap bytes of each part: socket, parser, connection
// state, ledger, timers, device state, other.
import { join } from 'node:path';
import { runChild } from './child.js';
import { median } from './figures.js';
import { PART_NAMES } from './heapParts.js';
import { startMosquitto } from './mosquitto.js';

export const STAGES = ['socket', 'driver', 'mqbench'];

export function idleBreakdownConfig(opts) {
  return {
    connections: opts.connections,
    heapConnections: Math.min(opts.connections, opts.quick ? 2000 : 5000),
    holdMs: opts.quick ? 1000 : 3000,
    runs: opts.quick ? 1 : 3,
    keepaliveSec: 60,
  };
}

async function runStage(benchDir, build, stage, measure, connections, holdMs) {
  const broker = await startMosquitto();
  try {
    return await runChild(
      join(benchDir, 'idleStage.js'),
      { distDir: build.distDir, port: broker.port, stage, measure, connections, holdMs },
      { timeoutMs: 120_000 + connections * 10 },
    );
  } finally {
    await broker.stop();
  }
}

export async function runIdleBreakdown(opts, build, benchDir, log) {
  const cfg = idleBreakdownConfig(opts);
  const runs = Object.fromEntries(STAGES.map((s) => [s, []]));
  for (let k = 0; k < cfg.runs; k++) {
    for (const stage of STAGES) {
      const r = await runStage(benchDir, build, stage, 'rss', cfg.connections, cfg.holdMs);
      runs[stage].push(r.ok ? r.result : { error: r.error });
      log(
        `  idleBreakdown run ${k + 1}/${cfg.runs} ${stage.padEnd(7)}: ${r.ok ? `${r.result.held.toLocaleString('en-US')} held, ${(r.result.rssPerConnBytes / 1024).toFixed(2)} KB RSS/conn` : `FAILED: ${r.error.split('\n')[0]}`}`,
      );
    }
  }
  const heap = {};
  for (const stage of STAGES) {
    const r = await runStage(benchDir, build, stage, 'heap', cfg.heapConnections, cfg.holdMs);
    heap[stage] = r.ok ? r.result : { error: r.error };
    log(`  idleBreakdown heap ${stage.padEnd(7)}: ${r.ok ? `${r.result.heapPerConnBytes.toFixed(0)} B heap/conn` : `FAILED: ${r.error.split('\n')[0]}`}`);
  }
  const rss = Object.fromEntries(STAGES.map((s) => [s, median(runs[s].map((r) => (r.error ? null : r.rssPerConnBytes)))]));
  const ok = STAGES.every((s) => runs[s].every((r) => !r.error) && !heap[s].error);
  return { ok, cfg, parts: PART_NAMES, rss, runs, heap };
}
