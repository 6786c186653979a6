/**
 * # Watching the broker (src/observe)
 *
 * `startObserver()` samples the broker about once a second from any combination of three sources, on one
 * timer of the coordinator's thread (never a worker's event loop); each source has its own connection, and a
 * slow one skips its turn instead of delaying the others:
 *
 * - **pid** (pidSource.ts): a broker process on this machine, from procfs — CPU user+system in cores, the
 *   busiest thread's CPU (a single-threaded broker at 1 core is saturated, whatever the host's size), RSS,
 *   threads, open fds, storage I/O. With `tid`, CPU is that one thread's (the embedded aedes broker runs on
 *   mqbench's main thread: pid = tid = mqbench's own pid).
 * - **prometheus** (promSource.ts, promPresets.ts): a metrics endpoint scraped with fetch and parsed by
 *   parse-prometheus-text-format; presets emqx, rabbitmq, node_exporter, process; custom `field=metric{labels}`.
 * - **sys** (sysSource.ts, sysTopics.ts): mosquitto's `$SYS/broker/...` topics over ONE extra MQTT connection
 *   made through the Driver seam.
 *
 * A source that fails is reported (kind, ok: false, its first error), never fatal: startObserver and stop
 * never throw. Each read's wall time is kept (`costMs`), so the results say what sampling cost (measured here:
 * a pid read ~0.15 CPU-ms for mosquitto; parsing a RabbitMQ scrape ~2 ms; a $SYS reading is a copy).
 * Per second, each field comes from the first source that has it, in the order pid, prometheus, sys.
 *
 * Files: types.ts (shapes), derive.ts (readings → seconds), window.ts and costs.ts (counters over a window,
 * CPU per 1k messages, memory per connection, cross-check of counts), summary.ts (→ results fields).
 *
 * ```ts
 * const obs = await startObserver({ pid, prometheus: { url, preset: 'rabbitmq' }, sys: { url, driver }, clock, intervalOf });
 * // ... the run ...
 * const observation = await obs.stop();                 // raw readings per source + merged per-second values
 * const { broker, intervals } = brokerResults(observation, facts);   // summary.ts: results.broker, intervals[i].broker
 * ```
 * `intervalOf(epochMs) → t` is the run's clock of seconds (a non-decreasing step function, called from the
 * start): polled sources are read just after each second begins, so a rate covers one second of the run.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../shared/clock.js';
import { redactUrl } from '../scenario/redact.js';
import { mergeIntervals, sourceIntervals } from './derive.js';
import { startOfInterval } from './window.js';
import { pidSource } from './pidSource.js';
import { promSource, type PromSourceOptions } from './promSource.js';
import { sysSource, type SysSourceOptions } from './sysSource.js';
import type { BrokerObservation, Reading, Source, SourceKind, SourceReport } from './types.js';

export interface ObserverOptions {
  /** A broker process on this machine; `tid` counts the CPU of that thread only. */
  pid?: number;
  tid?: number;
  prometheus?: Omit<PromSourceOptions, 'clock'>;
  sys?: Omit<SysSourceOptions, 'clock'>;
  clock: Clock;
  intervalOf: (epochMs: number) => number;
  /** How long startObserver waits for each source's first values (a baseline before the run), default 3,000 ms. */
  readyWithinMs?: number;
  /** How long stop() waits for each source's last values (e.g. the next $SYS batch), default 3,000 ms. */
  finalWithinMs?: number;
  /** More sources, read after the built-in ones (tests, future kinds). */
  sources?: Source[];
  /** procfs mount point for the pid source (tests). */
  procRoot?: string;
}

export interface BrokerObserver {
  stop(): Promise<BrokerObservation>;
}

interface State {
  source: Source | null;
  kind: SourceKind;
  target: string;
  readings: Reading[];
  costs: number[];
  failures: number;
  skipped: number;
  error?: string;
  busy: Promise<void> | null;
}

/** Reads are placed this long after each second starts (timers never fire early, but may fire late). */
const AFTER_START_MS = 5;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Starts every configured source and its 1 Hz sampling; resolves once each gave first values or failed (or readyWithinMs passed). */
export async function startObserver(opts: ObserverOptions): Promise<BrokerObserver> {
  const { clock } = opts;
  const states: State[] = [];
  const failed = (kind: SourceKind, target: string, err: unknown) =>
    states.push({ source: null, kind, target, readings: [], costs: [], failures: 1, skipped: 0, error: message(err), busy: null });
  const add = (source: Source) =>
    states.push({ source, kind: source.kind, target: source.target, readings: [], costs: [], failures: 0, skipped: 0, busy: null });

  if (opts.pid !== undefined) add(pidSource({ pid: opts.pid, tid: opts.tid, clock, procRoot: opts.procRoot }));
  if (opts.prometheus) {
    try {
      add(promSource({ ...opts.prometheus, clock }));
    } catch (err) {
      failed('prometheus', redactUrl(opts.prometheus.url), err);
    }
  }
  let sys: Awaited<ReturnType<typeof sysSource>> | null = null;
  if (opts.sys) {
    try {
      sys = await sysSource({ ...opts.sys, clock });
      add(sys);
    } catch (err) {
      failed('sys', `${redactUrl(opts.sys.url)} $SYS`, err);
    }
  }
  for (const s of opts.sources ?? []) add(s);

  const readOnce = (st: State): Promise<void> => {
    if (!st.source) return Promise.resolve();
    if (st.busy) {
      st.skipped++;
      return st.busy;
    }
    const t0 = clock.now();
    st.busy = st.source
      .read()
      .then(
        (r) => {
          st.costs.push(clock.now() - t0);
          if (r) st.readings.push(r);
        },
        (err) => {
          st.costs.push(clock.now() - t0);
          st.failures++;
          st.error ??= message(err);
        },
      )
      .finally(() => (st.busy = null));
    return st.busy;
  };

  let stopped = false;
  let timer: unknown = null;
  const schedule = () => {
    const now = clock.now();
    const t = opts.intervalOf(now);
    const next = startOfInterval(opts.intervalOf, t + 1, { atMs: now, t }) + AFTER_START_MS;
    timer = clock.setTimeout(run, Number.isFinite(next) ? Math.max(1, next - now) : 1000);
  };
  const run = () => {
    if (stopped) return;
    for (const st of states) void readOnce(st);
    schedule();
  };
  run();

  const waitFor = async (done: (st: State) => boolean, withinMs: number) => {
    const deadline = clock.now() + withinMs;
    for (const st of states) {
      while (st.source && !done(st) && clock.now() < deadline) {
        await (st.busy ?? new Promise<void>((r) => clock.setTimeout(r, 100)));
        if (!st.busy && !done(st)) await readOnce(st);
      }
    }
  };
  await waitFor((st) => st.readings.length > 0 || st.failures > 0, opts.readyWithinMs ?? 3000);

  let stopping: Promise<BrokerObservation> | null = null;
  const stop = async (): Promise<BrokerObservation> => {
    stopped = true;
    if (timer !== null) clock.clearTimeout(timer);
    await Promise.all(states.map((st) => st.busy));
    // The last values must be read after stop() was called ($SYS: a batch the broker published since). Two
    // turns of the loop first, so what already waits in a socket is not mistaken for fresh values.
    // (The event loop's own turns, not the clock's: this is about I/O, not time.)
    for (let i = 0; i < 2; i++) await nextTurn();
    const stopAt = clock.now();
    const failed = new Map(states.map((st) => [st, st.failures]));
    for (const st of states) await readOnce(st);
    await waitFor((st) => st.readings.some((r) => r.atMs >= stopAt) || st.failures > failed.get(st)!, opts.finalWithinMs ?? 3000);
    await Promise.all(states.map((st) => st.source?.close().catch(() => {})));
    return observation(states, opts.intervalOf, sys?.version());
  };
  return { stop: () => (stopping ??= stop()) };
}

function report(st: State): SourceReport {
  const fields = new Set<string>();
  for (const r of st.readings) {
    for (const k of Object.keys(r.gauges)) fields.add(k);
    for (const k of Object.keys(r.counters)) fields.add(k);
    for (const k of Object.keys(r.extra ?? {})) fields.add(k);
    for (const k of Object.keys(r.extraCounters ?? {})) fields.add(k);
  }
  const error =
    st.error ??
    (st.readings.length === 0 ? `gave no values${st.kind === 'sys' ? ' (does the broker publish $SYS topics? mosquitto: sys_interval > 0)' : ''}` : undefined);
  const costs = st.costs.length ? st.costs : [0];
  return {
    kind: st.kind,
    target: st.target,
    ok: error === undefined,
    ...(error !== undefined ? { error } : {}),
    readings: st.readings.length,
    failures: st.failures,
    skipped: st.skipped,
    costMs: { avg: costs.reduce((a, b) => a + b, 0) / costs.length, max: Math.max(...costs) },
    fields: [...fields].sort(),
    notes: st.source ? [...st.source.notes] : [],
  };
}

/** The observation from the sources' states: readings placed in seconds, merged per second. */
function observation(states: State[], intervalOf: (ms: number) => number, brokerVersion?: string): BrokerObservation {
  const readings = states.map((st) => st.readings.map((r) => ({ ...r, t: intervalOf(r.atMs) })));
  const intervals = mergeIntervals(states.map((st) => sourceIntervals(st.readings, intervalOf)));
  return {
    sources: states.map(report),
    readings,
    intervals,
    ...(brokerVersion ? { brokerVersion } : {}),
    notes: [],
    intervalOf,
  };
}
