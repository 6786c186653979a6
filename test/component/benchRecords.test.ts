// The bench keeps one record per figure: a partial run replaces only its figures, and bench:compare
// reports what changed between two record files.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS bench module, no types
import { readRecords, recordsOf, splitReport, writeRecords } from '../../bench/lib/records.js';
// @ts-expect-error plain JS bench module, no types
import { compareRecords, renderComparison } from '../../bench/compare.js';
// @ts-expect-error plain JS bench module, no types
import { renderMarkdown } from '../../bench/lib/report.js';

const machine = {
  cpuModel: 'cpu',
  cores: 2,
  ramGiB: 1,
  os: 'os',
  node: 'v20',
  mosquitto: '2',
  loadAvgStart: [1, 1, 1],
  loadAvgEnd: [2, 2, 2],
  ephemeralPorts: '1–2',
};
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
    expect(JSON.parse(readFileSync(path, 'utf8')).format).toBe(2);
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
