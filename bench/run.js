// `npm run bench`: mqbench against a raw baseline, side by side, on a private mosquitto.
//
//   node bench/run.js [--quick] [--runs N] [--connections N] [--only qos0,qos1,idle,latency]
//                     [--drivers mqttjs,lean] [--no-profile]
//
// Every measurement runs in its own child process (so CPU time and RSS belong to one contender) against a
// fresh mosquitto on a free loopback port. Figures are medians over the runs. A full run writes
// BENCHMARKS.md and bench/results/latest.json; --quick (1 run, short durations) writes
// bench/results/quick.md and bench/results/quick.json instead, so development runs never overwrite the record.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { runChild } from './lib/child.js';
import { mosquittoVersion, openFilesOf, startMosquitto } from './lib/mosquitto.js';
import { readingOf, summarizeProfiles } from './lib/profile.js';
import { renderMarkdown } from './lib/report.js';
import { FIGURES, evaluate } from './lib/figures.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function parseArgs(argv) {
  const o = { quick: false, runs: null, connections: 19_900, only: null, drivers: null, profile: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = positive(a, val());
    else if (a === '--connections') o.connections = positive(a, val());
    else if (a === '--only') o.only = val().split(',');
    else if (a === '--drivers') o.drivers = val().split(',');
    else if (a === '--no-profile') o.profile = false;
    else throw new Error(`unknown option ${a} (see the comment at the top of bench/run.js)`);
  }
  o.runs ??= o.quick ? 1 : 3;
  if (o.connections > 19_900) throw new Error('--connections: at most 19,900 (open-files limit 20,000 per process, minus headroom)');
  if (o.runs > 10) throw new Error('--runs: at most 10');
  return o;
}

function positive(flag, v) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got ${v}`);
  return n;
}

function osName() {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return `${m ? m[1] : 'Linux'} (kernel ${release()})`;
  } catch {
    return `${process.platform} ${release()}`;
  }
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function commandLine() {
  const args = process.argv.slice(2).join(' ');
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args ? ` -- ${args}` : ''}`;
  return `node bench/run.js${args ? ` ${args}` : ''}`;
}

const log = (s) => process.stderr.write(`${s}\n`);

/**
 * A private copy of dist/ (plus package.json, which makes it ESM and gives mqbench its version) for the
 * whole run: other people rebuilding dist/ meanwhile cannot change the code under measurement. Bare
 * imports (mqtt, hdr-histogram-js, …) still resolve to the project's node_modules, two levels up.
 */
function snapshotDist() {
  const dir = join(here, '.snapshot');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) hash.update(relative(dir, p)).update(readFileSync(p));
    }
  };
  walk(join(dir, 'dist'));
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  return { dir, distDir: join(dir, 'dist'), sha256: hash.digest('hex').slice(0, 16), version };
}

async function measure(figure, contender, cfg, opts, build, execArgv = []) {
  const broker = await startMosquitto();
  try {
    const script = contender === 'raw' ? join(here, 'raw.js') : join(here, 'mqbench.js');
    const extra = contender === 'raw' ? {} : { driver: contender, url: broker.url, distDir: build.distDir };
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

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const build = snapshotDist();
  try {
    await run(opts, build);
  } finally {
    rmSync(build.dir, { recursive: true, force: true });
  }
}

async function run(opts, build) {
  // Fails here, before any measurement, if the copy is not a loadable build.
  for (const m of ['coordinator/coordinator.js', 'metrics/results.js', 'plan/plan.js', 'scenario/load.js']) await import(pathToFileURL(join(build.distDir, m)).href);
  const { DRIVER_NAMES } = await import(pathToFileURL(join(build.distDir, 'driver/registry.js')).href);
  const wanted = opts.drivers ?? ['mqttjs', 'lean'];
  const drivers = wanted.filter((d) => DRIVER_NAMES.includes(d));
  const missingDrivers = wanted.filter((d) => !DRIVER_NAMES.includes(d));
  if (drivers.length === 0) throw new Error(`none of the drivers ${wanted.join(', ')} is available (have: ${DRIVER_NAMES.join(', ')})`);
  const figures = FIGURES.filter((f) => !opts.only || opts.only.includes(f.id));
  if (figures.length === 0) throw new Error(`--only: no such figure (have: ${FIGURES.map((f) => f.id).join(', ')})`);
  const contenders = ['raw', ...drivers];

  const started = new Date();
  const machine = {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGiB: totalmem() / 2 ** 30,
    os: osName(),
    node: process.version,
    mosquitto: mosquittoVersion(),
    loadAvgStart: loadavg(),
    ephemeralPorts: readText('/proc/sys/net/ipv4/ip_local_port_range').replace(/\s+/g, '–'),
  };
  log(`mqbench ${build.version}, dist/ sha256 ${build.sha256} (copied to bench/.snapshot for this run)`);
  log(`mqbench bench: ${opts.runs} run(s) × ${figures.map((f) => f.id).join(', ')} × ${contenders.join(', ')}${opts.quick ? ' (quick)' : ''}`);
  if (missingDrivers.length) log(`  drivers not available in dist/driver/registry.js, skipped: ${missingDrivers.join(', ')}`);

  const runs = {};
  for (const f of figures) {
    runs[f.id] = {};
    for (const c of contenders) runs[f.id][c] = [];
  }
  for (let run = 1; run <= opts.runs; run++) {
    for (const f of figures) {
      for (const c of contenders) {
        const cfg = c === 'raw' ? f.raw(opts) : f.mqbench(opts);
        const t = Date.now();
        const r = await measure(f, c, cfg, opts, build);
        runs[f.id][c].push(r.ok ? r.result : { error: r.error });
        log(`  run ${run}/${opts.runs} ${f.id.padEnd(7)} ${c.padEnd(7)} ${r.ok ? f.brief(r.result) : `FAILED: ${r.error.split('\n')[0]}`} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      }
    }
  }

  const evaluated = figures.map((f) => evaluate(f, runs[f.id], drivers, opts));

  // A CPU profile of the mqbench side, once, for every figure where a target was missed.
  const profiles = [];
  if (opts.profile) {
    const profRoot = join(here, 'results', 'profiles');
    for (const ev of evaluated) {
      for (const d of drivers) {
        if (!ev.rows.some((row) => row.checks.some((ch) => ch.driver === d && ch.met === false))) continue;
        const f = figures.find((x) => x.id === ev.id);
        const dir = join(profRoot, `${f.id}-${d}`);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        const r = await measure(f, d, f.mqbench(opts), opts, build, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
        const files = readdirSync(dir).filter((x) => x.endsWith('.cpuprofile')).map((x) => join(dir, x));
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

  machine.loadAvgEnd = loadavg();
  const report = {
    generatedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    command: commandLine(),
    quick: opts.quick,
    runsPerFigure: opts.runs,
    machine,
    build: { version: build.version, distSha256: build.sha256 },
    drivers,
    driversSkipped: missingDrivers,
    figures: evaluated,
    runs,
    profiles,
  };
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, opts.quick ? 'quick.json' : 'latest.json');
  const mdPath = opts.quick ? join(resultsDir, 'quick.md') : join(root, 'BENCHMARKS.md');
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const md = renderMarkdown(report);
  writeFileSync(mdPath, md);
  process.stdout.write(`${md.split('\n## Machine')[0]}\n`);
  log(`\nwritten: ${relative(root, mdPath)}, ${relative(root, jsonPath)}`);
}

main().catch((err) => {
  log(`bench failed: ${err.stack ?? err}`);
  process.exit(1);
});
