/**
 * `mqbench run --prometheus <port>` through the built CLI: a small fan-out on the embedded broker,
 * scraped over HTTP while it runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mqbench } from '../helpers/cli.js';
import { freePort } from '../helpers/mosquitto.js';
import { fanoutYaml } from '../helpers/scenario.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-prom-'));
const scenario = join(tmp, 'fanout.yaml');
writeFileSync(scenario, fanoutYaml({ url: 'embedded', devices: 10, rate: '100/s', duration: '4s', warmup: '500ms', workers: 1 }));

async function scrape(url: string): Promise<string | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok ? await res.text() : null;
  } catch {
    return null;
  }
}

function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}

describe('mqbench run --prometheus', () => {
  it('serves growing counters and filled latency histograms while the run lasts, then closes', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/metrics`;
    const run = mqbench(['run', scenario, '--prometheus', String(port), '--quiet', '--out', join(tmp, 'r.json')], { timeoutMs: 90_000 });
    let finished = false;
    void run.then(() => (finished = true));
    const scrapes: string[] = [];
    while (!finished) {
      const text = await scrape(url);
      if (text) scrapes.push(text);
      await new Promise((r) => setTimeout(r, 250));
    }
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`live metrics at ${url}`);
    expect(scrapes.length).toBeGreaterThan(3);

    const sent = scrapes.map((t) => value(t, 'mqbench_messages_sent_total'));
    expect(sent.every((n) => Number.isFinite(n))).toBe(true);
    expect(sent.slice(1).every((n, i) => n >= sent[i])).toBe(true); // a counter never goes down
    expect(new Set(sent.filter((n) => n > 0)).size).toBeGreaterThan(1); // and it grew while we watched
    const e2eCount = scrapes.map((t) => value(t, 'mqbench_latency_histogram_seconds_count{kind="end_to_end"}'));
    expect(Math.max(...e2eCount)).toBeGreaterThan(0);
    const last = scrapes[scrapes.length - 1];
    expect(value(last, 'mqbench_latency_histogram_seconds_bucket{kind="end_to_end",le="+Inf"}')).toBe(
      value(last, 'mqbench_latency_histogram_seconds_count{kind="end_to_end"}'),
    );
    expect(value(last, 'mqbench_latency_seconds{kind="end_to_end",quantile="0.99"}')).toBeGreaterThan(0);
    expect(scrapes.some((t) => value(t, 'mqbench_run_phase{phase="measure"}') === 1)).toBe(true);
    expect(value(last, 'mqbench_open_connections')).toBeGreaterThanOrEqual(0);
    // Closed once the results are written.
    expect(await scrape(url)).toBeNull();
  });

  it('exits 2 for a port outside 1..65535, and 1 with a clear line when the port is taken', async () => {
    for (const bad of ['0', '65536', 'http']) {
      const r = await mqbench(['run', scenario, '--prometheus', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('expected a TCP port from 1 to 65535');
    }
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const r = await mqbench(['run', scenario, '--prometheus', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`--prometheus: port ${port} on 127.0.0.1 is already in use`);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
    } finally {
      blocker.close();
    }
  });
});
