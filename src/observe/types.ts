/**
 * Shapes of broker observation: what a source reads (Reading), the per-second values a run keeps
 * (IntervalBroker), and the results fields of DESIGN.md §6 "Additions" (BrokerResults). All additive
 * and optional: a field is absent when no configured source could give it.
 */

/** Instant values a source can read. */
export interface Gauges {
  /** Resident memory of the broker process. */
  rssBytes: number;
  threads: number;
  /** Open file descriptors of the broker process (sockets included). */
  fds: number;
  /** Client connections the broker reports open. */
  connections: number;
  /** CPU of the broker's busiest thread over the last sampling period (pid source only). */
  maxThreadCpuCores: number;
  /**
   * The busiest thread's CPU demand over the last sampling period: running + runnable but waiting for a CPU
   * (schedstat), in cores. At ~1 the thread always had work: CPU-bound, even when a contended host gave it less.
   */
  maxThreadDemandCores: number;
  /** mosquitto's own allocation counters ($SYS heap). */
  heapBytes: number;
  heapMaxBytes: number;
  /** CPUs of the broker's host (to express the broker's CPU as a share of it). */
  hostCpus: number;
  /** Busy share of the whole host, when the source only gives that (EMQX's emqx_vm_cpu_use). */
  hostCpuPercent: number;
  hostMemUsedBytes: number;
  hostMemTotalBytes: number;
}
export type GaugeName = keyof Gauges;

/** Cumulative values (they only grow; a drop means the broker restarted). Rates are taken between readings. */
export interface CounterValues {
  /** CPU seconds of the broker process (user + system unless a source's notes say otherwise). */
  cpuSeconds: number;
  /** Application messages (PUBLISH) the broker received from clients, and sent to them. */
  messagesReceived: number;
  messagesSent: number;
  bytesReceived: number;
  bytesSent: number;
  /** All MQTT packets (mosquitto's $SYS/broker/messages/received|sent count every packet type). */
  packetsReceived: number;
  packetsSent: number;
  /** Storage I/O of the broker process (/proc/<pid>/io read_bytes, write_bytes). */
  diskReadBytes: number;
  diskWriteBytes: number;
  /** Busy CPU seconds of the whole host (node_exporter: every mode but idle, iowait and steal). */
  hostCpuBusySeconds: number;
  /** $SYS messages the observer's own connection received: the broker counts them as sent. */
  observerDeliveries: number;
}
export type CounterName = keyof CounterValues;

/** What one source read at one moment. `extra` holds gauges by free name (custom metrics, $SYS load averages). */
export interface Reading {
  atMs: number;
  gauges: Partial<Gauges>;
  counters: Partial<CounterValues>;
  extra?: Record<string, number>;
  /** Cumulative custom metrics by free name: reported as `<name>PerSec`. */
  extraCounters?: Record<string, number>;
}

export type SourceKind = 'pid' | 'prometheus' | 'sys';

/** A running source: polled about once a second by the observer, on the coordinator's thread. */
export interface Source {
  readonly kind: SourceKind;
  /** Where it reads from, safe to print (no credentials): "pid 1234", "http://127.0.0.1:9100/metrics (node_exporter)". */
  readonly target: string;
  /** Caveats the reader of the results must know (e.g. "CPU is user time only"). */
  readonly notes: string[];
  /** The current values, or null when nothing new arrived since the last read. Rejects on failure. */
  read(): Promise<Reading | null>;
  close(): Promise<void>;
}

/** One second of the run as the broker saw it: `intervals[i].broker`. Rates are per second. */
export interface IntervalBroker {
  cpuCores?: number;
  maxThreadCpuCores?: number;
  maxThreadDemandCores?: number;
  /** cpuCores as a share of the host's CPUs (100 = every CPU of the host busy with the broker). */
  cpuPercentOfHost?: number;
  rssBytes?: number;
  threads?: number;
  fds?: number;
  connections?: number;
  heapBytes?: number;
  receivedPerSec?: number;
  sentPerSec?: number;
  bytesReceivedPerSec?: number;
  bytesSentPerSec?: number;
  diskReadBytesPerSec?: number;
  diskWriteBytesPerSec?: number;
  hostCpuPercent?: number;
  hostMemUsedBytes?: number;
  extra?: Record<string, number>;
}
export type IntervalField = Exclude<keyof IntervalBroker, 'extra'>;

export interface AvgMax {
  avg: number;
  max: number;
}

export interface SourceReport {
  kind: SourceKind;
  target: string;
  /** True when every read succeeded and at least one gave values. */
  ok: boolean;
  /** The first failure (or why the source gave nothing), in words a user can act on. */
  error?: string;
  readings: number;
  failures: number;
  /** Ticks skipped because the previous read of this source was still running. */
  skipped: number;
  /** What sampling cost: wall time of one read (I/O waits included), in ms. */
  costMs: AvgMax;
  /** The Reading fields this source supplied. */
  fields: string[];
  notes: string[];
}

/**
 * CPU spent by the broker per 1,000 messages. With the broker's counters: over the span between its readings
 * just outside the measured window (exact counts, the CPU of that same span); else over mqbench's counted window.
 */
export interface CpuPerMessages {
  /** All of the broker's CPU in the span per 1,000 messages it received (in), or sent (out); null without messages. */
  in: number | null;
  out: number | null;
  cpuMs: number;
  messagesIn: number;
  messagesOut: number;
  /** Whose message counts: the broker's own counters, or mqbench's (when no source gives the broker's). */
  basis: 'broker' | 'mqbench';
  /** The span the CPU figure covers, in seconds (shorter than asked when the CPU readings do not cover all of it). */
  seconds: number;
}

/** Memory per connection: least-squares slope of RSS against open connections over the connect phase. */
export interface MemoryPerConnection {
  bytesPerConnection: number;
  interceptBytes: number;
  /** Seconds (points) the fit used, and how well a line explains them (1 = perfectly). */
  points: number;
  r2: number;
  fromConnections: number;
  toConnections: number;
}

/** The broker's own message counters against mqbench's, over one window; differences shown, never hidden. */
export interface CountCrossCheck {
  receivedDelta: number;
  sentDelta: number;
  mqbenchSent: number;
  mqbenchReceived: number;
  /** broker − mqbench: received = receivedDelta − mqbenchSent; sent = sentDelta − mqbenchReceived. */
  difference: { received: number; sent: number };
  /** The interval seconds whose readings bound the deltas, and the source of the counters. */
  fromT: number;
  toT: number;
  source: SourceKind;
  /** $SYS deliveries to the observer itself, already taken out of sentDelta. */
  observerDeliveries?: number;
}

/** `broker` in the results (DESIGN.md §6 additions). */
export interface BrokerResults {
  sources: SourceReport[];
  /** Averages and maxima over the measured window, per field of IntervalBroker. */
  resources: Partial<Record<IntervalField, AvgMax>> & {
    /** Storage I/O over the measured window (bytes). */
    diskReadBytes?: number;
    diskWriteBytes?: number;
    extra?: Record<string, AvgMax>;
    /** The interval seconds the summary covers and how many of them had readings. */
    window: { fromT: number; toT: number; seconds: number };
  };
  costs: {
    cpuMsPer1kMessages: CpuPerMessages | null;
    bytesPerConnection: MemoryPerConnection | null;
  };
  counters: CountCrossCheck | null;
  /** Why a figure is missing or must be read with care. */
  notes: string[];
}

/** A reading placed in the run's seconds. */
export type TimedReading = Reading & { t: number };

/** What the observer hands back at stop(): the raw material of BrokerResults (see summary.ts). */
export interface BrokerObservation {
  sources: SourceReport[];
  /** Each source's readings in order, same order as `sources`. */
  readings: TimedReading[][];
  /** Per second, merged over the sources: what goes into `intervals[i].broker`. */
  intervals: ({ t: number } & IntervalBroker)[];
  /** From $SYS/broker/version when the $SYS source read it. */
  brokerVersion?: string;
  notes: string[];
  /** The run's epoch ms → interval t, as given to the observer (summary.ts finds window boundaries with it). */
  intervalOf: (epochMs: number) => number;
}
