/**
 * The report of a 2-broker × 2-scenario suite (two repeats each) through the built CLI, rendered in headless
 * Chromium: grouped by scenario, brokers named by label (never by port), legends with values (at the cursor,
 * and the last value when the cursor is off the chart — never "--").
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeReportResults } from '../../src/report/reportFixture.test-helper.js';
import { useChromium } from '../helpers/chromium.js';
import { mqbench } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-suite-report-'));
const out = join(tmp, 'report.html');
const files: string[] = [];
let seed = 20;
for (const scenario of ['fanout', 'p2p']) {
  for (let repeat = 1; repeat <= 2; repeat++) {
    for (const [broker, port, ms] of [
      ['mosquitto', 1883, 0.4],
      ['rabbitmq', 1884, 1.5],
    ] as const) {
      const r = makeReportResults({ seed: seed++, url: `mqtt://127.0.0.1:${port}`, medianMs: ms * (scenario === 'p2p' ? 2 : 1) });
      r.target.label = broker;
      r.scenarioFile = `${scenario}.yaml`;
      r.environment.scenarioHash = scenario;
      const f = join(tmp, `${scenario}-${broker}-${repeat}.json`);
      writeFileSync(f, JSON.stringify(r));
      files.push(f);
    }
  }
}

const requireBrowser = useChromium();

describe('report of a 2-broker × 2-scenario suite in Chromium', () => {
  it('is grouped by scenario, labelled by broker, with legend values', async () => {
    const r = await mqbench(['report', ...files, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('127.0.0.1:1883 (');
    const page = await requireBrowser().newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('.uplot canvas').length >= 12, undefined, { timeout: 10_000 });

    // Grouping: one section per scenario, in order, each with both brokers side by side.
    const groups = await page.locator('section.scenario > h2').allInnerTexts();
    expect(groups).toEqual(['Scenario fanout.yaml', 'Scenario p2p.yaml']);
    for (const g of ['#scenario-0', '#scenario-1']) {
      expect(await page.locator(`${g} table.compare thead th`).allInnerTexts()).toEqual([
        'figure',
        'mosquitto (2 runs)',
        'rabbitmq (2 runs)',
        'change',
        'verdict',
      ]);
    }
    // The overview: a row per scenario, a column per broker.
    expect(await page.locator('table.overview thead th').allInnerTexts()).toEqual(['scenario', 'mosquitto', 'rabbitmq']);
    expect(await page.locator('table.overview tbody th').allInnerTexts()).toEqual(['fanout.yaml', 'p2p.yaml']);
    // Legends name the runs by broker (repeats numbered), never by port.
    const legend = page.locator('#chart-0-pct-endToEnd .u-legend');
    expect(await legend.innerText()).toMatch(/mosquitto #1[\s\S]*mosquitto #2[\s\S]*rabbitmq #1[\s\S]*rabbitmq #2/);
    expect(await page.locator('.u-legend').allInnerTexts()).not.toContainEqual(expect.stringMatching(/127\.0\.0\.1|:188\d/));
    // Off the chart: every legend value is the series' last value, never "--".
    const values = await page.locator('#chart-0-throughput .u-legend .u-value').allInnerTexts();
    expect(values.length).toBe(9); // the x value, then sent and received of two brokers × two repeats
    expect(values[0]).toBe('end');
    for (const v of values.slice(1)) expect(v).toMatch(/^[\d,.]+\/s \(end\)$/);
    // At the cursor: values of that second.
    const over = page.locator('#chart-0-e2e-time .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = await over.boundingBox();
    if (!box) throw new Error('no plot area');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const atCursor = await page.locator('#chart-0-e2e-time .u-legend .u-value').allInnerTexts();
    expect(atCursor[0]).toMatch(/^-?\d+ s$/);
    expect(atCursor.slice(1).some((v) => / ms$/.test(v))).toBe(true);
    for (const v of atCursor) expect(v).not.toBe('--');
    expect(errors).toEqual([]);
    await page.close();
  });
});
