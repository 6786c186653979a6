// The bench keeps one record per figure and, in it, the values of each contender with their own date: a
// partial run replaces only its figures and its contenders, and bench:compare reports what changed between
// two record files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS bench module, no types
import { mergeRecords, readRecords, recordsOf, splitReport, withTitles, writeRecords } from '../../bench/lib/records.js';
// @ts-expect-error plain JS bench module, no types
import { FIGURES } from '../../bench/lib/figures.js';
// @ts-expect-error plain JS bench module, no types
import { SCALE_FIGURES } from '../../bench/lib/scale.js';
// @ts-expect-error plain JS bench module, no types
import { compareRecords, renderComparison } from '../../bench/compare.js';
// @ts-expect-error plain JS bench module, no types
import { renderMarkdown } from '../../bench/lib/report.js';
import { benchMachine } from '../helpers/benchMachine.js';

const machine = benchMachine(2);
function figure(id: string, raw: number, lean: number) {
  return {
    id,
    title: `(${id}) title`,
    configs: { raw: {}, mqbench: {} },
    rows: [
      {
        key: 'sentPerSec',
        label: 'throughput',
        unit: 'msg/s',
        raw,
        rawText: String(raw),
        values: { lean },
        valueText: { lean: String(lean) },
        ratios: { lean: lean / raw },
        perRun: { raw: [raw], lean: [lean] },
        target: '≥ 50',
        checks: [{ driver: 'lean', met: lean >= 50 }],
      },
    ],
    failures: { raw: [], lean: [] },
  };
}
function report(at: string, figs: ReturnType<typeof figure>[]) {
  return {
    generatedAt: at,
    finishedAt: at,
    command: 'node bench/run.js',
    quick: false,
    runsPerFigure: 1,
    machine,
    build: { version: '0', distSha256: 'abc' },
    drivers: ['lean'],
    driversSkipped: [],
    figures: figs,
    runs: Object.fromEntries(figs.map((f) => [f.id, { raw: [{}], lean: [{}] }])),
    profiles: [{ figure: figs[0].id, driver: 'lean', error: 'x' }],
  };
}

let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('bench records', () => {
  it('a partial run replaces only its own figure and keeps the others with their own dates', () => {
    dir = mkdtempSync(join(tmpdir(), 'benchrec-'));
    const path = join(dir, 'latest.json');
    // An older single report (format 1) with two figures reads as two records.
    const old = recordsOf(report('2026-01-01T00:00:00.000Z', [figure('fig0', 100, 40), figure('fig1', 10, 60)]));
    expect(Object.keys(old)).toEqual(['fig0', 'fig1']);
    expect(old.fig0.profiles).toHaveLength(1);
    expect(old.fig1.profiles).toHaveLength(0);
    writeRecords(path, old);
    const recs = readRecords(path);
    Object.assign(recs, splitReport(report('2026-02-01T00:00:00.000Z', [figure('fig1', 12, 70)])));
    writeRecords(path, recs);
    const back = readRecords(path);
    expect(back.fig0.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(back.fig0.figures[0].rows[0].values.lean).toBe(40);
    expect(back.fig1.generatedAt).toBe('2026-02-01T00:00:00.000Z');
    expect(back.fig1.figures[0].rows[0].values.lean).toBe(70);
    expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe(3);
    const md = renderMarkdown([back.fig0, back.fig1]);
    expect(md).toContain('(fig0) title');
    expect(md).toContain('2026-01-01 00:00');
    expect(md).toContain('2026-02-01 00:00');
  });

  it('bench:compare shows old, new, the change and a verdict that moved', () => {
    const a = recordsOf(report('2026-01-01T00:00:00.000Z', [figure('fig0', 100, 40), figure('fig1', 10, 60)]));
    const b = { ...a, ...recordsOf(report('2026-02-01T00:00:00.000Z', [figure('fig0', 100, 55)])) };
    const rows = compareRecords(a, b);
    const lean = rows.find((r: { id: string; contender: string }) => r.id === 'fig0' && r.contender === 'lean');
    expect(lean).toMatchObject({ old: 40, new: 55, metOld: false, metNew: true });
    const text = renderComparison(rows, 'a.json', 'b.json', a, b);
    expect(text).toContain('+15.00 (+37.5%)');
    expect(text).toContain('missed → **met**');
    expect(text).toContain('the same record in both (fig1');
  });
});

/** The configurations the bench gives figure `id` today (the report's Method text reads them). */
function configsOf(id: string) {
  const f = FIGURES.find((x: { id: string }) => x.id === id);
  const opts = { quick: false, connections: 19_900 };
  return f ? { raw: f.raw ? f.raw(opts) : null, mqbench: f.mqbench(opts) } : { raw: {}, mqbench: {} };
}

/** A figure measured by the floor and some drivers: `values` maps each driver to its throughput. */
function figureOf(id: string, raw: number, values: Record<string, number>) {
  const ds = Object.keys(values);
  return {
    id,
    title: `(${id}) title`,
    configs: configsOf(id),
    rows: [
      {
        key: 'sentPerSec',
        label: 'throughput',
        unit: 'msg/s',
        raw,
        rawText: String(raw),
        values,
        valueText: Object.fromEntries(ds.map((d) => [d, String(values[d])])),
        ratios: Object.fromEntries(ds.map((d) => [d, values[d] / raw])),
        perRun: { raw: [raw], ...Object.fromEntries(ds.map((d) => [d, [values[d]]])) },
        target: '≥ 95% of baseline',
        checks: ds.map((d) => ({ driver: d, met: values[d] / raw >= 0.95 })),
      },
    ],
    failures: { raw: [], ...Object.fromEntries(ds.map((d) => [d, []])) },
  };
}
function reportOf(at: string, load: number, figs: ReturnType<typeof figureOf>[]) {
  const ds = Object.keys(figs[0].rows[0].values);
  return {
    generatedAt: at,
    finishedAt: at,
    command: `node bench/run.js --drivers ${ds.join(',')}`,
    quick: false,
    runsPerFigure: 1,
    machine: { ...machine, loadAvgStart: [load, load, load] },
    build: { version: '0', distSha256: at.slice(0, 10) },
    drivers: ds,
    driversSkipped: [],
    figures: figs,
    runs: Object.fromEntries(figs.map((f) => [f.id, { raw: [{ at }], ...Object.fromEntries(ds.map((d) => [d, [{ at, d, sent: 1, status: 'complete' }]])) }])),
    profiles: ds.map((d) => ({ figure: figs[0].id, driver: d, error: `profile of ${at}` })),
  };
}

describe('bench records per contender', () => {
  const T1 = '2026-01-01T10:00:00.000Z';
  const T2 = '2026-02-02T12:30:00.000Z';

  it('a --drivers lean run replaces the floor and lean, keeps mqttjs with its own date, ratio and check', () => {
    dir = mkdtempSync(join(tmpdir(), 'benchrec-'));
    const path = join(dir, 'latest.json');
    // The file as format 2 wrote it: one record per figure, no per-contender dates.
    const before = splitReport(reportOf(T1, 0.5, [figureOf('qos0', 100, { mqttjs: 96, lean: 90 }), figureOf('qos1', 10, { mqttjs: 5, lean: 9 })]));
    for (const r of Object.values<{ contenders?: unknown }>(before)) delete r.contenders;
    writeFileSync(path, JSON.stringify({ format: 2, figures: before }));
    const old = readRecords(path);

    const merged = mergeRecords(old, splitReport(reportOf(T2, 1.75, [figureOf('qos0', 200, { lean: 195 })])));
    writeRecords(path, merged);
    const back = readRecords(path);
    expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe(3);

    const q0 = back.qos0;
    const row = q0.figures[0].rows[0];
    expect(q0.drivers).toEqual(['mqttjs', 'lean']);
    expect(row.raw).toBe(200);
    expect(row.values).toEqual({ mqttjs: 96, lean: 195 });
    expect(row.perRun).toEqual({ raw: [200], lean: [195], mqttjs: [96] });
    // mqttjs's ratio and floor-relative check stay those of its own run (96 ÷ 100), and say so.
    expect(row.ratios.mqttjs).toBeCloseTo(0.96);
    expect(row.floorOfRun).toEqual({ mqttjs: 100 });
    expect(row.checks).toEqual([
      { driver: 'lean', met: true },
      { driver: 'mqttjs', met: true },
    ]);
    expect(q0.contenders.raw.generatedAt).toBe(T2);
    expect(q0.contenders.lean.generatedAt).toBe(T2);
    expect(q0.contenders.mqttjs.generatedAt).toBe(T1);
    expect(q0.contenders.mqttjs.machine.loadAvgStart[0]).toBe(0.5);
    expect(q0.runs.qos0.mqttjs).toEqual([{ at: T1, d: 'mqttjs', sent: 1, status: 'complete' }]);
    expect(q0.runs.qos0.lean).toEqual([{ at: T2, d: 'lean', sent: 1, status: 'complete' }]);
    expect(q0.profiles.map((p: { driver: string; error: string }) => `${p.driver} ${p.error}`).sort()).toEqual([
      `lean profile of ${T2}`,
      `mqttjs profile of ${T1}`,
    ]);
    expect(q0.figures[0].failures).toEqual({ raw: [], lean: [], mqttjs: [] });
    // A figure the run did not touch is the old record, dates and all.
    expect(back.qos1.generatedAt).toBe(T1);
    expect(back.qos1.figures[0].rows[0].values).toEqual({ mqttjs: 5, lean: 9 });

    const md = renderMarkdown([q0, back.qos1]);
    const tableLine = md.split('\n').find((l: string) => l.startsWith('| (qos0) title'));
    expect(tableLine).toContain('| 200 | 96 | 0.96× | 195 | 0.97× | ≥ 95% of baseline | **met** | **met** |');
    expect(tableLine).toContain('raw floor, lean: 2026-02-02 12:30, 1.75; mqttjs: 2026-01-01 10:00, 0.50');
    expect(md.split('\n').find((l: string) => l.startsWith('| (qos1) title'))).toContain('| 2026-01-01 10:00, 0.50 |');
    expect(md).toContain('(qos0) mqbench (mqttjs) was measured 2026-01-01 10:00, in an earlier run than the floor shown');
    expect(md).toContain('(throughput 100)');
    expect(md).toContain('Record of raw floor, lean: `node bench/run.js --drivers lean`');
    expect(md).toContain('Record of mqttjs: `node bench/run.js --drivers mqttjs,lean`');
    expect(md).toContain('| throughput (msg/s) | mqbench mqttjs (2026-01-01 10:00) | 96.00 | 96.00 |');

    // A later run of both drivers replaces both, and the record is one run again.
    const again = mergeRecords(back, splitReport(reportOf('2026-03-03T00:00:00.000Z', 1, [figureOf('qos0', 210, { mqttjs: 150, lean: 205 })])));
    expect(again.qos0.figures[0].rows[0].floorOfRun ?? {}).toEqual({});
    expect(new Set(Object.values(again.qos0.contenders).map((m) => (m as { generatedAt: string }).generatedAt)).size).toBe(1);
    expect(renderMarkdown([again.qos0])).not.toContain('in an earlier run than the floor shown');
  });

  it('bench:compare leaves out the contenders measured by the same run in both files', () => {
    const a = splitReport(reportOf(T1, 0.5, [figureOf('qos0', 100, { mqttjs: 96, lean: 90 })]));
    const b = mergeRecords(a, splitReport(reportOf(T2, 1.75, [figureOf('qos0', 200, { lean: 195 })])));
    const rows = compareRecords(a, b);
    expect(rows.map((r: { contender: string }) => r.contender)).toEqual(['raw', 'lean']);
    expect(rows.find((r: { contender: string }) => r.contender === 'lean')).toMatchObject({ old: 90, new: 195, metOld: false, metNew: true });
    const same = compareRecords(b, b);
    expect(same).toEqual([expect.objectContaining({ id: 'qos0', only: expect.stringContaining('the same record in both') })]);
  });

  it('a metric new to the code has no value for a driver kept from a run before it', () => {
    const a = splitReport(reportOf(T1, 0.5, [figureOf('qos0', 100, { mqttjs: 96, lean: 90 })]));
    const fig = figureOf('qos0', 200, { lean: 195 });
    fig.rows.push({ ...fig.rows[0], key: 'newMetric', label: 'new metric' });
    const b = mergeRecords(a, splitReport(reportOf(T2, 1.75, [fig])));
    const row = b.qos0.figures[0].rows.find((r: { key: string }) => r.key === 'newMetric');
    expect(row.values).toEqual({ lean: 195, mqttjs: null });
    expect(row.valueText.mqttjs).toBe('not run');
    expect(row.floorOfRun).toEqual({ mqttjs: null });
    expect(row.checks.map((c: { driver: string }) => c.driver)).toEqual(['lean']);
    expect(
      renderMarkdown([b.qos0])
        .split('\n')
        .find((l: string) => l.startsWith('|  | new metric')),
    ).toContain('| 200 | not run | — | 195 | 0.97× | ≥ 95% of baseline | not run | **met** |');
  });

  it('old records show the labels the code gives their figures today', () => {
    const old = splitReport(reportOf(T1, 0.5, [{ ...figureOf('fanout', 1, { lean: 40 }), title: '(h) old label' }]));
    const titled = withTitles(old, FIGURES);
    expect(titled.fanout.figures[0].title).toBe(FIGURES.find((f: { id: string }) => f.id === 'fanout').title);
    expect(old.fanout.figures[0].title).toBe('(h) old label');
  });

  it('every figure, main and scale, has its own label', () => {
    const labels = [...FIGURES, ...SCALE_FIGURES].map((f: { title: string }) => /^\(([a-z]\d*)\)/.exec(f.title)?.[1]);
    expect(labels.every(Boolean)).toBe(true);
    expect(new Set(labels).size).toBe(labels.length);
  });
});
