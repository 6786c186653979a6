/**
 * What to observe of the broker for one run, from the scenario's `target.observe`, the command line
 * (--broker-pid, --broker-metrics, --broker-metrics-preset, --broker-metric, --broker-sys) and the embedded
 * broker (observed automatically: it runs on mqbench's own main thread). Pure.
 */
import type { ObserveSpec } from '../scenario/model.js';
import { ExitCode, UserError } from '../shared/errors.js';
import { PRESET_NAMES } from './promPresets.js';

export interface ObserveFlags {
  brokerPid?: number;
  brokerMetrics?: string;
  brokerMetricsPreset?: string;
  brokerMetric?: string[];
  /** true: --broker-sys; false: --no-broker-sys (not even automatically). */
  brokerSys?: boolean;
}

export interface ObserveRequest {
  pid?: number;
  /** Count the CPU of this thread of `pid` only (the embedded broker: mqbench's main thread). */
  tid?: number;
  prometheus?: { url: string; preset?: string; metrics?: string[] };
  /** true: read $SYS; 'auto': read it when the pid is a mosquitto process (it publishes $SYS by default). */
  sys?: boolean | 'auto';
}

/** The preset a metrics URL's well-known port or path implies: RabbitMQ 15692, EMQX's /api/v5/prometheus, node_exporter 9100. */
export function presetFor(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.pathname.startsWith('/api/v5/prometheus')) return 'emqx';
  if (u.port === '15692') return 'rabbitmq';
  if (u.port === '9100') return 'node_exporter';
  return undefined;
}

/** Null when nothing is to be observed. Throws a UserError (exit 2) for flags that cannot work. */
export function observeRequest(spec: ObserveSpec | undefined, flags: ObserveFlags, embedded: { pid: number } | null): ObserveRequest | null {
  const out: ObserveRequest = {};
  const pid = flags.brokerPid ?? spec?.pid;
  if (pid !== undefined) out.pid = pid;
  else if (embedded) {
    out.pid = embedded.pid;
    out.tid = embedded.pid;
  }
  const prometheus = prometheusRequest(spec, flags);
  if (prometheus) out.prometheus = prometheus;
  const sys = sysRequest(spec, flags, embedded);
  if (sys !== undefined) out.sys = sys;
  return Object.keys(out).length === 0 ? null : out;
}

/** The Prometheus source: flags win over the scenario; a preset guessed from the URL when none is named. */
function prometheusRequest(spec: ObserveSpec | undefined, flags: ObserveFlags): ObserveRequest['prometheus'] {
  const url = flags.brokerMetrics ?? spec?.prometheus?.url;
  if (url !== undefined) {
    const fromSpec = flags.brokerMetrics === undefined ? spec?.prometheus : undefined;
    const preset = flags.brokerMetricsPreset ?? fromSpec?.preset ?? presetFor(url);
    const metrics = flags.brokerMetric?.length ? flags.brokerMetric : fromSpec?.metrics;
    if (preset === undefined && !metrics?.length) {
      throw new UserError(
        `--broker-metrics: which metrics should be read from ${url.replace(/\/\/[^@/]*@/, '//')}?`,
        ExitCode.usage,
        `add --broker-metrics-preset (${PRESET_NAMES.join(', ')}) or --broker-metric name=metric`,
      );
    }
    return { url, ...(preset !== undefined ? { preset } : {}), ...(metrics?.length ? { metrics: [...metrics] } : {}) };
  }
  if (flags.brokerMetricsPreset !== undefined || flags.brokerMetric?.length) {
    throw new UserError(
      '--broker-metrics-preset and --broker-metric need --broker-metrics <url>',
      ExitCode.usage,
      'e.g. --broker-metrics http://127.0.0.1:15692/metrics --broker-metrics-preset rabbitmq',
    );
  }
  return undefined;
}

/** `$SYS`: on, or 'auto' (when the broker is a mosquitto) for a watched pid; undefined: off. */
function sysRequest(spec: ObserveSpec | undefined, flags: ObserveFlags, embedded: { pid: number } | null): ObserveRequest['sys'] {
  const sys = flags.brokerSys ?? spec?.sys;
  if (sys === true && embedded)
    throw new UserError(
      '--broker-sys: the embedded broker publishes no $SYS topics',
      ExitCode.usage,
      "drop --broker-sys (the embedded broker is observed through mqbench's own process)",
    );
  if (sys !== undefined) return sys ? true : undefined;
  return flags.brokerPid !== undefined || spec?.pid !== undefined ? 'auto' : undefined;
}

/** The broker-watching flags of a command's parsed options (commander's record, values already converted). */
export function observeFlagsOf(opts: Record<string, unknown>): ObserveFlags {
  const out: ObserveFlags = {};
  if (typeof opts.brokerPid === 'number') out.brokerPid = opts.brokerPid;
  if (typeof opts.brokerMetrics === 'string') out.brokerMetrics = opts.brokerMetrics;
  if (typeof opts.brokerMetricsPreset === 'string') out.brokerMetricsPreset = opts.brokerMetricsPreset;
  if (Array.isArray(opts.brokerMetric)) out.brokerMetric = opts.brokerMetric as string[];
  if (typeof opts.brokerSys === 'boolean') out.brokerSys = opts.brokerSys;
  return out;
}
