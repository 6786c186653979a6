/**
 * Robustness: a corpus of broken scenario files (test/fixtures/bad/) must each give exit code 2, at least one
 * `file:line:col` line, no stack trace, and (for nearly all) a specific message. Most files are checked in
 * process through loadScenario (fast); a handful are run through the built CLI as a user would.
 * Binary garbage and a 10 MB file are generated into a temp dir, never committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/shared/errors.js';
import { loaded, problems } from '../helpers/scenario.js';
import { maxConnectionsFor, openFilesLimit, parseOpenFilesLimit } from '../../src/host/fdlimit.js';
import { mqbench, ROOT, type CliResult } from '../helpers/cli.js';

const BAD_DIR = 'test/fixtures/bad';
const STACK = /^\s+at .+:\d+:\d+\)?$/m;
/** The in-process loads get a fixed machine: 20,000 open files, so 19,900 connections. */
const LIMITS = { maxConnections: maxConnectionsFor(20_000), openFiles: 20_000 };
/** env-missing-var.yaml uses ${MQBENCH_TEST_UNSET_PASSWORD}, which this environment does not have. */
const ENV = { MQTT_USER: 'bench' };

/** [file in test/fixtures/bad, a substring the report must contain]. */
const EXPECTED: ReadonlyArray<readonly [string, string]> = [
  // YAML syntax
  ['yaml-bad-indent.yaml', ':5:1 YAML syntax error: Sequence item without - indicator (hint: check the indentation'],
  ['yaml-colon-in-value.yaml', ':6:16 YAML syntax error: Nested mappings are not allowed in compact mappings (hint: quote a value that contains ": "'],
  ['yaml-duplicate-key-nested.yaml', ':7:7 YAML syntax error: the key "rate" appears twice in the same mapping'],
  ['yaml-duplicate-key.yaml', ':6:1 YAML syntax error: the key "duration" appears twice in the same mapping'],
  ['yaml-tab-indent-list.yaml', ':3:1 YAML syntax error: Tabs are not allowed as indentation'],
  ['yaml-tab-indent.yaml', ':4:1 YAML syntax error: Tabs are not allowed as indentation (hint: indent with spaces'],
  ['yaml-two-documents.yaml', ':4:1 YAML syntax error: the file holds more than one YAML document (a second "---" or a "..." line)'],
  [
    'yaml-unclosed-flow.yaml',
    ':6:3 YAML syntax error: Flow map in block collection must be sufficiently indented and end with a } (hint: a { or [ is not closed',
  ],
  ['yaml-unclosed-quote.yaml', ':5:15 YAML syntax error: this quoted value is never closed'],
  ['yaml-unquoted-env-in-flow.yaml', ':2:47 YAML syntax error: Unexpected flow-map-start at node end (hint: inside { } or [ ], quote values that use ${VAR}'],
  // Wrong types
  ['type-clean-yes.yaml', ":5:23 groups[0].connect.clean: must be true or false, got 'yes' (hint: YAML 1.2 reads yes/no/on/off as text)"],
  ['type-connect-list.yaml', ':5:14 groups[0].connect: expected a mapping (key: value lines), got a list'],
  ['type-count-string.yaml', ":4:12 groups[0].count: must be a whole number from 1 to 10000000, got 'many'"],
  ['type-group-name-number.yaml', ':3:11 groups[0].name: expected text, got 7'],
  ['type-group-null.yaml', ':3:4 groups[0]: expected a mapping (key: value lines), got nothing'],
  ['type-groups-mapping.yaml', ':3:3 groups: expected a list, got a mapping'],
  ['type-name-list.yaml', ':1:7 name: expected text, got a list'],
  ['type-name-number.yaml', ':1:7 name: expected text, got 42'],
  ['type-publish-string.yaml', ":6:14 groups[0].publish: expected a mapping (key: value lines), got 'telemetry/{i}'"],
  ['type-qos-word.yaml', ':6:32 groups[0].subscribe[0].qos: must be 0, 1 or 2'],
  ['type-subscribe-string.yaml', ":5:16 groups[0].subscribe: expected a list, got 'cmd/#'"],
  ['type-target-list.yaml', ':3:3 target: expected a mapping (key: value lines), got a list'],
  ['type-thresholds-string.yaml', ":4:13 thresholds: expected a list, got 'endToEnd.p99 < 50ms'"],
  // Unknown keys, at every level
  ['unknown-key-alias.yaml', ':6:5 groups[0].colour: unknown key'],
  ['unknown-key-collection.yaml', ':2:3 ["[ a, b ]"]: unknown key'],
  ['unknown-key-connect.yaml', ':5:28 groups[0].connect.keepAlive: unknown key (hint: did you mean "keepalive"?)'],
  ['unknown-key-group.yaml', ':4:5 groups[0].cuont: unknown key (hint: did you mean "count"?)'],
  ['unknown-key-merge.yaml', ':6:5 groups[0]["<<"]: unknown key (hint: YAML merge keys (<<: *anchor) are not supported'],
  ['unknown-key-payload.yaml', ':8:18 groups[0].publish.payload.bytes: unknown key (hint: allowed keys: size, json, header, text, base64, hex, file, files)'],
  ['unknown-key-proto.yaml', ':2:1 __proto__: "__proto__" cannot be used as a key (hint: __proto__, constructor and prototype are reserved names'],
  ['unknown-key-publish.yaml', ':8:7 groups[0].publish.retian: unknown key (hint: did you mean "retain"?)'],
  ['unknown-key-root.yaml', ':2:1 duraton: unknown key (hint: did you mean "duration"?)'],
  ['unknown-key-spaces.yaml', ':5:5 groups[0]["client id"]: unknown key (hint: did you mean "clientId"?)'],
  ['unknown-key-subscribe.yaml', ':6:27 groups[0].subscribe[0].qso: unknown key (hint: did you mean "qos"?)'],
  ['unknown-key-target.yaml', ':4:3 target.host: unknown key (hint: allowed keys: url, urls, sourceAddresses, mqttVersion, username, password, tls, observe)'],
  // Zero, negative and absurd numbers
  ['connect-rate-zero.yaml', ':6:22 groups[0].connect.rate: rate must be more than 0/s'],
  ['count-absurd.yaml', ':3:29 groups[0].count: must be a whole number from 1 to 10000000, got 1000000000000'],
  ['count-fraction.yaml', ':3:29 groups[0].count: must be a whole number from 1 to 10000000, got 2.5'],
  ['count-negative.yaml', ':3:29 groups[0].count: must be a whole number from 1 to 10000000, got -5'],
  ['count-overflow.yaml', ':3:29 groups[0].count: must be a whole number from 1 to 10000000, got 1e+26'],
  ['count-zero.yaml', ':3:29 groups[0].count: must be a whole number from 1 to 10000000, got 0'],
  ['duration-absurd.yaml', ":3:11 duration: must be 168h (7 days) or less, got '999999h'"],
  ['duration-zero.yaml', ':2:11 duration: must be longer than 0s'],
  ['keepalive-absurd.yaml', ':5:27 groups[0].connect.keepalive: keepalive must be whole seconds from 0s to 65535s'],
  ['keepalive-fraction.yaml', ':5:27 groups[0].connect.keepalive: keepalive must be whole seconds from 0s to 65535s'],
  ['rate-absurd.yaml', ":5:40 groups[0].publish.rate: rate must be at most 10,000,000/s, got '99999999999/s'"],
  ['rate-zero.yaml', ':5:40 groups[0].publish.rate: rate must be more than 0/s'],
  ['workers-absurd.yaml', ':2:10 workers: must be a whole number from 1 to 64, got 1000'],
  ['workers-zero.yaml', ':2:10 workers: must be a whole number from 1 to 64, got 0'],
  // Durations, rates and sizes that do not parse
  ['duration-negative.yaml', ":2:9 warmup: expected a duration like 30s, got '-1s' (hint: a duration cannot be negative)"],
  ['duration-no-unit.yaml', ':2:11 duration: expected a duration like 30s, got 30 (hint: add a unit, e.g. 30s)'],
  ['duration-word.yaml', ":2:11 duration: expected a duration like 30s, got 'fast'"],
  ['duration-wrong-order.yaml', ":2:11 duration: expected a duration like 30s, got '30s1m'"],
  ['every-no-unit.yaml', ':6:47 groups[0].publish.every: expected a duration like 30s, got 5'],
  ['rate-bad-unit.yaml', ":5:40 groups[0].publish.rate: expected a rate like 500/s, got '10/q' (hint: the unit after / is s, m or h)"],
  ['rate-no-unit.yaml', ':5:40 groups[0].publish.rate: expected a rate like 500/s, got 100'],
  ['rate-nor-every.yaml', ':7:7 groups[0].publish.rate: publish needs a rate (for the whole group, e.g. 100/s) or every (per client, e.g. 5s)'],
  ['rate-word.yaml', ":5:40 groups[0].publish.rate: expected a rate like 500/s, got 'fast'"],
  ['size-bad-unit.yaml', ":5:62 groups[0].publish.payload.size: expected a size like 4KiB, got '1KBB' (hint: size units are B, KB (or KiB) and MB (or MiB))"],
  ['size-negative.yaml', ':5:62 groups[0].publish.payload.size: expected a whole number of bytes, got -5'],
  ['size-too-large.yaml', ':5:62 groups[0].publish.payload.size: payload size 536870912 B is larger than MQTT allows (268434432 B)'],
  // Template variables
  ['template-empty-var.yaml', ':5:18 groups[0].subscribe[0]: empty template variable {}'],
  ['template-unclosed-brace.yaml', ':5:15 groups[0].clientId: unclosed { in template'],
  ['template-unknown-var-clientid.yaml', ':5:15 groups[0].clientId: unknown template variable {id}; allowed: {i}, {group}, {run}'],
  [
    'template-unknown-var-topic.yaml',
    ':6:23 groups[1].publish.topic: unknown template variable {targt}; allowed: {i}, {group}, {clientId}, {run}, {target}, {seq} (hint: did you mean {target}?)',
  ],
  ['template-var-not-allowed.yaml', ':5:15 groups[0].clientId: template variable {seq} cannot be used here; allowed: {i}, {group}, {run}'],
  // Topics: wildcards, $share, malformed filters
  ['filter-hash-not-last.yaml', ':5:18 groups[0].subscribe[0]: # must be the whole last level of a topic filter, e.g. sensors/#'],
  ['filter-plus-partial.yaml', ':6:16 groups[0].subscribe[0].topic: + must be a whole level of a topic filter, e.g. sensors/+/temp'],
  ['publish-topic-empty.yaml', ':5:23 groups[0].publish.topic: topic must not be empty'],
  ['publish-wildcard-hash.yaml', ':5:23 groups[0].publish.topic: cannot publish to a wildcard topic (+ or #)'],
  ['publish-wildcard-plus.yaml', ':5:23 groups[0].publish.topic: cannot publish to a wildcard topic (+ or #)'],
  ['share-no-filter.yaml', ':7:18 groups[0].subscribe[0].topic: $share needs a topic filter after the group: $share/<group>/<filter>'],
  ['share-no-group.yaml', ':6:18 groups[0].subscribe[0]: $share needs a group name: $share/<group>/<filter>'],
  // Characters and text MQTT forbids in strings (control characters, non-characters, NUL), reserved keys, URL escapes
  [
    'topic-control-char.yaml',
    ':5:23 groups[0].publish.topic: topic contains the control character U+0001 at character 9 (hint: MQTT forbids NUL, control characters',
  ],
  ['topic-tab.yaml', ':6:14 groups[0].publish.topic: topic contains the control character U+0009 at character 8'],
  ['filter-noncharacter.yaml', ':6:9 groups[0].subscribe[0]: topic filter contains the Unicode non-character U+FFFE at character 5'],
  ['clientid-c1-control.yaml', ':5:15 groups[0].clientId: clientId contains the control character U+0085 at character 5'],
  ['clientid-delete-char.yaml', ':5:15 groups[0].clientId: clientId contains the control character U+007F at character 4'],
  ['username-control-char.yaml', ':4:13 target.username: username contains the NUL character (U+0000) at character 6'],
  ['reserved-key-user-property.yaml', ':12:11 groups[0].publish.properties.userProperties.__proto__: "__proto__" cannot be used as a key'],
  [
    'url-password-percent.yaml',
    ':3:8 target.url: the password in the URL has a % that does not start a valid escape (hint: in a URL, write a literal % as %25',
  ],
  // QoS
  ['qos-3.yaml', ':5:50 groups[0].publish.qos: must be 0, 1 or 2'],
  ['qos-negative.yaml', ':6:32 groups[0].subscribe[0].qos: must be 0, 1 or 2'],
  // Payload below the header
  [
    'payload-smaller-than-header.yaml',
    ':8:24 groups[0].publish.payload.size: payload size 15 B is smaller than the 16-byte compact mqbench header (hint: use 16 or more (16-31 B carry the compact header, 32 B and more the full one), or header: false)',
  ],
  ['payload-zero.yaml', ':5:62 groups[0].publish.payload.size: payload size 0 B is smaller than the 16-byte compact mqbench header'],
  // every / rate
  ['rate-and-every.yaml', ':9:7 groups[0].publish.every: set either rate (for the whole group) or every (per client), not both'],
  // Rules across fields
  [
    'clientid-without-i.yaml',
    ':5:15 groups[0].clientId: clientId has no {i}, so all 100 clients would connect with the same id (hint: add {i}, e.g. "dev-{i}")',
  ],
  ['duplicate-group-names.yaml', ":4:13 groups[1].name: group name 'devices' is already used by groups[0]"],
  ['group-name-invalid.yaml', ":3:13 groups[0].name: 'my devices' is not a valid name"],
  [
    'target-var-single-group.yaml',
    ':5:14 groups[0].publish.targets: set publish.targets to the group {target} should cycle through (hint: add a group of subscribers',
  ],
  [
    'target-var-without-targets.yaml',
    ':7:14 groups[2].publish.targets: set publish.targets to the group {target} should cycle through (hint: one of: devices, gateways, backend)',
  ],
  ['targets-missing-group.yaml', ':6:48 groups[1].publish.targets: no group named \'devises\' (hint: did you mean "devices"?)'],
  // Missing required keys
  ['group-without-count.yaml', ':3:5 groups[0].count: is required'],
  ['group-without-name.yaml', ':3:5 groups[0].name: is required'],
  ['groups-empty.yaml', ':2:9 groups: needs at least one group'],
  ['missing-groups.yaml', ':1:1 groups: is required'],
  ['missing-name.yaml', ':1:1 name: is required'],
  ['publish-without-topic.yaml', ':5:14 groups[0].publish.topic: is required'],
  // ${VAR}
  ['env-bad-name.yaml', ':3:13 target.username: invalid environment variable name "1USER"'],
  ['env-missing-var.yaml', ':5:13 target.password: environment variable MQBENCH_TEST_UNSET_PASSWORD is not set'],
  ['env-unclosed.yaml', ':3:13 target.username: unclosed ${ in value'],
  // The file itself
  ['alias-bomb.yaml', ':1:1 the YAML uses too many aliases (*name) to expand'],
  ['binary-nul.yaml', ':3:14 this is not a text file (it contains binary data)'],
  ['comments-only.yaml', ':1:1 the scenario file is empty'],
  ['crlf-errors.yaml', ":4:12 groups[0].count: must be a whole number from 1 to 10000000, got 'zero'"],
  ['empty.yaml', ':1:1 the scenario file is empty'],
  ['top-level-list.yaml', ':1:1 a scenario must be a mapping of keys (name:, groups:, \u2026), got a list'],
  ['top-level-scalar.yaml', ':1:1 a scenario must be a mapping of keys (name:, groups:, \u2026), got a single value'],
  ['utf16.yaml', ':1:1 this is not a UTF-8 text file (hint: the file looks like UTF-16: save it as UTF-8)'],
  ['whitespace-only.yaml', ':1:1 the scenario file is empty'],
  // Broker target
  ['mqttversion-3.2.yaml', ':2:24 target.mqttVersion: must be 3.1, 3.1.1 or 5, got 3.2'],
  ['mqttversion-4.0.yaml', ":4:16 target.mqttVersion: must be 3.1, 3.1.1 or 5, got '4.0'"],
  ['mqttversion-6.yaml', ':2:24 target.mqttVersion: must be 3.1, 3.1.1 or 5, got 6'],
  ['target-url-garbage.yaml', ':3:8 target.url: expected "embedded" or a URL like mqtt://localhost:1883, got \'localhost:1883\''],
  ['target-url-http.yaml', ":2:16 target.url: unsupported URL scheme 'http'"],
  ['target-url-no-host.yaml', ":3:8 target.url: URL 'mqtt://' has no host"],
  [
    'target-url-no-scheme-credentials.yaml',
    ':3:8 target.url: expected "embedded" or a URL like mqtt://localhost:1883, got \'broker.example:1883\' (hint: start with the scheme',
  ],
  ['target-url-number.yaml', ':3:8 target.url: expected a broker URL like mqtt://localhost:1883, got 1883'],
  // Machine limits and many errors at once
  ['multi-error.yaml', ':16:14 groups[1].publish.topic: unknown template variable {targt}'],
  [
    'too-many-connections.yaml',
    ':4:30 groups[1].count: the scenario opens 25,001 connections but one mqbench process can hold about 19,900 (open-files limit 20,000) (hint: run it as 2 or more processes (--processes N on one machine, --segment i/N across machines), or raise ulimit -n)',
  ],
];

const HUGE_TEXT = `name: big\n# ${'x'.repeat(10 * 1024 * 1024)}\n`;

/** Generated at test time: [name, expected substring]. */
const GENERATED = {
  garbage: ['binary-garbage.bin', ':1:1 this is not a UTF-8 text file'],
  huge: ['ten-megabytes.yaml', `:1:1 the scenario file is ${HUGE_TEXT.length} bytes; the limit is 1048576 (1 MB)`],
} as const;

/** Deterministic bytes (mulberry32), so the "garbage" is the same on every run. */
function seededBytes(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The checks every report must pass, from the CLI's stderr or the in-process problems. */
function expectReport(report: string, file: string, expected: string | undefined): void {
  const positioned = new RegExp(`^${escape(file)}:\\d+:\\d+ `, 'm');
  expect(report, `${file}: no file:line:col line in\n${report}`).toMatch(positioned);
  expect(report, `${file}: stack trace in\n${report}`).not.toMatch(STACK);
  if (expected !== undefined) expect(report, `${file}: missing ${JSON.stringify(expected)}`).toContain(`${file}${expected}`);
}

/** Loads in process; the scenario must be refused with problems positioned inside the file. */
async function loadReport(file: string): Promise<string> {
  const found = problems(await loadScenario(file, ENV, LIMITS));
  expect(found.length).toBeGreaterThan(0);
  const bytes = readFileSync(file);
  const lines = bytes.length > 2_000_000 ? Infinity : bytes.toString('latin1').split('\n').length;
  for (const p of found) {
    expect(p.file).toBe(file);
    expect(p.line, formatProblem(p)).toBeGreaterThanOrEqual(1);
    expect(p.line, formatProblem(p)).toBeLessThanOrEqual(lines);
    expect(p.col, formatProblem(p)).toBeGreaterThanOrEqual(1);
    expect(p.message, formatProblem(p)).not.toMatch(/^[A-Z][a-z]+ input|undefined|\[object Object\]|NaN ms/);
  }
  return found.map(formatProblem).join('\n');
}

let tmp: string;
const generated = (name: string) => join(tmp, name);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mqbench-bad-'));
  writeFileSync(generated(GENERATED.garbage[0]), seededBytes(0xc0ffee, 4096));
  writeFileSync(generated(GENERATED.huge[0]), HUGE_TEXT);
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('the bad-input corpus', () => {
  it('has at least 60 files, every one of them in the table and every table row on disk', () => {
    const onDisk = readdirSync(join(ROOT, BAD_DIR)).sort();
    const inTable = EXPECTED.map(([name]) => name).sort();
    expect(onDisk.length).toBeGreaterThanOrEqual(60);
    expect(new Set(inTable).size).toBe(inTable.length);
    expect(inTable).toEqual(onDisk);
  });
});

describe('every broken file is reported in process: positioned, no stack trace, the expected message', () => {
  it.each(EXPECTED)('%s', async (name, expected) => {
    const file = join(ROOT, BAD_DIR, name);
    expectReport(await loadReport(file), file, expected);
  });

  it.each(Object.values(GENERATED))('%s (generated)', async (name, expected) => {
    const file = generated(name);
    expectReport(await loadReport(file), file, expected);
  });

  it('a secret in a scheme-less URL is not echoed', async () => {
    const report = await loadReport(join(ROOT, BAD_DIR, 'target-url-no-scheme-credentials.yaml'));
    expect(report).not.toContain('hunter2secret');
    expect(report).not.toContain('bench:');
  });

  it('a password with a bad % escape is not echoed', async () => {
    const report = await loadReport(join(ROOT, BAD_DIR, 'url-password-percent.yaml'));
    expect(report).not.toContain('50%off');
    expect(report).not.toContain('bench:');
  });

  it('the multi-error file reports every problem, one per line, in file order', async () => {
    const file = join(ROOT, BAD_DIR, 'multi-error.yaml');
    const lines = (await loadReport(file)).split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(15);
    const at = lines.map((l) =>
      l
        .slice(file.length + 1)
        .split(' ')[0]
        .split(':')
        .map(Number),
    );
    const sorted = [...at].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(at).toEqual(sorted);
  });

  it('without limits, the connection count is not checked', async () => {
    const file = join(ROOT, BAD_DIR, 'too-many-connections.yaml');
    expect(loaded(await loadScenario(file, ENV)).scenario.name).toBe('too-many');
  });
});

describe('open-files limit helper', () => {
  it('reads the soft "Max open files" value; null when missing or unlimited', () => {
    const limits = (soft: string) =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                1048576              files\n`;
    expect(parseOpenFilesLimit(limits('20000'))).toBe(20_000);
    expect(parseOpenFilesLimit(limits('unlimited'))).toBeNull();
    expect(parseOpenFilesLimit('Max processes 10 10 processes\n')).toBeNull();
    expect(maxConnectionsFor(20_000)).toBe(19_900);
    const own = openFilesLimit();
    if (process.platform === 'linux') expect(own).toBeGreaterThan(0);
    else expect(own).toBeNull();
  });
});

describe('the built CLI on a representative handful (spawned in parallel)', () => {
  // [label, path as given to the CLI (relative to ROOT, or absolute for generated files), expected]
  const cases: Array<[string, () => string, string]> = [
    ['binary garbage', () => generated(GENERATED.garbage[0]), GENERATED.garbage[1]],
    ['an empty file', () => `${BAD_DIR}/empty.yaml`, ':1:1 the scenario file is empty'],
    ['a 10 MB file', () => generated(GENERATED.huge[0]), GENERATED.huge[1]],
    ['many errors at once', () => `${BAD_DIR}/multi-error.yaml`, ':2:1 duraton: unknown key (hint: did you mean "duration"?)'],
    ['a missing ${VAR}', () => `${BAD_DIR}/env-missing-var.yaml`, ':5:13 target.password: environment variable MQBENCH_TEST_UNSET_PASSWORD is not set'],
    ['a YAML syntax error', () => `${BAD_DIR}/yaml-duplicate-key.yaml`, ':6:1 YAML syntax error: the key "duration" appears twice'],
  ];
  const results = new Map<string, CliResult>();

  beforeAll(async () => {
    expect(process.env.MQBENCH_TEST_UNSET_PASSWORD).toBeUndefined();
    const runs = cases.map(async ([label, file]) => results.set(label, await mqbench(['validate', file()], { timeoutMs: 20_000 })));
    await Promise.all(runs);
  }, 30_000);

  it.each(cases)('%s: exit 2, positioned lines on stderr, no stack trace', (label, file, expected) => {
    const r = results.get(label)!;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expectReport(r.stderr, file(), expected);
    expect(r.stderr).toMatch(/^\d+ problems? in /m);
  });

  it('many errors at once: one stderr line per problem', () => {
    const r = results.get('many errors at once')!;
    const lines = r.stderr.split('\n').filter((l) => l.startsWith(`${BAD_DIR}/multi-error.yaml:`));
    expect(lines.length).toBeGreaterThanOrEqual(15);
    expect(r.stderr).toContain(`${lines.length} problems in ${BAD_DIR}/multi-error.yaml`);
  });
});

describe('the built CLI refuses what is not a scenario file at once, and a malformed --broker as usage', () => {
  const fifo = () => join(tmp, 'scenario.fifo');
  beforeAll(() => {
    execFileSync('mkfifo', [fifo()]);
  });

  it.each([
    [
      'validate /dev/zero',
      () => ['validate', '/dev/zero'],
      'cannot read scenario file /dev/zero: it is a character device (like /dev/zero), not a regular file',
    ],
    ['run /dev/zero', () => ['run', '/dev/zero'], 'cannot read scenario file /dev/zero: it is a character device (like /dev/zero), not a regular file'],
    ['validate a FIFO', () => ['validate', fifo()], 'it is a FIFO (named pipe), not a regular file'],
    ['validate a directory', () => ['validate', 'test/fixtures'], 'cannot read scenario file test/fixtures: it is a directory'],
    ['compare with a device', () => ['compare', '/dev/zero', '/dev/null'], 'cannot read results file /dev/zero: it is a character device'],
    [
      'run --broker mqtt://[::1',
      () => ['run', 'scenarios/fanout.yaml', '--broker', 'mqtt://[::1'],
      '--broker: expected "embedded" or a URL like mqtt://localhost:1883, got \'mqtt://[::1\'',
    ],
    [
      'run --broker with a bad % in the password',
      () => ['run', 'scenarios/fanout.yaml', '--broker', 'mqtt://u:100%sure@127.0.0.1:1'],
      '--broker: the password in the URL has a % that does not start a valid escape',
    ],
  ])('%s: exit 2 within seconds, a clear line, no stack trace', async (_label, args, expected) => {
    const r = await mqbench(args(), { timeoutMs: 20_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toContain('100%sure');
  });
});
