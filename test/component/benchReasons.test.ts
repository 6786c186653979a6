// BENCHMARKS.md says why each target of the default driver (lean) was missed, from the record: the raw floor
// misses it too, the broker was at its ceiling, the fan search failed with the machine full; otherwise the
// written reason with the profile's top categories. Records from before the broker's CPU was recorded still
// get a reason. The bench's command line prints its usage and exits 2 on bad usage, without a stack trace.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS bench module, no types
import { evaluate, FIGURES } from '../../bench/lib/figures.js';
// @ts-expect-error plain JS bench module, no types
import { whyMissed } from '../../bench/lib/reasons.js';
// @ts-expect-error plain JS bench module, no types
import { renderMarkdown } from '../../bench/lib/report.js';
// @ts-expect-error plain JS bench module, no types
import { splitReport, writeRecords } from '../../bench/lib/records.js';
// @ts-expect-error plain JS bench module, no types
import { coresBetween, startSampler } from '../../bench/lib/sampler.js';
// @ts-expect-error plain JS bench module, no types
import { cpuSecondsOf } from '../../bench/lib/procfs.js';
import { benchMachine } from '../helpers/benchMachine.js';

type Run = Record<string, unknown>;
type Why = { figure: string; key: string; label: string; short: string; text: string };

const opts = { quick: false, connections: 19_900 };
const machine = benchMachine(1);
const figureDef = (id: string) => FIGURES.find((f: { id: string }) => f.id === id);

/** The record of one figure, evaluated by the bench's own code from these runs (floor + lean). */
function recordOf(id: string, runs: Record<string, Run[]>, profiles: object[] = []) {
  const report = {
    generatedAt: '2026-12-03T18:00:00.000Z',
    finishedAt: '2026-12-03T18:10:00.000Z',
    command: 'node bench/run.js',
    quick: false,
    runsPerFigure: 3,
    machine,
    build: { version: '0', distSha256: 'abc' },
    drivers: ['lean'],
    driversSkipped: [],
    figures: [evaluate(figureDef(id), runs, ['lean'], opts)],
    runs: { [id]: runs },
    profiles,
  };
  return splitReport(report)[id];
}
const reasonOf = (rec: unknown, key: string) => (whyMissed(rec) as Why[]).find((w) => w.key === key);

/** (b) runs: throughput, CPU per 100k and (when given) the broker's CPU during the window. */
const qos1 = (sentPerSec: number, cpuPer100k: number, brokerCores?: number) => ({
  status: 'complete',
  sent: sentPerSec * 5,
  sentPerSec,
  cpuPer100k,
  ...(brokerCores === undefined ? {} : { brokerCores }),
});
const qos1Profile = {
  figure: 'qos1',
  driver: 'lean',
  dir: 'p',
  run: 'r',
  reading: 'x',
  summary: {
    threads: [],
    functions: [],
    modules: [],
    categories: [
      { category: 'socket I/O (write/read system calls)', selfPercent: 44.1 },
      { category: 'other Node core (streams, net, timers)', selfPercent: 12.6 },
      { category: 'mqbench (pacer, publisher, recorder, coordinator)', selfPercent: 10.3 },
      { category: 'HDR histograms (record, encode)', selfPercent: 3.4 },
    ],
  },
};

describe('bench: why a target of the default driver was missed', () => {
  it('the raw floor misses it too: both numbers and the ratio, from the record', () => {
    const rec = recordOf('qos1', { raw: [qos1(40_000, 1.0)], lean: [qos1(50_000, 1.2)] });
    const w = reasonOf(rec, 'sentPerSec')!;
    expect(w.text).toBe(
      "The target is beyond what this machine's raw sockets reach: the raw floor (the same load, no MQTT library) misses it too: floor 40,000 msg/s, mqbench 50,000 msg/s (1.25× floor).",
    );
    expect(w.short).toBe('the raw floor misses it too (floor 40,000 msg/s, mqbench 50,000 msg/s)');
    // CPU per 100k met (1.2 ≤ 1.5): no reason for a target that was not missed.
    expect(reasonOf(rec, 'cpuPer100k')).toBeUndefined();
  });

  it('the broker is the limit at ≥ 0.9 cores during the window; below that it is not said', () => {
    const bound = recordOf('qos1', { raw: [qos1(60_000, 1.0, 0.97)], lean: [qos1(50_000, 1.2, 0.95)] });
    expect(reasonOf(bound, 'sentPerSec')!.text).toBe(
      "The broker is the limit: mosquitto, single-threaded, used 0.95 cores during mqbench's measured window (0.97 during the floor's).",
    );
    expect(reasonOf(bound, 'sentPerSec')!.short).toBe('the broker is the limit (mosquitto at 0.95 cores)');
    const notBound = recordOf('qos1', { raw: [qos1(60_000, 1.0, 0.97)], lean: [qos1(50_000, 1.2, 0.6)] });
    expect(reasonOf(notBound, 'sentPerSec')!.text).not.toContain('broker');
    // Both facts when both hold: the floor misses too and the broker is at its ceiling.
    const both = recordOf('qos1', { raw: [qos1(40_000, 1.0, 0.98)], lean: [qos1(50_000, 1.2, 0.99)] });
    const text = reasonOf(both, 'sentPerSec')!.text;
    expect(text).toContain('floor 40,000 msg/s, mqbench 50,000 msg/s (1.25× floor)');
    expect(text).toContain('used 0.99 cores');
  });

  it('fallback: the written reason, with the profile top categories as recorded', () => {
    const rec = recordOf('qos1', { raw: [qos1(60_000, 1.0, 0.5)], lean: [qos1(50_000, 2.0, 0.6)] }, [qos1Profile]);
    // (b)'s throughput has no written reason: say so, and point at the profile's top categories (≥ 5%, at most 3).
    expect(reasonOf(rec, 'sentPerSec')!.text).toBe(
      'No reason derived from the record; profile: socket I/O (write/read system calls) 44%, other Node core (streams, net, timers) 13%, mqbench (pacer, publisher, recorder, coordinator) 10%.',
    );
    const q0 = recordOf(
      'qos0',
      { raw: [{ sentPerSec: 280_000, cpuPer100k: 0.02 }], lean: [{ sentPerSec: 270_000, cpuPer100k: 0.2, saturated: true, saturatedReason: 'late' }] },
      [{ ...qos1Profile, figure: 'qos0' }],
    );
    const cpu = reasonOf(q0, 'cpuPer100k')!;
    expect(cpu.text).toMatch(/^The per-message cost is spread over pacing, stamping, accounting and encoding \(no single hot spot\)/);
    expect(cpu.text).toContain('(profile: socket I/O (write/read system calls) 44%,');
    // Without a profile (--no-profile), the written reason alone.
    const bare = recordOf('qos0', { raw: [{ sentPerSec: 280_000, cpuPer100k: 0.02 }], lean: [{ sentPerSec: 270_000, cpuPer100k: 0.2 }] });
    expect(reasonOf(bare, 'cpuPer100k')!.text).not.toContain('profile');
    expect(reasonOf(bare, 'cpuPer100k')!.text).toMatch(/1 ms batches\)\.$/);
  });

  it('a record from before the broker CPU was recorded falls through to the written reason', () => {
    const rec = recordOf('qos1', { raw: [qos1(60_000, 1.0, 0.97)], lean: [qos1(50_000, 1.2, 0.95)] });
    const old = structuredClone(rec);
    old.figures[0].rows = old.figures[0].rows.filter((r: { key: string }) => r.key !== 'brokerCores');
    expect(reasonOf(old, 'sentPerSec')!.text).toBe('No reason derived from the record (no CPU profile recorded).');
    // Runs that predate the field evaluate to an empty broker row: no broker reason either.
    const noField = recordOf('qos1', { raw: [qos1(60_000, 1.0)], lean: [qos1(50_000, 1.2)] });
    expect(noField.figures[0].rows.find((r: { key: string }) => r.key === 'brokerCores').values.lean).toBeNull();
    expect(reasonOf(noField, 'sentPerSec')!.text).not.toContain('broker');
  });

  it('fan figures: the failing step was the generator saturated with broker + generator filling the 2 cores', () => {
    const step = (offered: number, passed: boolean, brokerCores: number, mqbenchCores: number, saturated = !passed) => ({
      offered,
      passed,
      brokerCores,
      mqbenchCores,
      saturated,
    });
    const run = (reached: number, limit: number, atReached: number, limitBroker: number, limitGen: number) => ({
      rateReached: reached,
      brokerCores: atReached,
      limitRate: limit,
      lost: 0,
      steps: [step(10_000, true, 0.4, 0.5), step(reached, true, atReached, 0.8), step(limit, false, limitBroker, limitGen)],
    });
    const full = recordOf('fanin5', {
      lean: [run(25_000, 26_250, 0.96, 0.97, 0.95), run(18_750, 20_000, 0.72, 0.89, 0.86), run(20_000, 21_250, 0.82, 0.96, 0.89)],
    });
    const w = reasonOf(full, 'brokerCores')!;
    expect(w.text).toBe(
      "At the lowest rate that failed the generator was saturated while the machine's 2 cores held broker and generator (3 of 3 runs): mqbench 0.89 + mosquitto 0.96 = 1.85 cores (medians), so the generator ran out of CPU before the broker reached its ceiling.",
    );
    expect(w.short).toBe('generator saturated at the failing step, mqbench + mosquitto at 1.85 of 2 cores');
    // The machine was not full (0.7 + 0.6 < 1.7): no such reason, the fallback instead.
    const notFull = recordOf('fanin5', { lean: [run(20_000, 21_250, 0.7, 0.7, 0.6)] });
    expect(reasonOf(notFull, 'brokerCores')!.text).toBe('No reason derived from the record (no CPU profile recorded).');
  });

  it('BENCHMARKS.md: each reason under its figure and in short in the summary of missed targets', () => {
    const q1 = recordOf('qos1', { raw: [qos1(40_000, 1.0, 0.98)], lean: [qos1(50_000, 1.2, 0.99)] }, [qos1Profile]);
    const md = renderMarkdown([q1]);
    expect(md).toContain('Targets missed by the default driver (lean), and why');
    expect(md).toContain(
      '- qos1 throughput: the raw floor misses it too (floor 40,000 msg/s, mqbench 50,000 msg/s); the broker is the limit (mosquitto at 0.99 cores).',
    );
    expect(md).toContain('**Why missed (lean, the default driver)**');
    expect(md).toContain('- **throughput**, target ≥ 55,000: The target is beyond');
    expect(md).toContain('| broker (mosquitto) CPU during the window (cores) | 0.98 | 0.99 |');
    // "Why missed" comes right before the figure's profiles.
    expect(md.indexOf('**Why missed')).toBeGreaterThan(md.indexOf('### (b) QoS 1'));
    expect(md.indexOf('**Why missed')).toBeLessThan(md.indexOf('**CPU profiles of missed targets**'));
    const met = renderMarkdown([recordOf('qos1', { raw: [qos1(60_000, 1.0)], lean: [qos1(60_000, 1.2)] })]);
    expect(met).toContain('Targets missed: none.');
    expect(met).not.toContain('**Why missed');
  });

  it("(a) records the broker's CPU of both phases, (b) of its window; a failed fixed phase gives none", () => {
    const ev = evaluate(
      figureDef('qos0'),
      {
        raw: [{ sentPerSec: 1, cpuPer100k: 1, brokerCores: 0.7, fixed: { rate: 200_000, sentPerSec: 1, cpuPer100k: 1, brokerCores: 0.5 } }],
        lean: [{ sentPerSec: 1, cpuPer100k: 1, brokerCores: 0.8, fixed: { rate: 200_000, status: 'partial', brokerCores: 0.6 } }],
      },
      ['lean'],
      opts,
    );
    const row = (key: string) => ev.rows.find((r: { key: string }) => r.key === key);
    expect(row('brokerCores')).toMatchObject({ label: 'broker (mosquitto) CPU during the window', unit: 'cores', raw: 0.7, values: { lean: 0.8 } });
    expect(row('brokerCoresFixed')).toMatchObject({ raw: 0.5, values: { lean: null } });
    expect(row('brokerCoresFixed').label).toBe('broker (mosquitto) CPU during the window at 200k/s offered');
    expect(figureDef('qos1').metrics.map((m: { key: string }) => m.key)).toContain('brokerCores');
  });

  it("the broker's CPU: read from /proc/<pid>/stat, null for a process that is gone", () => {
    expect(cpuSecondsOf(process.pid)).toBeGreaterThanOrEqual(0);
    expect(cpuSecondsOf(2 ** 22 + 1)).toBeNull();
    expect(coresBetween({ t: 0, cpu: 1 }, { t: 2000, cpu: 2.5 })).toBeCloseTo(0.75);
    expect(coresBetween({ t: 0, cpu: null }, { t: 2000, cpu: 2.5 })).toBeNull();
    const s = startSampler(1000, { brokerPid: process.pid });
    s.stop();
    expect(s.samples.every((x: { broker: number | null }) => typeof x.broker === 'number')).toBe(true);
    const none = startSampler(1000);
    none.stop();
    expect(none.brokerCoresBetween(none.samples[0].t, none.samples[1].t)).toBeNull();
  });
});

const run = promisify(execFile);
const bench = (args: string[]) => run(process.execPath, ['bench/run.js', ...args], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('bench/run.js command line', () => {
  it('--help and -h print the usage and exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { stdout } = await bench([flag]);
      expect(stdout).toMatch(/^Usage: node bench\/run\.js \[options\]/);
      expect(stdout).toContain('--only IDS');
      expect(stdout).toContain('qos0,qos1,idle,connect1k,connect5k,latency,fanout,fanin,fanin5');
    }
  });

  it('an unknown option: one line of error, the usage, exit 2, no stack trace', async () => {
    const err = await bench(['--bogus']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    const lines = err!.stderr.split('\n');
    expect(lines[0]).toBe('bench: unknown option --bogus');
    expect(err!.stderr).toContain('Usage: node bench/run.js');
    expect(err!.stderr).not.toMatch(/\n\s+at /);
    const bad = await bench(['--runs', 'x']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad?.code).toBe(2);
    expect(bad!.stderr.split('\n')[0]).toBe('bench: --runs: expected a positive integer, got x');
  });

  it('--render-only rewrites the Markdown from the records, measuring nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'benchwhy-'));
    writeRecords(join(dir, 'latest.json'), { qos1: recordOf('qos1', { raw: [qos1(40_000, 1.0, 0.98)], lean: [qos1(50_000, 1.2, 0.99)] }) });
    cpSync(join(dir, 'latest.json'), join(dir, 'before.json'));
    await bench(['--render-only', '--results-dir', dir]);
    const md = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    expect(md).toContain('**Why missed (lean, the default driver)**');
    expect(readFileSync(join(dir, 'latest.json'), 'utf8')).toBe(readFileSync(join(dir, 'before.json'), 'utf8'));
  });
});
