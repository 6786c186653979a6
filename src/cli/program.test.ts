import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../shared/version.js';
import { fakeIo } from './fakeIo.test-helper.js';
import { abortOnSignals } from './io.js';
import { parsed } from '../thresholds/parsed.test-helper.js';
import { readOptions } from './options.js';
import { buildProgram } from './program.js';
import { isComparison, runFlagsFrom } from './runFlags.js';

const argv = (...args: string[]) => ['node', 'mqbench', ...args];
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-program-'));

describe('buildProgram: commands in-process with an injected io', () => {
  it('--version goes to the given stdout, exit 0; nothing touches the real process', async () => {
    const io = fakeIo();
    expect(await buildProgram(io).parseAsync(argv('--version'))).toBe(0);
    expect(io.out()).toBe(`${VERSION}\n`);
  });

  it("an unknown option is a usage error (2) with commander's message on the given stderr", async () => {
    const io = fakeIo();
    expect(await buildProgram(io).parseAsync(argv('run', 'x.yaml', '--no-such-flag'))).toBe(2);
    expect(io.err()).toMatch(/unknown option '--no-such-flag'/);
  });

  it('validate: a valid shipped scenario → stdout line, exit 0', async () => {
    const io = fakeIo();
    expect(await buildProgram(io).parseAsync(argv('validate', 'scenarios/fanout.yaml'))).toBe(0);
    expect(io.out()).toMatch(/^scenarios\/fanout\.yaml: valid \(fanout-commands: 2 group\(s\), 1001 clients\)\n$/);
    expect(io.err()).toBe('');
  });

  it('validate: problems are printed on stderr with file:line:col, exit 2', async () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(file, 'name: bad\ntarget: { url: "mqtt://127.0.0.1:1883" }\nduration: 1s\ngroups:\n  - name: g\n    count: -3\n');
    const io = fakeIo();
    expect(await buildProgram(io).parseAsync(argv('validate', file))).toBe(2);
    expect(io.err()).toContain(`${file}:6:`);
    expect(io.err()).toMatch(/1 problem in /);
    expect(io.out()).toBe('');
  });

  it('validate reads ${VAR} from the injected env, not the process', async () => {
    const file = join(tmp, 'env.yaml');
    writeFileSync(file, 'name: env\ntarget: { url: "${MQB_TEST_URL}" }\nduration: 1s\ngroups:\n  - name: g\n    count: 2\n');
    const missing = fakeIo({});
    expect(await buildProgram(missing).parseAsync(argv('validate', file))).toBe(2);
    expect(missing.err()).toMatch(/MQB_TEST_URL/);
    const given = fakeIo({ MQB_TEST_URL: 'mqtt://127.0.0.1:1883' });
    expect(await buildProgram(given).parseAsync(argv('validate', file))).toBe(0);
  });

  it('a UserError from a command is one line plus its hint, with its exit code', async () => {
    const io = fakeIo();
    expect(await buildProgram(io).parseAsync(argv('run', 'scenarios/fanout.yaml', '--broker', 'http://x'))).toBe(2);
    expect(io.err()).toMatch(/^mqbench: --broker: "http:\/\/x" is not a broker URL\nhint: /);
  });

  it('compare with one file: usage error on the given stderr', async () => {
    const io = fakeIo();
    expect(await buildProgram(io).parseAsync(argv('compare', 'a.json'))).toBe(2);
    expect(io.err()).toMatch(/give two or more results files/);
  });

  it('the program can be built and run again (no state left between parses)', async () => {
    const io = fakeIo();
    const p = buildProgram(io);
    expect(await p.parseAsync(argv('validate', 'scenarios/fanout.yaml'))).toBe(0);
    expect(await buildProgram(io).parseAsync(argv('compare', 'a.json'))).toBe(2);
  });
});

describe("runFlagsFrom: commander's record parsed once into typed flags", () => {
  it('defaults', () => {
    expect(runFlagsFrom({ driver: 'mqttjs', verdictFail: true })).toEqual({
      brokers: [],
      repeat: 1,
      markdown: false,
      duration: undefined,
      scale: undefined,
      workers: undefined,
      out: undefined,
      quiet: false,
      driver: 'mqttjs',
      threshold: [],
      prometheus: undefined,
      processes: 1,
      verdictFail: true,
      segment: undefined,
      runId: undefined,
      startAt: undefined,
      startDelay: undefined,
    });
  });

  it('values of the wrong type are dropped, not passed on', () => {
    const f = runFlagsFrom({ broker: ['a', 3], duration: '5s', segment: { index: 1 }, verdictFail: false, quiet: 'yes' });
    expect(f.brokers).toEqual(['a']);
    expect(f.duration).toBeUndefined();
    expect(f.segment).toBeUndefined();
    expect(f.verdictFail).toBe(false);
    expect(f.quiet).toBe(false);
  });

  it('--threshold values arrive as the parsed Threshold objects (strings or other values are not thresholds)', () => {
    const t = parsed(['endToEnd.p99 < 50ms', 'messages.lost == 0']);
    expect(runFlagsFrom({ threshold: [...t, 'messages.lost == 0', 7] }).threshold).toEqual(t);
    expect(readOptions({ threshold: t }).thresholds('threshold')).toEqual(t);
    expect(readOptions({ threshold: 'x < 1' }).thresholds('threshold')).toEqual([]);
  });

  it.each([
    [[], 1, false],
    [['mqtt://h:1883'], 1, false],
    [['embedded'], 1, false],
    [['a=mqtt://h:1883'], 1, true],
    [['mqtt://h:1883', 'mqtt://h:1884'], 1, true],
    [[], 3, true],
  ])('brokers %j, repeat %i: comparison %s', (brokers, repeat, comparison) => {
    expect(isComparison({ brokers, repeat })).toBe(comparison);
  });
});

describe('abortOnSignals', () => {
  it('first signal aborts and says so; the second quits at once through io.exit(130); release removes the handler', () => {
    const io = fakeIo();
    const abort = new AbortController();
    const release = abortOnSignals(io, abort);
    expect(io.raise('SIGTERM')).toBe(1);
    expect(abort.signal.aborted).toBe(true);
    expect(io.err()).toMatch(/SIGTERM: stopping, closing connections and writing partial results/);
    expect(io.exits).toEqual([]);
    io.raise();
    expect(io.exits).toEqual([130]);
    release();
    expect(io.raise()).toBe(0);
  });
});
