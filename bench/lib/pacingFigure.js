// Figure (g): pacing precision and its CPU cost. mqbench's Pacer alone in a child process (bench/pacing.js)
// on the real clock, timer-only (spinMs 0: a setTimeout to each slot) against the hybrid as a worker runs it
// (the precise timer, a helper thread sleeping in stages, wakes the pacer an adaptive lead before a slot,
// then polling on setImmediate until it is due),
// at several rates: how late each slot is emitted (now − due, the slack between corrected and uncorrected
// latency) and the CPU the process used.
import { join } from 'node:path';
import { runChild } from './child.js';

export function pacingConfig(opts) {
  // The 1/s row runs at least minSlowMs (5 slots: a p50 of 3 slots was one sample).
  return { rates: [1, 100, 1000, 10_000], spins: [0, 2], durationMs: opts.quick ? 1000 : 3000, minSlowMs: 5000 };
}

export async function runPacing(opts, build, benchDir, log) {
  const cfg = pacingConfig(opts);
  const rows = [];
  for (const rate of cfg.rates) {
    for (const spinMs of cfg.spins) {
      const r = await runChild(
        join(benchDir, 'pacing.js'),
        { distDir: build.distDir, rate, spinMs, durationMs: rate === 1 ? Math.max(cfg.durationMs, cfg.minSlowMs) : cfg.durationMs },
        { timeoutMs: 60_000 },
      );
      rows.push(r.ok ? r.result : { rate, spinMs, error: r.error });
      log(
        `  pacing ${String(rate).padStart(6)}/s spinMs ${spinMs}: ${r.ok ? `late p50 ${r.result.lateP50?.toFixed(3)} ms, p99 ${r.result.lateP99?.toFixed(3)} ms, CPU ${(100 * r.result.cpuShare).toFixed(1)}% of a core` : `FAILED: ${r.error.split('\n')[0]}`}`,
      );
    }
  }
  return { ok: rows.every((r) => !r.error), cfg, rows };
}
