/**
 * The command-line options that watch the broker during `run` and `capacity` (src/observe): --broker-pid,
 * --broker-metrics (+ --broker-metrics-preset, --broker-metric) and --broker-sys / --no-broker-sys.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseCustomMetric, PRESET_NAMES } from '../observe/promPresets.js';
import { MAX_PID } from '../scenario/observeFields.js';

export function parsePidArg(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_PID) throw new InvalidArgumentError('expected a process id (a whole number, e.g. from pgrep mosquitto)');
  return n;
}

export function parseMetricsUrlArg(text: string): string {
  let u: URL | undefined;
  try {
    u = new URL(text);
  } catch {
    // below
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
    throw new InvalidArgumentError('expected an http:// or https:// URL, e.g. http://127.0.0.1:15692/metrics');
  return text;
}

export function parseMetricArg(text: string, previous: string[] = []): string[] {
  try {
    parseCustomMetric(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return [...previous, text];
}

/** Adds the broker-watching options to a command (run, capacity). */
export function withBrokerObserveOptions(cmd: Command): Command {
  return cmd
    .option(
      '--broker-pid <pid>',
      'watch this broker process on this machine: CPU (per host and busiest thread), RSS, fds, disk I/O; $SYS too when it is mosquitto',
      parsePidArg,
    )
    .option(
      '--broker-metrics <url>',
      'scrape this Prometheus endpoint of the broker or its host every second (RabbitMQ :15692/metrics, EMQX /api/v5/prometheus/stats, node_exporter :9100/metrics)',
      parseMetricsUrlArg,
    )
    .addOption(
      new Option('--broker-metrics-preset <name>', "which metric names --broker-metrics has (default: from the URL's port or path)").choices(PRESET_NAMES),
    )
    .option(
      '--broker-metric <name=metric>',
      'a custom metric to read from --broker-metrics, e.g. cpuSeconds=process_cpu_seconds_total (repeatable)',
      parseMetricArg,
    )
    .option('--broker-sys', "read the broker's $SYS topics over one extra connection (message counters, clients, heap)")
    .option('--no-broker-sys', 'do not read $SYS, not even from a mosquitto given by --broker-pid');
}
