/**
 * Watching the broker from the built CLI, as a user would: `run --broker-pid` against a real mosquitto (its
 * figures checked against an independent read of /proc and its $SYS counters against mqbench's own counts),
 * a failing source that is reported and not fatal, `capacity --broker-pid` on a mosquitto that is CPU-bound
 * by construction (a 15,000-line ACL it scans for every message), and `run --broker-metrics` against
 * RabbitMQ's Prometheus plugin.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/metrics/types.js';
import { mqbench } from '../helpers/cli.js';
import { freePort, startMosquitto, type MosquittoHandle } from '../helpers/mosquitto.js';
import { procRssBytes, procTicks } from '../helpers/procfs.js';
import { RABBITMQ_MISSING, rabbitmqAvailable, startRabbitMQ, type RabbitHandle } from '../helpers/rabbitmq.js';
import { fanoutYaml } from '../helpers/scenario.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-observe-'));
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Results;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('run --broker-pid against mosquitto', () => {
  let mosq: MosquittoHandle;
  beforeAll(async () => {
    mosq = await startMosquitto(['sys_interval 1']);
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  it("prints a Broker block; CPU agrees with /proc, $SYS counts equal mqbench's, and a dead metrics URL is only a warning", async () => {
    const pid = mosq.process.pid!;
    const file = join(tmp, 'fan.yaml');
    writeFileSync(file, fanoutYaml({ url: mosq.url, devices: 20, rate: '200/s', warmup: '0s', duration: '3s' }));
    const out = join(tmp, 'run.json');
    const dead = `http://127.0.0.1:${await freePort()}/metrics`; // nothing listens there
    const before = procTicks(pid).total;
    const r = await mqbench(
      ['run', file, '--broker-pid', String(pid), '--broker-metrics', dead, '--broker-metrics-preset', 'process', '--quiet', '--out', out],
      { timeoutMs: 90_000 },
    );
    const after = procTicks(pid).total;
    const rssAfter = procRssBytes(pid);
    expect(r.code, r.stderr).toBe(0);
    const json = read(out);
    const b = json.broker!;
    expect(b.sources.map((s) => [s.kind, s.ok])).toEqual([
      ['pid', true],
      ['prometheus', false],
      ['sys', true],
    ]);
    expect(b.sources[1].error).toBe(`cannot scrape ${dead}: ECONNREFUSED`);
    expect(r.stderr).toContain(
      `WARNING: broker observation (prometheus ${dead} (process)) failed: cannot scrape ${dead}: ECONNREFUSED; the run goes on without it`,
    );
    expect(r.stdout).toContain(`Broker (pid ${pid}; ${dead} (process) FAILED; ${mosq.url} $SYS)`);
    expect(r.stdout).toMatch(/busiest thread\s+│\s+\d\.\d\d cores = [\d.]+ % of one core/);

    // CPU: what the per-second figures add up to cannot exceed what /proc counted around the whole run.
    const rows = json.intervals.filter((i) => i.broker?.cpuCores !== undefined);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const integrated = sum(rows.map((i) => i.broker!.cpuCores!));
    const procfs = (after - before) / 100;
    console.log(
      `mosquitto: per-second CPU adds up to ${integrated.toFixed(3)} CPU-s over ${rows.length} s; /proc counted ${procfs.toFixed(2)} CPU-s around the run`,
    );
    expect(integrated).toBeLessThanOrEqual(procfs + 0.05);
    expect(integrated).toBeGreaterThan(0);
    expect(b.resources.maxThreadCpuCores!.max).toBeLessThanOrEqual(1.05); // one thread
    expect(b.resources.threads!.max).toBe(1);
    // RSS within a factor of what /proc shows after the run (it holds the 21 connections' buffers during it).
    expect(b.resources.rssBytes!.max).toBeGreaterThan(rssAfter * 0.5);
    expect(b.resources.rssBytes!.max).toBeLessThan(rssAfter * 2);

    // Counts: the broker's own $SYS counters over the whole run against every message mqbench sent and received.
    const sent = sum(json.intervals.map((i) => i.sent));
    const received = sum(json.intervals.map((i) => i.received));
    expect(sent).toBeGreaterThan(400);
    expect(b.counters).toMatchObject({
      source: 'sys',
      mqbenchSent: sent,
      mqbenchReceived: received,
      receivedDelta: sent,
      difference: { received: 0 },
    });
    // The broker's "sent" also counts its $SYS messages to the observer; they are taken out by what the observer had
    // received when messages/sent was published, which is exact only up to the few $SYS messages of one update
    // (mosquitto publishes only the values that changed, so their number before messages/sent varies).
    expect(Math.abs(b.counters!.difference.sent)).toBeLessThanOrEqual(3);
    expect(r.stdout).toMatch(/broker received [\d,]+ · mqbench sent [\d,]+: equal/);
    // CPU per message counts the broker's messages between its readings just outside the measured window: at least
    // what mqbench sent in that window, at most all it sent.
    const cost = b.costs.cpuMsPer1kMessages!;
    expect(cost.basis).toBe('broker');
    expect(cost.messagesIn).toBeGreaterThanOrEqual(sum(json.intervals.filter((i) => i.phase === 'measure').map((i) => i.sent)));
    expect(cost.messagesIn).toBeLessThanOrEqual(sent);
    expect(json.target.brokerVersion).toMatch(/mosquitto/);
  }, 120_000);
});

describe('capacity --broker-pid on a CPU-bound mosquitto', () => {
  let mosq: MosquittoHandle;
  beforeAll(async () => {
    // Every message makes mosquitto scan 15,000 ACL patterns, each with 40 client ids to substitute (~15 ms of CPU): its one thread runs out of CPU at
    // a rate the generator reaches easily, so the knee is the broker's CPU by construction.
    // Readable by the user mosquitto drops its privileges to (it reads the ACL after that).
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-acl-'));
    chmodSync(dir, 0o755);
    const acl = join(dir, 'acl');
    const patterns = Array.from({ length: 15_000 }, (_, i) => `pattern readwrite nomatch/${Array(40).fill('%c').join('/')}/x${i}/+`);
    writeFileSync(acl, ['topic read $SYS/#', ...patterns, 'pattern readwrite #', ''].join('\n'));
    mosq = await startMosquitto(['sys_interval 1', `acl_file ${acl}`]);
  });
  afterAll(async () => {
    await mosq?.stop();
  });

  it("names the broker's CPU as the binding resource at the knee", async () => {
    const file = join(tmp, 'p2p.yaml');
    writeFileSync(
      file,
      `
name: acl-bound
target: { url: "${mosq.url}", mqttVersion: 3.1.1 }
duration: 2s
drain: 1s
workers: 1
groups:
  - name: sub
    count: 1
    clientId: "ab-sub-{run}-{i}"
    subscribe: [ { topic: "ab/{run}/x", qos: 0 } ]
  - name: pub
    count: 1
    clientId: "ab-pub-{run}-{i}"
    publish: { topic: "ab/{run}/x", qos: 0, rate: 2/s, payload: { size: 64 } }
`,
    );
    const out = join(tmp, 'cap.json');
    const r = await mqbench(
      [
        'capacity',
        file,
        '--broker-pid',
        String(mosq.process.pid!),
        '--driver',
        'lean',
        '--slo',
        'endToEnd.p99<300ms,messages.lost==0',
        '--from',
        '2/s',
        '--to',
        '1000/s',
        '--step-duration',
        '3s',
        '--out',
        out,
      ],
      { timeoutMs: 170_000, nice: -10 },
    );
    console.log(r.stdout);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/broker CPU \(cores\) │ busiest thread │ broker RSS/);
    expect(r.stdout).toMatch(/Binding resource: mosquitto at \d\.\d\d cores \(single-threaded\) at [\d,]+ msg\/s: CPU-bound/);
    const cap = (
      read(out) as Results & {
        capacity: { binding: { resource: string; atLoad: number }; steps: { rate: number; broker?: { maxThreadCpuCores?: { max: number } } }[] };
      }
    ).capacity;
    expect(cap.binding.resource).toBe('cpu (thread)');
    expect(cap.steps.every((s) => s.broker?.maxThreadCpuCores !== undefined)).toBe(true);
  }, 180_000);
});

const rabbitOk = rabbitmqAvailable();
if (!rabbitOk) console.warn(RABBITMQ_MISSING);

describe.skipIf(!rabbitOk)('run --broker-metrics against RabbitMQ (rabbitmq_prometheus)', () => {
  let rabbit: RabbitHandle;
  beforeAll(async () => {
    rabbit = await startRabbitMQ({ startTimeoutMs: 80_000 }); // a cold boot on a busy shared machine
  }, 100_000);
  afterAll(async () => {
    await rabbit?.stop();
  });

  it('reads memory, fds and the global message counters, and says CPU is user time only', async () => {
    const file = join(tmp, 'rabbit.yaml');
    writeFileSync(file, fanoutYaml({ url: rabbit.url, devices: 10, rate: '100/s', warmup: '0s', duration: '3s', qos: 1 }));
    const out = join(tmp, 'rabbit.json');
    const metrics = `http://127.0.0.1:${rabbit.prometheusPort}/metrics`;
    const r = await mqbench(['run', file, '--broker-metrics', metrics, '--broker-metrics-preset', 'rabbitmq', '--quiet', '--out', out], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const b = read(out).broker!;
    expect(b.sources.map((s) => [s.kind, s.ok, s.target])).toEqual([['prometheus', true, `${metrics} (rabbitmq)`]]);
    expect(b.resources.rssBytes!.max).toBeGreaterThan(10 * 2 ** 20);
    expect(b.resources.fds!.max).toBeGreaterThan(10);
    const json = read(out);
    const sent = sum(json.intervals.map((i) => i.sent));
    expect(b.counters).toMatchObject({ source: 'prometheus', receivedDelta: sent, difference: { received: 0, sent: 0 } });
    expect(r.stdout).toContain(`Broker (${metrics} (rabbitmq))`);
    expect(r.stdout).toMatch(/note \(prometheus\): CPU \(when exported\) is Erlang's runtime statistic/);
  }, 120_000);
});
