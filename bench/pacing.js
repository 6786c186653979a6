// The PACING child: mqbench's Pacer (dist/worker/pacer.js) on the real clock, alone in this process, for one
// rate and one spinMs. Reports how late each slot was emitted (now − due: the slack that ends up between the
// corrected and the uncorrected latency) and the CPU the process used per second. Forked by bench/lib/pacingFigure.js.
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cpuSeconds } from './lib/sampler.js';

const cfg = JSON.parse(process.argv[2]);
const dist = cfg.distDir ? pathToFileURL(`${cfg.distDir}/`) : new URL('../dist/', import.meta.url);
const { Pacer } = await import(new URL('worker/pacer.js', dist).href);
const { systemClock } = await import(new URL('shared/clock.js', dist).href);
const { startPreciseTimer } = await import(new URL('shared/preciseTimer.js', dist).href);

// The hybrid runs as in a worker thread: with the precise timer (a helper thread; src/worker/entry.ts).
const precise = cfg.spinMs > 0 && cfg.precise !== false ? startPreciseTimer(Worker, () => systemClock.now()) : undefined;
const clock = precise ? { ...systemClock, precise } : systemClock;
// Start the helper thread (its first slot does) and wait for it, as a run's warm-up does.
precise?.slot(() => {});
while (precise && !precise.ready) await new Promise((r) => setTimeout(r, 5));
const t0 = systemClock.now() + 100;

const late = new Float64Array(Math.ceil((cfg.rate * cfg.durationMs) / 1000) + 1);
let n = 0;
const pacer = new Pacer(
  clock,
  [{ groupCount: 1, first: 0, count: 1, rate: cfg.rate, t0, endAt: t0 + cfg.durationMs, cycles: Infinity }],
  (_s, _c, _q, due) => {
    if (n < late.length) late[n++] = systemClock.now() - due;
  },
  { spinMs: cfg.spinMs, ...(cfg.pollShare !== undefined ? { pollShare: cfg.pollShare } : {}) },
);
const cpu0 = cpuSeconds();
const wall0 = systemClock.now();
pacer.start();
await pacer.done;
const cpu = cpuSeconds() - cpu0;
const wall = (systemClock.now() - wall0) / 1000;
precise?.close();
const sorted = Array.from(late.subarray(0, n)).sort((a, b) => a - b);
const q = (p) => (n ? sorted[Math.min(n - 1, Math.floor(p * n))] : null);
const msg = {
  result: {
    rate: cfg.rate,
    spinMs: cfg.spinMs,
    precise: precise !== undefined,
    slots: n,
    lateP50: q(0.5),
    lateP90: q(0.9),
    lateP99: q(0.99),
    lateMax: n ? sorted[n - 1] : null,
    cpuSec: cpu,
    wallSec: wall,
    cpuShare: cpu / wall,
    spunSec: pacer.takeSpunMs() / 1000,
  },
};
if (process.send) process.send(msg, () => process.exit(0));
else process.stdout.write(`${JSON.stringify(msg.result)}\n`);
