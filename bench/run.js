// `npm run bench`: mqbench against a raw baseline, side by side, on a private mosquitto.
//
//   node bench/run.js [--quick] [--runs N] [--connections N]
//                     [--only qos0,qos1,idle,latency,fanout,fanin,fanin5,connections50k,soak] [--drivers mqttjs,lean] [--no-profile]
//                     [--results-dir DIR] [--render-only] [--help]   (all options: bench/lib/args.js)
//
// Every measurement runs in its own child process (so CPU time and RSS belong to one contender) against a
// fresh mosquitto on a free loopback port. Figures are medians over the runs. Every figure keeps its own
// record in bench/results/latest.json (bench/lib/records.js), and in it every contender its own values and
// date: a run replaces, in the figures it ran, the contenders it ran, and rewrites BENCHMARKS.md from all of
// them, so `--only X` leaves every other figure as it was and `--drivers lean` keeps mqttjs's values.
// --results-dir DIR reads and writes the record files (latest.json or quick.json, scale.json, and the
// Markdown: BENCHMARKS.md or quick.md) in DIR instead of bench/results and the repository root.
// --quick (1 run, short durations) writes bench/results/quick.md and bench/results/quick.json instead, so
// development runs never overwrite the record. Compare two record files: `npm run bench:compare -- a b`.
// The scale figures (bench/lib/scale.js) run the CLI once each and are kept in bench/results/scale.json:
// (e) connections50k is in the default set; (f) soak (~11 minutes) runs only with --only soak.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, relative, resolve } from 'node:path';
import { measureFigures } from './lib/measure.js';
import { mosquittoVersion } from './lib/mosquitto.js';
import { parseArgs, usage, UsageError } from './lib/args.js';
import { renderMarkdown } from './lib/report.js';
import { mergeRecords, orderedRecords, readRecords, splitReport, withTitles, writeRecords } from './lib/records.js';
import { FIGURES } from './lib/figures.js';
import { readScale, runScaleFigures, scaleFile, SCALE_FIGURES, SCALE_IDS } from './lib/scale.js';
import { renderScaleSection, withScaleSection } from './lib/scaleReport.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

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

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help)
    return void process.stdout.write(
      usage(
        FIGURES.map((f) => f.id),
        SCALE_FIGURES,
      ),
    );
  if (opts.renderOnly) return render(opts, readRecords(recordPaths(opts).jsonPath), null);
  const build = snapshotDist();
  try {
    await run(opts, build);
  } finally {
    rmSync(build.dir, { recursive: true, force: true });
  }
}

async function run(opts, build) {
  // Fails here, before any measurement, if the copy is not a loadable build.
  for (const m of ['coordinator/coordinator.js', 'metrics/results.js', 'plan/plan.js', 'scenario/load.js'])
    await import(pathToFileURL(join(build.distDir, m)).href);
  const { DRIVER_NAMES } = await import(pathToFileURL(join(build.distDir, 'driver/registry.js')).href);
  const wanted = opts.drivers ?? ['mqttjs', 'lean'];
  const drivers = wanted.filter((d) => DRIVER_NAMES.includes(d));
  const missingDrivers = wanted.filter((d) => !DRIVER_NAMES.includes(d));
  if (drivers.length === 0) throw new UsageError(`--drivers: none of ${wanted.join(', ')} is available (have: ${DRIVER_NAMES.join(', ')})`);
  const known = [...FIGURES.map((f) => f.id), ...SCALE_IDS];
  const unknown = (opts.only ?? []).filter((id) => !known.includes(id));
  if (unknown.length) throw new UsageError(`--only: no such figure ${unknown.join(', ')} (have: ${known.join(', ')})`);
  const figures = FIGURES.filter((f) => !opts.only || opts.only.includes(f.id));
  const scaleIds = SCALE_FIGURES.filter((f) => (opts.only ? opts.only.includes(f.id) : f.inDefaultSet)).map((f) => f.id);
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
  if (figures.length)
    log(`mqbench bench: ${opts.runs} run(s) × ${figures.map((f) => f.id).join(', ')} × ${contenders.join(', ')}${opts.quick ? ' (quick)' : ''}`);
  if (scaleIds.length) log(`mqbench bench: scale figures ${scaleIds.join(', ')}${opts.quick ? ' (quick)' : ''}`);
  if (missingDrivers.length) log(`  drivers not available in dist/driver/registry.js, skipped: ${missingDrivers.join(', ')}`);
  const { resultsDir, jsonPath } = recordPaths(opts);
  mkdirSync(resultsDir, { recursive: true });
  // Every figure keeps its own record, every contender in it its own values: figures and contenders not run
  // this time keep their last ones (bench/lib/records.js).
  let records = readRecords(jsonPath);
  if (figures.length) {
    const report = await measureFigures({ figures, drivers, missingDrivers, contenders, opts, build, machine, started, command: commandLine() });
    records = mergeRecords(records, splitReport(report));
    writeRecords(jsonPath, records);
  }
  let scale = null;
  if (scaleIds.length) {
    const { loadAvgStart, loadAvgEnd, ...machineInfo } = machine;
    scale = (await runScaleFigures(scaleIds, { opts, build, machine: machineInfo, command: commandLine(), resultsDir, drivers })).scale;
  }
  render(opts, records, scale, { figures: figures.length > 0, scale: scaleIds.length > 0 });
}

/** Where the records and the Markdown are: bench/results and the repository root, or --results-dir; quick.* with --quick. */
function recordPaths(opts) {
  const resultsDir = opts.resultsDir ? resolve(opts.resultsDir) : join(here, 'results');
  return {
    resultsDir,
    jsonPath: join(resultsDir, opts.quick ? 'quick.json' : 'latest.json'),
    mdPath: join(opts.quick || opts.resultsDir ? resultsDir : root, opts.quick ? 'quick.md' : 'BENCHMARKS.md'),
  };
}

/** Writes the Markdown from the records (and the scale record, read from its file when `scale` is null). */
function render(opts, records, scale, wrote = { figures: false, scale: false }) {
  const { resultsDir, jsonPath, mdPath } = recordPaths(opts);
  scale ??= readScale(scaleFile(resultsDir, opts.quick));
  const recs = orderedRecords(
    withTitles(records, FIGURES),
    FIGURES.map((f) => f.id),
  );
  const md = recs.length
    ? withScaleSection(renderMarkdown(recs, { jsonName: relative(resultsDir, jsonPath) }), scale)
    : `# mqbench benchmarks\n\n${renderScaleSection(scale)}`;
  writeFileSync(mdPath, md);
  process.stdout.write(`${md.split('\n## Machine')[0]}\n`);
  log(
    `\nwritten: ${relative(root, mdPath)}${wrote.figures ? `, ${relative(root, jsonPath)}` : ''}${wrote.scale ? `, ${relative(root, scaleFile(resultsDir, opts.quick))}` : ''}`,
  );
}

main().catch((err) => {
  if (err instanceof UsageError) {
    log(
      `bench: ${err.message}\n\n${usage(
        FIGURES.map((f) => f.id),
        SCALE_FIGURES,
      ).trimEnd()}`,
    );
    process.exit(2);
  }
  log(`bench failed: ${err.stack ?? err}`);
  process.exit(1);
});
