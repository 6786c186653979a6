// Figures (a)-(d): every contender (the raw baseline and each mqbench driver) measured in its own child
// process against a fresh mosquitto, run after run; then medians, target checks, and a CPU profile of the
// mqbench side for every missed target. Returns the report (bench/run.js files it, one record per figure).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './child.js';
import { evaluate } from './figures.js';
import { openFilesOf, startMosquitto } from './mosquitto.js';
import { readingOf, summarizeProfiles } from './profile.js';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(benchDir, '..');
const log = (s) => process.stderr.write(`${s}\n`);

async function measure(figure, contender, cfg, opts, build, execArgv = []) {
  const broker = await startMosquitto();
  try {
    const script = join(benchDir, contender === 'raw' ? 'raw.js' : (figure.script ?? 'mqbench.js'));
    const extra = contender === 'raw' ? { brokerPid: broker.pid } : { driver: contender, url: broker.url, distDir: build.distDir, brokerPid: broker.pid };
    const r = await runChild(script, { ...cfg, ...extra, port: broker.port }, { timeoutMs: figure.timeoutMs(opts), execArgv });
    if (r.ok) r.result.brokerOpenFiles = openFilesOf(broker.pid);
    // A run that mqbench itself reports as failed or partial is a failed measurement, not a zero.
    if (r.ok && r.result.status && r.result.status !== 'complete') {
      return { ok: false, error: `mqbench run ${r.result.status}: ${r.result.statusReason ?? 'no reason given'}` };
    }
    return r;
  } finally {
    await broker.stop();
  }
}

/** A figure without a raw floor (`raw: null`) is measured for the mqbench drivers only. */
const contendersOf = (f, contenders) => (f.raw ? contenders : contenders.filter((c) => c !== 'raw'));

export async function measureFigures({ figures, drivers, missingDrivers, contenders, opts, build, machine, started, command }) {
  const runs = {};
  for (const f of figures) {
    runs[f.id] = {};
    for (const c of contendersOf(f, contenders)) runs[f.id][c] = [];
  }
  for (let run = 1; run <= opts.runs; run++) {
    for (const f of figures) {
      for (const c of contendersOf(f, contenders)) {
        const cfg = c === 'raw' ? f.raw(opts) : f.mqbench(opts);
        const t = Date.now();
        const r = await measure(f, c, cfg, opts, build);
        runs[f.id][c].push(r.ok ? r.result : { error: r.error });
        log(
          `  run ${run}/${opts.runs} ${f.id.padEnd(7)} ${c.padEnd(7)} ${r.ok ? f.brief(r.result) : `FAILED: ${r.error.split('\n')[0]}`} (${((Date.now() - t) / 1000).toFixed(1)} s)`,
        );
      }
    }
  }

  const evaluated = figures.map((f) => evaluate(f, runs[f.id], drivers, opts));

  // A CPU profile of the mqbench side, once, for every figure where a target was missed.
  const profiles = [];
  if (opts.profile) {
    const profRoot = join(benchDir, 'results', 'profiles');
    for (const ev of evaluated) {
      for (const d of drivers) {
        if (!ev.rows.some((row) => row.checks.some((ch) => ch.driver === d && ch.met === false))) continue;
        const f = figures.find((x) => x.id === ev.id);
        const dir = join(profRoot, `${f.id}-${d}`);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        const r = await measure(f, d, f.mqbench(opts), opts, build, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
        const files = readdirSync(dir)
          .filter((x) => x.endsWith('.cpuprofile'))
          .map((x) => join(dir, x));
        if (!r.ok || files.length === 0) {
          profiles.push({ figure: f.id, title: f.title, driver: d, error: r.ok ? 'no profile written' : r.error });
          log(`  profile ${f.id} ${d}: FAILED`);
          continue;
        }
        const summary = summarizeProfiles(files, 12);
        profiles.push({ figure: f.id, title: f.title, driver: d, dir: relative(root, dir), run: f.brief(r.result), summary, reading: readingOf(summary) });
        log(`  profile ${f.id} ${d}: ${readingOf(summary)}`);
      }
    }
  }

  const report = {
    generatedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    command,
    quick: opts.quick,
    runsPerFigure: opts.runs,
    machine: { ...machine, loadAvgEnd: loadavg() },
    build: { version: build.version, distSha256: build.sha256 },
    drivers,
    driversSkipped: missingDrivers,
    figures: evaluated,
    runs,
    profiles,
  };
  return report;
}
