/**
 * `mqbench report` through the built CLI, then the page rendered in headless Chromium: no request but the
 * file itself, no script error, every chart drawn, and a screenshot that is not blank.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAPACITY_FIXTURE, makeReportResults } from '../../src/report/reportFixture.test-helper.js';
import { useChromium } from '../helpers/chromium.js';
import { mqbench, ROOT } from '../helpers/cli.js';

/** 3 percentile charts, 3 per-second charts, 1 capacity chart. */
const CHARTS = 7;

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-report-'));
const a = join(tmp, 'a.json');
const b = join(tmp, 'b.json');
const out = join(tmp, 'report.html');
writeFileSync(a, JSON.stringify(makeReportResults({ seed: 11, url: 'mqtt://10.0.0.1:1883', medianMs: 0.4 })));
writeFileSync(b, JSON.stringify(makeReportResults({ seed: 12, url: 'mqtt://10.0.0.2:1883', medianMs: 0.9, lost: 3, capacity: CAPACITY_FIXTURE })));

const requireBrowser = useChromium();

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('mqbench report', () => {
  it('writes one HTML file for labelled results files', async () => {
    const r = await mqbench(['report', `mosquitto=${a}`, `emqx=${b}`, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Report (2 runs): ${out}\n`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<th>scenario</th><th>mosquitto</th><th>emqx</th>');
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  });

  it('renders in headless Chromium with no network request, no error and every chart drawn', async () => {
    expect(existsSync(out), 'the previous test writes the report').toBe(true);
    const page = await requireBrowser().newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    const url = pathToFileURL(out).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction((n) => document.querySelectorAll('.uplot canvas').length >= n, CHARTS, { timeout: 10_000 });

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.locator('.chart').count()).toBe(CHARTS);
    expect(await page.locator('.chart .uplot').count()).toBe(CHARTS);
    expect(await page.locator('.uplot canvas').count()).toBe(CHARTS);
    // Every canvas has ink on it: lines, not just an empty frame.
    const inked = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>('.uplot canvas')].map((c) => {
        const px = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n;
      }),
    );
    expect(inked).toHaveLength(CHARTS);
    for (const n of inked) expect(n).toBeGreaterThan(2000);
    // Legends name the runs.
    expect(await page.locator('#chart-0-pct-endToEnd .u-legend').innerText()).toMatch(/mosquitto[\s\S]*emqx/);

    const shot = await page.screenshot({ fullPage: true });
    const path = join(tmp, 'report.png');
    writeFileSync(path, shot);
    console.log(`report screenshot: ${path}`);
    const { width, height } = pngSize(shot);
    expect(width).toBe(1280);
    expect(height).toBeGreaterThan(2000);
    expect(new Set(shot.subarray(100)).size).toBeGreaterThan(200);
    // The latency axis switch redraws the percentile charts without errors.
    await page.locator('#pct-log').uncheck();
    expect(await page.locator('.uplot canvas').count()).toBe(CHARTS);
    expect(await page.locator('#chart-0-pct-endToEnd').getAttribute('data-y-scale')).toBe('linear');
    // …and the latency-over-time switch puts that chart on a log axis.
    expect(await page.locator('#chart-0-e2e-time').getAttribute('data-y-scale')).toBe('linear');
    await page.locator('#time-log').check();
    expect(await page.locator('#chart-0-e2e-time').getAttribute('data-y-scale')).toBe('log');
    expect(await page.locator('.uplot canvas').count()).toBe(CHARTS);
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"></body></html>');
    const blank = await page.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(blank.length * 20);
    await page.close();
  });

  it('names the default file results/report-<UTC timestamp>.html', async () => {
    const r = await mqbench(['report', a]);
    expect(r.code).toBe(0);
    const m = /^Report \(1 run\): (results\/report-\d{8}-\d{6}\.html)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const written = resolve(ROOT, m![1]);
    expect(existsSync(written)).toBe(true);
    rmSync(written);
  });

  it('exits 2 naming each unreadable file, and has --help with an example', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{ nope');
    const r = await mqbench(['report', a, bad, join(tmp, 'missing.json'), '--out', join(tmp, 'never.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad} is not valid JSON`);
    expect(r.stderr).toContain(`cannot read results file ${join(tmp, 'missing.json')}: no such file`);
    expect(existsSync(join(tmp, 'never.html'))).toBe(false);
    const help = await mqbench(['report', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('$ mqbench report results/*.json --out report.html');
    expect((await mqbench(['report'])).code).toBe(2);
  });
});
