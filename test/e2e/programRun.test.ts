/**
 * `mqbench run` in-process: the built program (dist/cli/program.js, so the worker threads run the compiled
 * entry) with a fake io, on the embedded broker. What the CLI e2e tests check by spawning the binary, here
 * from the inside: streams, signals and environment are the ones given.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../../src/cli/fakeIo.test-helper.js';
import type { CliIo } from '../../src/cli/io.js';
import type { Program } from '../../src/cli/program.js';
import { fanoutYaml } from '../helpers/scenario.js';

const { buildProgram } = (await import(new URL('../../dist/cli/program.js', import.meta.url).href)) as { buildProgram: (io: CliIo) => Program };
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-program-run-'));
const argv = (...args: string[]) => ['node', 'mqbench', ...args];

describe('run through buildProgram(io) on the embedded broker', () => {
  it('one run: summary on the given stdout, progress and "results written" on its stderr, file written, exit 0', async () => {
    const file = join(tmp, 'fan.yaml');
    writeFileSync(file, fanoutYaml({ url: 'embedded', devices: 20, rate: '200/s', warmup: '0s', duration: '1s', workers: 1 }));
    const out = join(tmp, 'one.json');
    const io = fakeIo();
    const code = await buildProgram(io).parseAsync(argv('run', file, '--out', out, '--threshold', 'messages.lost == 0'));
    expect(io.err()).toMatch(/using the embedded aedes broker/);
    expect(code).toBe(0);
    expect(io.out()).toMatch(/sent/);
    expect(io.err()).toContain(`results written to ${out}`);
    expect(io.err()).toMatch(/21 clients on 1 worker thread\(s\) \| 200 msg\/s planned/);
    expect(io.err()).toMatch(/Thresholds: the threshold passed/);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results.status).toBe('complete');
    expect(results.thresholds).toEqual([expect.objectContaining({ expression: 'messages.lost == 0', ok: true })]);
    expect(results.summary.messages.sent).toBeGreaterThanOrEqual(190);
    expect(results.target.embedded).toBe(true);
  });

  it('a signal from the io mid-run: partial results written, exit 130', async () => {
    const file = join(tmp, 'long.yaml');
    writeFileSync(file, fanoutYaml({ url: 'embedded', devices: 10, rate: '100/s', warmup: '0s', duration: '30s', workers: 1 }));
    const out = join(tmp, 'stopped.json');
    const io = fakeIo();
    let raised = 0;
    const started = Date.now();
    const timer = setInterval(() => {
      // Once publishing has begun (the header line is out and a second has passed), as a user's Ctrl-C.
      if (raised === 0 && /msg\/s planned/.test(io.err()) && Date.now() - started > 1500) raised = io.raise('SIGINT');
    }, 100);
    const code = await buildProgram(io).parseAsync(argv('run', file, '--out', out, '--quiet'));
    clearInterval(timer);
    expect(raised).toBe(1);
    expect(code).toBe(130);
    expect(Date.now() - started).toBeLessThan(20_000);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results.status).toBe('partial');
    expect(results.statusReason).toBe('interrupted by the user');
  });
});
