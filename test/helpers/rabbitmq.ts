/**
 * A private RabbitMQ node for tests: its own node name, ports, epmd, data and log folders under a temp
 * folder, listening on loopback only, with the MQTT (and Prometheus) plugins enabled. It never touches a
 * system-wide RabbitMQ (/var/lib/rabbitmq, port 5672/1883/4369). Starting one takes a few seconds: start it
 * once per test file (beforeAll) and stop it in afterAll.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './mosquitto.js';

/** The server script that runs the Erlang VM in the foreground (the /usr/sbin wrapper insists on user rabbitmq). */
export const RABBITMQ_SERVER = process.env.RABBITMQ_SERVER ?? '/usr/lib/rabbitmq/bin/rabbitmq-server';
export const EPMD_BIN = process.env.EPMD_BIN ?? '/usr/bin/epmd';

/** Whether RabbitMQ is installed here (CI installs it: .ci/run); tests skip with a message when it is not. */
export const rabbitmqAvailable = (): boolean => existsSync(RABBITMQ_SERVER) && existsSync(EPMD_BIN);
export const RABBITMQ_MISSING = `RabbitMQ tests skipped: ${RABBITMQ_SERVER} not found (apt-get install rabbitmq-server, as .ci/run does)`;

export interface RabbitOptions {
  /** Ports of the test's choosing; each defaults to a free loopback port. */
  mqttPort?: number;
  amqpPort?: number;
  distPort?: number;
  epmdPort?: number;
  prometheusPort?: number;
  /** Plugins to enable (default: rabbitmq_mqtt and rabbitmq_prometheus). */
  plugins?: string[];
  /** Extra rabbitmq.conf lines (sysctl format), e.g. "mqtt.max_session_expiry_interval_seconds = 60". */
  config?: string[];
  /** How long to wait for MQTT to accept connections (default 30 s: a cold boot on a busy 2-core box takes ~10 s). */
  startTimeoutMs?: number;
}

export interface RabbitHandle {
  /** mqtt://127.0.0.1:<mqttPort> */
  url: string;
  mqttPort: number;
  amqpPort: number;
  prometheusPort: number;
  /** e.g. mqbench-3f2a9c@localhost */
  nodeName: string;
  /** The broker's process (the rabbitmq-server script; the Erlang VM is its child, in the same process group). */
  readonly process: ChildProcess;
  /** What the node wrote to stdout/stderr (its log goes to the console). */
  log(): string;
  /** Stop the node (SIGTERM to the whole process group, SIGKILL after a grace period), stop its epmd, delete its folder. */
  stop(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;

/** Signals a whole process group (spawned with detached: true), ignoring one that is already gone. */
function signalGroup(p: ChildProcess, sig: NodeJS.Signals): void {
  if (p.pid === undefined) return;
  try {
    process.kill(-p.pid, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM to the group, then SIGKILL after `graceMs`; resolves once the leader exited. */
async function stopGroup(p: ChildProcess, graceMs: number): Promise<void> {
  if (p.pid === undefined) return;
  const done = exited(p) ? Promise.resolve() : new Promise<void>((r) => p.once('exit', () => r()));
  signalGroup(p, 'SIGTERM');
  await Promise.race([done, sleep(graceMs)]);
  // The VM may outlive the script that started it: kill whatever is left of the group either way.
  signalGroup(p, 'SIGKILL');
  await Promise.race([done, sleep(2000)]);
}

export async function startRabbitMQ(o: RabbitOptions = {}): Promise<RabbitHandle> {
  const [mqttPort, amqpPort, distPort, epmdPort, prometheusPort] = [
    o.mqttPort ?? (await freePort()),
    o.amqpPort ?? (await freePort()),
    o.distPort ?? (await freePort()),
    o.epmdPort ?? (await freePort()),
    o.prometheusPort ?? (await freePort()),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-rabbitmq-'));
  const nodeName = `mqbench-${Math.random().toString(16).slice(2, 8)}@localhost`;
  const plugins = o.plugins ?? ['rabbitmq_mqtt', 'rabbitmq_prometheus'];
  for (const d of ['mnesia', 'log', 'home', 'plugins-expand']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'enabled_plugins'), `[${plugins.join(',')}].\n`);
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${amqpPort}`,
      `mqtt.listeners.tcp.default = 127.0.0.1:${mqttPort}`,
      `prometheus.tcp.port = ${prometheusPort}`,
      'prometheus.tcp.ip = 127.0.0.1',
      'mqtt.allow_anonymous = true',
      'log.console = true',
      'log.console.level = warning',
      'log.file = false',
      ...(o.config ?? []),
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'), // the Erlang cookie is written here
    LANG: 'C.UTF-8',
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PLUGINS_EXPAND_DIR: join(dir, 'plugins-expand'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_LOGS: '-',
  };
  // Our own epmd on a private port: the VM registers with it instead of starting (and leaving behind) one
  // of its own, and stop() ends it by its pid.
  const epmd = spawn(EPMD_BIN, ['-port', String(epmdPort), '-address', '127.0.0.1'], { stdio: 'ignore', detached: true, env });
  const deadlineEpmd = Date.now() + 5000;
  while (!(await canConnect(epmdPort))) {
    if (exited(epmd) || Date.now() > deadlineEpmd) {
      await stopGroup(epmd, 500);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`epmd did not listen on ${epmdPort}`);
    }
    await sleep(50);
  }
  // Raise open files as far as the hard limit allows (RabbitMQ wants many; the default soft limit is low).
  const proc = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0"', RABBITMQ_SERVER], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env,
    cwd: dir,
  });
  let output = '';
  proc.stdout?.on('data', (d) => (output += String(d)));
  proc.stderr?.on('data', (d) => (output += String(d)));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopGroup(proc, 10_000);
    await stopGroup(epmd, 1000);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
  while (!(await canConnect(mqttPort))) {
    if (exited(proc) || Date.now() > deadline) {
      const why = exited(proc)
        ? `exited (${proc.exitCode ?? proc.signalCode})`
        : `did not accept MQTT on ${mqttPort} within ${(o.startTimeoutMs ?? 30_000) / 1000} s`;
      await stop();
      throw new Error(`RabbitMQ ${nodeName} ${why}:\n${output.slice(-4000)}`);
    }
    await sleep(100);
  }
  return {
    url: `mqtt://127.0.0.1:${mqttPort}`,
    mqttPort,
    amqpPort,
    prometheusPort,
    nodeName,
    process: proc,
    log: () => output,
    stop,
  };
}
