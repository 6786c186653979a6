// The scale figures: (e) connections50k (in the default set) and (f) soak (only with --only soak). They run
// the mqbench CLI itself (--processes needs it) with no raw baseline, so they are recorded apart from
// (a)-(d): bench/results/scale.json keeps the latest record of each, and a run updates only the figures it
// ran. BENCHMARKS.md shows them in their own section, each with its own date, command and load.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConnections50k } from './connections50k.js';
import { runSoak } from './soak.js';
import { runPacing } from './pacingFigure.js';
import { runSegmentCost } from './segmentCost.js';
import { runIdleBreakdown } from './idleBreakdown.js';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What a scale figure's runner returns: the figure on success, the reason otherwise (and whatever else it recorded). */
/** @typedef {{ ok: boolean, error?: string, result?: any }} FigureRecord */

export const SCALE_FIGURES = [
  { id: 'connections50k', title: '(e) 51,000 idle connections from 3 generator processes to 3 mosquittos', inDefaultSet: true },
  { id: 'soak', title: '(f) soak: 10,000 idle connections for 10 minutes, RSS and open handles', inDefaultSet: false },
  { id: 'pacing', title: '(g) pacing precision and its CPU cost', inDefaultSet: true },
  { id: 'idleBreakdown', title: '(c3) bytes per idle connection, part by part: socket, parser, connection, ledger, timers, device', inDefaultSet: true },
  { id: 'segmentCost', title: '(h) a segment costs its share: segment 0/100 of 1,000,000 clients vs a 10,000-client run', inDefaultSet: true },
];
export const SCALE_IDS = SCALE_FIGURES.map((f) => f.id);

const log = (s) => process.stderr.write(`${s}\n`);
const f0 = (n) => (n == null ? '—' : Math.round(n).toLocaleString('en-US'));

export function scaleFile(resultsDir, quick) {
  return join(resultsDir, quick ? 'quick-scale.json' : 'scale.json');
}

export function readScale(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

/** Runs the scale figures `ids`, replaces their records in the scale file, returns the whole record set. */
export async function runScaleFigures(ids, { opts, build, machine, command, resultsDir, drivers }) {
  const path = scaleFile(resultsDir, opts.quick);
  const scale = readScale(path);
  for (const id of ids) {
    const started = new Date();
    const head = {
      generatedAt: started.toISOString(),
      command,
      quick: opts.quick,
      machine: { ...machine, loadAvgStart: loadavg() },
      build: { version: build.version, distSha256: build.sha256 },
    };
    if (id === 'connections50k') {
      log('  connections50k: 3 mosquittos, mqbench run --processes 3 --driver lean …');
      const rec = /** @type {FigureRecord} */ (await runConnections50k(opts, build));
      const r = rec.result;
      log(
        `  connections50k: ${rec.ok ? '' : `FAILED: ${rec.error.split('\n')[0]} — `}${r ? `${f0(r.heldByBrokers)} held, ${f0(r.connectsPerSec)} conn/s, ${r.rssPerConnBytes == null ? '—' : (r.rssPerConnBytes / 1024).toFixed(2)} KB RSS/conn, ${r.wallSec.toFixed(0)} s` : ''}`,
      );
      head.machine.loadAvgEnd = loadavg();
      scale.connections50k = { ...head, finishedAt: new Date().toISOString(), record: rec };
    } else if (id === 'pacing') {
      log('  pacing: the Pacer alone, timer only vs hybrid, at 1 to 10,000 slots/s …');
      const rec = await runPacing(opts, build, benchDir, log);
      head.machine.loadAvgEnd = loadavg();
      scale.pacing = { ...head, finishedAt: new Date().toISOString(), record: rec };
    } else if (id === 'idleBreakdown') {
      log(`  idleBreakdown: ${f0(opts.connections)} idle connections as plain sockets, + lean driver, + whole generator …`);
      const rec = await runIdleBreakdown(opts, build, benchDir, log);
      head.machine.loadAvgEnd = loadavg();
      scale.idleBreakdown = { ...head, finishedAt: new Date().toISOString(), record: rec };
    } else if (id === 'segmentCost') {
      log('  segmentCost: 10,000-client run vs segment 0/100 of 1,000,000 clients, mqbench run --driver lean …');
      const rec = await runSegmentCost(opts, build, log);
      head.machine.loadAvgEnd = loadavg();
      scale.segmentCost = { ...head, finishedAt: new Date().toISOString(), record: rec };
    } else if (id === 'soak') {
      // One driver unless --drivers names several: the soak takes ~11 minutes per driver.
      const soakDrivers = opts.drivers ? drivers : ['mqttjs'];
      const byDriver = {};
      for (const d of soakDrivers) {
        log(`  soak (${d}): ${opts.quick ? '1 minute' : '10 minutes'} after connecting; sampling RSS and open handles every 10 s …`);
        const rec = /** @type {FigureRecord} */ (await runSoak(opts, build, d));
        const v = rec.result;
        log(
          `  soak (${d}): ${rec.ok ? `RSS ${v.rssGrowthPercent.toFixed(2)}%, handles ${v.fdsFirst} → ${v.fdsLast}: ${v.pass ? 'PASS' : 'FAIL'}` : `FAILED: ${rec.error.split('\n')[0]}`}`,
        );
        byDriver[d] = rec;
      }
      head.machine.loadAvgEnd = loadavg();
      scale.soak = { ...head, finishedAt: new Date().toISOString(), byDriver };
    }
  }
  writeFileSync(path, `${JSON.stringify(scale, null, 2)}\n`);
  return { scale, path };
}
