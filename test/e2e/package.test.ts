/**
 * The built package as a user imports it: test/fixtures/packageUse.mjs does `import('mqbench')`, resolved by
 * Node through package.json "exports" (a package may import itself by name), in a separate node process.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SCRIPT = join(ROOT, 'test/fixtures/packageUse.mjs');

describe('the built package, imported by its name', () => {
  it('package.json main, types and exports point at files the build wrote', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));
    for (const f of [pkg.main, pkg.types, pkg.exports['.'].default, pkg.exports['.'].types]) {
      expect(() => readFileSync(`${ROOT}/${f}`)).not.toThrow();
    }
  });

  it("import('mqbench'): the public API runs a scenario and reports its timeline", () => {
    const r = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    for (const name of ['runScenario', 'loadScenario', 'mergeResults', 'compareResults', 'renderSummary', 'renderComparison', 'renderHtmlReport'])
      expect(o.names).toContain(name);
    expect(o.status, o.reason).toBe('complete');
    expect(o.schema).toBe(1);
    expect(o.sent).toBeGreaterThanOrEqual(95);
    expect(o.lost).toBe(0);
    expect(o.thresholds).toEqual([expect.objectContaining({ expression: 'messages.lost == 0', ok: true })]);
    expect(o.thresholdsPassed).toBe(true);
    expect(o.broken).toEqual([]);
    const t = o.timeline;
    // connect barrier ≤ all connected ≤ publishing ≤ measured window; the window is the 1 s duration.
    expect(t.connectAt).toBeGreaterThan(0);
    expect(t.connectedAt).toBeGreaterThanOrEqual(t.connectAt);
    expect(t.publishStart).toBeGreaterThanOrEqual(t.connectedAt);
    expect(t.measureFrom).toBe(t.publishStart);
    expect(t.measureEnd - t.measureFrom).toBe(1000);
    expect(o.seen).toEqual({ start: 1, intervals: expect.any(Number), final: 1, end: 1 });
    expect(o.seen.intervals).toBeGreaterThanOrEqual(1);
    expect(o.summaryHasSent).toBe(true);
    expect(o.comparedRows).toBeGreaterThan(5);
    // mergeResults takes segments of a distributed run only: a whole run is refused as a usage error.
    expect(o.mergeRefusal).toBe(2);
  });
});
