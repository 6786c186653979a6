import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeResults } from './fixture.test-helper.js';

/** A results file as untyped JSON, to be edited into a malformed one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test writes wrong types on purpose
type EditableJson = Record<string, any>;
import { defaultResultsPath, readResultsFile, writeResultsFile } from './json.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqbench-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeResultsFile', () => {
  it('creates parent folders and writes pretty JSON that round-trips, leaving no temp file', async () => {
    const path = join(dir, 'a', 'b', 'run.json');
    const results = makeResults({ status: 'partial', statusReason: 'interrupted' });
    await writeResultsFile(path, results);

    const text = await readFile(path, 'utf8');
    expect(text).toBe(`${JSON.stringify(results, null, 2)}\n`);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
    expect(JSON.parse(text)).toEqual(results);
    expect(await readResultsFile(path)).toEqual(results);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['run.json']);
  });

  it('replaces an existing file whole', async () => {
    const path = join(dir, 'run.json');
    await writeFile(path, 'x'.repeat(100_000));
    await writeResultsFile(path, makeResults());
    expect((await readResultsFile(path)).scenario.name).toBe('fanout-commands');
    expect(await readdir(dir)).toEqual(['run.json']);
  });

  it('leaves no temp file behind when the rename fails', async () => {
    const path = join(dir, 'taken');
    await writeFile(join(dir, 'keep'), '');
    await writeResultsFile(join(path, 'inner.json'), makeResults());
    // `taken` is now a non-empty folder: renaming a file onto it fails.
    await expect(writeResultsFile(path, makeResults())).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['keep', 'taken']);
  });
});

describe('readResultsFile', () => {
  it('rejects a wrong or missing schemaVersion with a clear message', async () => {
    const path = join(dir, 'v2.json');
    await writeFile(path, JSON.stringify({ ...makeResults(), schemaVersion: 2 }));
    await expect(readResultsFile(path)).rejects.toThrow(/schemaVersion 2; this mqbench reads results files with schemaVersion 1/);
    await writeFile(path, JSON.stringify({ hello: 'world' }));
    await expect(readResultsFile(path)).rejects.toThrow(/no schemaVersion/);
  });

  it('rejects files that are not results: invalid JSON, missing file, missing summary', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"schemaVersion": 1,');
    await expect(readResultsFile(bad)).rejects.toThrow(/bad\.json is not valid JSON/);
    await expect(readResultsFile(join(dir, 'nope.json'))).rejects.toThrow(/cannot read results file .*nope\.json: no such file/);
    await writeFile(bad, '{"schemaVersion": 1}');
    await expect(readResultsFile(bad)).rejects.toThrow(/bad\.json is not a valid mqbench results file: field status is missing/);
  });

  it('names the file and the field of a malformed results file (exit 2), instead of failing later in a reader', async () => {
    const path = join(dir, 'edited.json');
    const cases: [(r: EditableJson) => void, RegExp][] = [
      [
        (r) => {
          r.summary.messages.sent = '12';
        },
        /edited\.json is not a valid mqbench results file: field summary\.messages\.sent must be a number, found a string \("12"\)/,
      ],
      [
        (r) => {
          delete r.summary.latencyMs.endToEnd;
        },
        /field summary\.latencyMs\.endToEnd is missing \(it must be an object\)/,
      ],
      [
        (r) => {
          r.intervals[1].received = null;
        },
        /field intervals\[1\]\.received must be a number, found null/,
      ],
      [
        (r) => {
          r.summary = [];
        },
        /field summary must be an object, found a list/,
      ],
      [
        (r) => {
          r.counters = { sent: 'many' };
        },
        /field counters\.sent must be a number/,
      ],
      [
        (r) => {
          r.status = 'done';
        },
        /field status must be one of "complete", "partial", "failed", found a string \("done"\)/,
      ],
    ];
    for (const [edit, message] of cases) {
      const r = JSON.parse(JSON.stringify(makeResults())) as EditableJson;
      edit(r);
      await writeFile(path, JSON.stringify(r));
      const err = await readResultsFile(path).then(
        () => null,
        (e: unknown) => e as { message: string; exitCode: number },
      );
      expect(err?.message).toMatch(message);
      expect(err?.exitCode).toBe(2);
    }
  });

  it('reads files that lack fields added after schemaVersion 1 began, and keeps fields it does not know', async () => {
    const path = join(dir, 'old.json');
    const r = JSON.parse(JSON.stringify(makeResults())) as EditableJson;
    delete r.summary.latencyMs.reconnect;
    delete r.summary.latencyMs.requestResponse;
    delete r.summary.byQos;
    delete r.summary.verdicts;
    delete r.summary.messages.notOffered;
    r.broker = { sources: [{ kind: 'pid', ok: true }] };
    await writeFile(path, JSON.stringify(r));
    expect(await readResultsFile(path)).toEqual(r);
  });
});

describe('defaultResultsPath', () => {
  it('names the file after the scenario and the UTC start time', () => {
    const at = new Date('2025-03-04T05:06:07.089Z');
    expect(defaultResultsPath('fanout-commands', at)).toBe(join('results', 'fanout-commands-20250304-050607.json'));
    expect(defaultResultsPath('x', at, 'out/dir')).toBe(join('out/dir', 'x-20250304-050607.json'));
  });
  it('keeps odd scenario names to one safe file name', () => {
    const at = new Date(Date.UTC(2025, 11, 31, 23, 59, 58));
    expect(defaultResultsPath('../my scenario/v2', at)).toBe(join('results', 'my-scenario-v2-20251231-235958.json'));
    expect(defaultResultsPath('', at)).toBe(join('results', 'run-20251231-235958.json'));
  });
});
