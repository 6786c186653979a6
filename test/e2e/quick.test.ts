/**
 * The quick commands through the built CLI against a real mosquitto, as an emqtt-bench user would type them:
 * - `mqbench pub -c 100 -I 10ms -t 'bench/%i' -s 256 -q 1 --broker …` prints the usual table, writes results, exit 0;
 * - `mqbench sub -c 10 -t 'bench/#'` next to a `mqbench pub` in another process times that run's messages end to end
 *   (count = 10 × what the pub's broker acknowledged) and counts a plain message as foreign, with no loss verdict;
 * - `mqbench conn -c N` holds N connections (mosquitto's own $SYS client count says so);
 * - `--save` writes a YAML that `mqbench run` runs with the same plan; -P is in neither file nor output;
 * - MQTT 3.1 (-V 3) works; bad flags exit 2 without a stack trace.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { mqbench, type CliResult } from '../helpers/cli.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-quick-'));
const STACK = /\n\s+at .+:\d+:\d+\)?/;
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { status: string; scenario: Record<string, unknown>; summary: Summary };
interface Summary {
  connections: { attempted: number; succeeded: number; failed: number; lost: number };
  messages: { planned?: number; sent: number; acked: number; received: number; expected: number; lost: number; foreign: number; otherRuns?: number };
  latencyMs: Record<string, { count: number; p50: number | null }>;
}

describe('quick commands against mosquitto', () => {
  const mosq = useMosquitto(['sys_interval 1']);

  it('pub: the emqtt-bench one-liner runs with the usual table and results, exit 0', async () => {
    const out = join(tmp, 'pub.json');
    const r = await mqbench([
      'pub',
      '-c',
      '100',
      '-I',
      '10ms',
      '-t',
      'bench/%i',
      '-s',
      '256',
      '-q',
      '1',
      '--broker',
      mosq.url,
      '-d',
      '1s',
      '-o',
      out,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Connections[\s\S]*Messages[\s\S]*Latency[\s\S]*publish→ack/);
    const res = read(out);
    expect(res.status).toBe('complete');
    expect(res.summary.connections.succeeded).toBe(100);
    expect(res.summary.messages.acked).toBeGreaterThan(0);
    expect(res.summary.latencyMs.publishAck.count).toBe(res.summary.messages.acked);
  });

  it("sub: times another process's mqbench messages end to end and counts the rest, with no loss verdict", async () => {
    const subOut = join(tmp, 'sub.json');
    const pubOut = join(tmp, 'pub-for-sub.json');
    let started: () => void = () => {};
    const ready = new Promise<void>((r) => (started = r));
    const sub = mqbench(['sub', '-c', '10', '-t', 'bench/#', '-q', '1', '--broker', mosq.url, '-d', '10s', '-o', subOut, '--quiet'], {
      onStderr: (text) => (/quick-sub →/.test(text) ? started() : undefined),
    });
    await ready;
    await new Promise((r) => setTimeout(r, 2500)); // the 10 subscribers connected (0.1 s at -i 10) and subscribed
    const pub = await mqbench(['pub', '-c', '5', '-I', '50', '-t', 'bench/%i', '-q', '1', '-L', '100', '--broker', mosq.url, '-o', pubOut, '--quiet']);
    expect(pub.code, pub.stderr).toBe(0);
    const plain = mqtt.connect(mosq.url, { reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => {
      plain.once('connect', () => plain.publish('bench/plain', 'not an mqbench message', { qos: 1 }, (err) => (err ? reject(err) : resolve())));
      plain.once('error', reject);
    });
    await new Promise<void>((r) => plain.end(false, {}, () => r()));
    const r: CliResult = await sub;
    expect(r.code, r.stderr).toBe(0);
    const published = read(pubOut).summary.messages;
    expect(published.planned).toBe(100);
    expect(published.acked).toBe(100);
    const s = read(subOut).summary;
    expect(s.messages.otherRuns).toBe(10 * published.acked);
    expect(s.latencyMs.endToEnd.count).toBe(s.messages.otherRuns);
    expect(s.latencyMs.endToEnd.p50).toBeGreaterThan(0);
    expect(s.messages.foreign).toBe(10);
    expect([s.messages.expected, s.messages.received, s.messages.lost]).toEqual([0, 0, 0]);
    expect(r.stdout).toMatch(/Delivery: nothing expected: no group of this run publishes; 1,000 messages of other mqbench runs were timed/);
  }, 60_000);

  it('conn -c 40 holds 40 connections (mosquitto $SYS counts them) for the whole run', async () => {
    const out = join(tmp, 'conn.json');
    const watcher = mqtt.connect(mosq.url, { reconnectPeriod: 0 });
    let most = 0;
    watcher.on('message', (_t, p) => (most = Math.max(most, Number(String(p)))));
    await new Promise<void>((resolve, reject) => {
      watcher.once('connect', () => watcher.subscribe('$SYS/broker/clients/connected', (err) => (err ? reject(err) : resolve())));
      watcher.once('error', reject);
    });
    const r = await mqbench(['conn', '-c', '40', '-i', '2ms', '--broker', mosq.url, '-d', '3s', '-o', out, '--quiet']);
    await new Promise<void>((res) => watcher.end(false, {}, () => res()));
    expect(r.code, r.stderr).toBe(0);
    const c = read(out).summary.connections;
    expect([c.attempted, c.succeeded, c.failed, c.lost]).toEqual([40, 40, 0, 0]);
    expect(most).toBe(41); // the 40 and this watcher
  }, 60_000);

  it('--save writes a YAML (schema line, no password) that mqbench run runs with the same plan', async () => {
    const file = join(tmp, 'saved.yaml');
    const a = join(tmp, 'quick.json');
    const b = join(tmp, 'saved-run.json');
    const args = ['-c', '4', '-I', '20ms', '-t', 'save/%i', '-q', '1', '-L', '80', '--broker', mosq.url, '-u', 'bench', '-P', 'pw-do-not-echo'];
    const quick = await mqbench(['pub', ...args, '--save', file, '-o', a, '--quiet']);
    expect(quick.code, quick.stderr).toBe(0);
    const yaml = readFileSync(file, 'utf8');
    expect(yaml.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=/);
    expect(yaml).toContain('password: ${MQBENCH_PASSWORD}');
    const run = await mqbench(['run', file, '-o', b, '--quiet'], { env: { MQBENCH_PASSWORD: 'pw-do-not-echo' } });
    expect(run.code, run.stderr).toBe(0);
    const [ra, rb] = [read(a), read(b)];
    expect(rb.summary.messages.planned).toBe(80);
    expect(ra.summary.messages.planned).toBe(rb.summary.messages.planned);
    expect(ra.scenario.groups).toEqual(rb.scenario.groups);
    expect(ra.scenario.target).toEqual(rb.scenario.target);
    for (const text of [yaml, quick.stdout, quick.stderr, run.stdout, run.stderr, readFileSync(a, 'utf8'), readFileSync(b, 'utf8')])
      expect(text).not.toContain('pw-do-not-echo');
  }, 60_000);

  it('-V 3 (MQTT 3.1) publishes and subscribes against mosquitto', async () => {
    const out = join(tmp, 'v3.json');
    const r = await mqbench(['pub', '-V', '3', '-c', '2', '-I', '20', '-t', 'v3/%i', '-q', '1', '-L', '40', '--broker', mosq.url, '-o', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const res = read(out);
    expect((res.scenario.target as { mqttVersion: unknown }).mqttVersion).toBe(3);
    expect([res.summary.connections.succeeded, res.summary.messages.acked]).toEqual([2, 40]);
  }, 60_000);
});

describe('quick commands: bad flags', () => {
  it.each([
    [['pub', '-c', 'many', '-t', 'x'], /-c, --count <n>' argument 'many' is invalid/],
    [['pub', '-t', 'x', '-I', 'soon'], /-I, --interval-of-msg/],
    [['pub', '-t', 'x', '-q', '3'], /expected 0, 1 or 2/],
    [['sub', '-t', 'x', '-V', '6'], /expected 3 \(MQTT 3.1\), 4 \(3.1.1\) or 5/],
    [['conn', '--bogus'], /unknown option '--bogus'/],
    [['pub', '-c', '5'], /needs a topic: -t <topic>/],
    [['pub', '-t', 'x', '-L', '5', '-d', '5s'], /either -L/],
  ])('mqbench %j → exit 2, a clear message, no stack trace', async (args, message) => {
    const r = await mqbench(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK);
  });
});
