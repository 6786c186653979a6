/**
 * The validated, resolved scenario: what the loader produces and the planner consumes.
 * Every unit is normalised (durations in ms, rates per second, sizes in bytes) and every
 * template is kept as its source text (already checked by the loader; compile with mqtt/template.ts).
 * It is plain data (structured-clone safe) so it can cross into worker threads.
 */
import type { ProtocolLevel, QoS } from '../mqtt/protocol.js';
import { assertNever } from '../shared/assertNever.js';
import type { Threshold } from '../thresholds/parse.js';

export type { ProtocolLevel, QoS } from '../mqtt/protocol.js';

export interface TargetSpec {
  /** mqtt://, mqtts://, ws://, wss:// URL, or the literal "embedded". */
  url: string;
  /**
   * Several brokers (target.urls, e.g. a cluster's nodes): client g (global index) connects to urls[g % n].
   * `url` is then urls[0] (what messages and results name). Absent with a single URL.
   */
  urls?: string[];
  /** Local addresses to bind client sockets to: client g binds sourceAddresses[g % n] (past ~28k ports per pair). */
  sourceAddresses?: string[];
  mqttVersion: ProtocolLevel;
  username?: string;
  password?: string;
  /** TLS settings for mqtts:// and wss:// (the loader refuses them on other URLs). */
  tls?: TlsSpec;
  /** Where to watch the broker during the run (src/observe); command-line flags add to it. */
  observe?: ObserveSpec;
}

/** target.observe: the broker's resources, from a local process, a Prometheus endpoint and/or its $SYS topics. */
export interface ObserveSpec {
  /** A broker process on this machine, read from procfs. */
  pid?: number;
  /** A Prometheus endpoint: a preset's metric names (emqx, rabbitmq, node_exporter, process) and/or custom ones. */
  prometheus?: { url: string; preset?: string; metrics?: string[] };
  /** Read the broker's $SYS topics over one extra connection (mosquitto). */
  sys?: boolean;
}

/**
 * TLS for mqtts:// and wss://. The loader checks the files named in the scenario (relative to its directory);
 * loadTlsMaterial (tlsMaterial.ts) then reads their PEM texts into ca / cert / key, so worker threads get
 * everything in the plan and read no files themselves. Until then only `files` is set.
 * `key` is a secret: redactScenario always replaces it, and ca/cert by their file name and fingerprint.
 */
export interface TlsSpec {
  /** PEM text of the CA certificate(s) to trust instead of Node's built-in list. */
  ca?: string;
  /** PEM text of the client certificate (set together with `key`). */
  cert?: string;
  /** PEM text of the client certificate's private key (unencrypted). */
  key?: string;
  /** true: certificate checks are off (rejectUnauthorized: false). */
  insecure: boolean;
  /** Name sent in SNI and checked against the server certificate, when it differs from the URL's host. */
  servername?: string;
  /** The file paths as written in the scenario (for messages and results). */
  files: { ca?: string; cert?: string; key?: string };
}

export interface ConnectSpec {
  /** New connections per second for the whole group (split over workers by the plan). */
  rate: number;
  clean: boolean;
  keepaliveSec: number;
  /**
   * MQTT 5 session expiry in seconds: how long the broker keeps a session (subscriptions, queued
   * messages) after its connection ends. Default for clean: false on MQTT 5: 1 hour (without it an
   * MQTT 5 session ends with its connection). Ignored for MQTT 3.1.1.
   */
  sessionExpirySec?: number;
  /** Give up on a connection attempt (TCP + CONNACK) after this long. */
  timeoutMs: number;
  /**
   * Last will: the broker publishes it when the client's connection ends without DISCONNECT (an abrupt
   * disconnect event, a lost connection), never after a graceful one. Counted as its own stream (wills).
   */
  will?: WillSpec;
  /**
   * Churn: each client disconnects (gracefully) `durationMs` + a random 0..`jitterMs` after it connected, and
   * connects again after `pauseMs`, for as long as the run lasts. Each reconnect's connect time and whether a
   * persistent session was recovered are measured.
   */
  lifetime?: { durationMs: number; jitterMs: number; pauseMs: number };
  /**
   * Per-client credentials from a CSV file (relative to the scenario): client i of the group uses row
   * i mod rows. `rows` is filled by readCredentials (credentials.ts) once the scenario is valid; secrets:
   * results record only the file name and the row count.
   */
  credentials?: { file: string; rows: CredentialRow[] };
}

/** One client's identity from a credentials file: cert and key are PEM texts (read from the paths in the file). */
export interface CredentialRow {
  username?: string;
  password?: string;
  cert?: string;
  key?: string;
}

export interface WillSpec {
  /** Template source ({i}, {group}, {clientId}, {run}), e.g. "status/{clientId}". */
  topic: string;
  /** UTF-8 text. */
  payload: string;
  qos: QoS;
  retain: boolean;
}

export interface SubscribeSpec {
  /** Template source, e.g. "cmd/{i}" or "$share/ingest/telemetry/#". */
  topic: string;
  qos: QoS;
  /** Subscribe this long after publishing starts (a late subscriber) instead of right after connecting. */
  atMs?: number;
  /** Unsubscribe this long after publishing starts. */
  untilMs?: number;
}

export interface PayloadSpec {
  /** Total payload bytes, header included (must be >= COMPACT_HEADER_BYTES; below PAYLOAD_HEADER_BYTES the compact header); the lower end of a range. */
  size: number;
  /** With a range ("64..512"), the upper end: each message gets a size in [size, maxSize]. */
  maxSize?: number;
  /**
   * A JSON template (see mqtt/payloadTemplate.ts) instead of binary filler: the payload is the
   * filled-in JSON object with mqbench's header added as a field "_mqb" (base64). `size` is ignored.
   * With header: false the object is sent as it is rendered.
   */
  json?: string;
  /**
   * false: messages carry no mqbench header (sizes below 16 B allowed): end-to-end latency and the delivery
   * ledger are off for this group (publish→ack latency and the counts stay), and every output says so.
   */
  header?: false;
  /** With header: false, the user's own bytes (else zero filler of `size`, or the JSON template). */
  body?: PayloadBody;
}

/** Header-less payload bytes as the scenario gave them, cycled by message sequence number. */
export interface PayloadBody {
  /** Where the bytes came from, as written. */
  source: 'text' | 'base64' | 'hex' | 'file' | 'files';
  /** The payload files as written (source file or files), relative to the scenario's directory. */
  files?: string[];
  /** Each body, base64; files are read into it by readPayloadFiles (payloadFiles.ts) after validation. */
  data: string[];
}

/** `rate: 100/s` (messages per second for the whole group) or `every: 5s` (one message per client per period). */
/**
 * `max`: a closed loop — each client publishes its next message as soon as its in-flight window has room
 * (QoS 1/2 only), with no schedule, so latency is not corrected for coordinated omission.
 */
export type PublishRate = { kind: 'rate'; perSec: number } | { kind: 'every'; everyMs: number } | { kind: 'max' };

export interface PublishSpec {
  /** Template source, e.g. "cmd/{target}" or "telemetry/{i}". */
  topic: string;
  qos: QoS;
  retain: boolean;
  /** How often the group publishes, as written: a rate for the whole group, or every so often per client. */
  rate: PublishRate;
  payload: PayloadSpec;
  /**
   * A weighted QoS mix, [share of QoS 0, QoS 1, QoS 2] summing to 1 (then `qos` is the highest
   * used). Each message's QoS follows from its slot, so the shares hold exactly over a run.
   */
  qosMix?: [number, number, number];
  /** MQTT 5 PUBLISH properties sent with every message (message expiry in seconds). */
  properties?: { messageExpirySec?: number; contentType?: string; userProperties?: Record<string, string> };
  /**
   * MQTT 5 request/response: each message carries this response topic and its own header as
   * correlation data; responders answer there and the request → response time is measured.
   */
  responseTopic?: string;
  /** MQTT 5: send repeated topics as topic aliases. */
  topicAlias?: boolean;
  /** Group whose client indices `{target}` cycles through (round-robin), when the topic uses `{target}`. */
  targets?: string;
  /**
   * QoS 1/2 publishes one client keeps unacknowledged before further slots wait (late, or unsent at the
   * end). Unset: the broker's MQTT 5 Receive Maximum, else 20. Never more than the Receive Maximum.
   */
  inflight?: number;
}

export interface GroupSpec {
  name: string;
  count: number;
  /** Template source; default "mqb-{run}-{group}-{i}". */
  clientId: string;
  connect: ConnectSpec;
  subscribe: SubscribeSpec[];
  publish?: PublishSpec;
  /** MQTT 5: answer every received request (a message with a response topic) on its response topic. */
  respond?: boolean;
  /**
   * Subscribers of this group also time messages that carry the mqbench header of another run (another mqbench
   * process, e.g. `mqbench pub` in another terminal): end-to-end latency is recorded and they are counted as
   * `otherRuns`, never in the delivery ledger (this run expected nothing of them: no loss, no duplicates).
   */
  fromOtherRuns?: boolean;
}

/**
 * Something that happens at a set time after publishing starts (`atMs`), to a group.
 * disconnect: a share of the group's clients drop (abrupt: socket destroyed, no DISCONNECT) and
 * come back after `reconnectAfterMs` plus a random 0..`jitterMs` (persistent sessions keep their
 * subscriptions and queued messages; clean ones miss what was sent while they were away).
 * pause / resume: the group stops / restarts publishing (its slots in between are skipped).
 */
export type EventSpec =
  | { kind: 'disconnect'; atMs: number; group: string; fraction: number; abrupt: boolean; reconnectAfterMs: number; jitterMs: number }
  | { kind: 'pause'; atMs: number; group: string }
  | { kind: 'resume'; atMs: number; group: string };

export type EventKind = EventSpec['kind'];

export interface Scenario {
  name: string;
  description?: string;
  target: TargetSpec;
  /** Measured but excluded from the summary. */
  warmupMs: number;
  /** Steady-state publishing time after all groups have connected. */
  durationMs: number;
  /** After publishing stops, how long to wait for in-flight messages before counting them lost. */
  drainMs: number;
  /** Worker threads; undefined = automatic. */
  workers?: number;
  groups: GroupSpec[];
  /**
   * Publish-rate stages (ramp up, hold, ramp down): each moves the rate linearly from the previous
   * level (0 at the start) to `level` × each group's rate. When set, warm-up + duration = the stages.
   */
  stages?: { durationMs: number; level: number }[];
  /** Timed events, in the order written (times are relative to the start of publishing). */
  events: EventSpec[];
  /** Pass/fail thresholds, e.g. "endToEnd.p99 < 50ms", parsed by the loader (see thresholds/parse.ts). */
  thresholds: Threshold[];
}

/** Whether the group publishes in a closed loop (rate: max). */
export const isClosedLoop = (g: Pick<GroupSpec, 'publish'>): boolean => g.publish?.rate.kind === 'max';

/** Messages per second the whole group publishes on its schedule (0 when it does not publish, or in a closed loop). */
export function groupPublishRate(g: Pick<GroupSpec, 'count' | 'publish'>): number {
  const rate = g.publish?.rate;
  if (rate === undefined) return 0;
  switch (rate.kind) {
    case 'rate':
      return rate.perSec;
    case 'every':
      return g.count / (rate.everyMs / 1000);
    case 'max':
      return 0; // no schedule: what a closed loop sends is measured, not planned

    default:
      return assertNever(rate);
  }
}
