import type { ProtocolLevel, QoS } from '../scenario/model.js';

/**
 * The seam between devices and an MQTT client implementation. Small on purpose: a lean
 * driver on mqtt-packet will implement the same interface.
 */
export interface ConnectOptions {
  url: string;
  clientId: string;
  protocolVersion: ProtocolLevel;
  clean: boolean;
  keepaliveSec: number;
  timeoutMs: number;
  /** MQTT 5: how long the broker keeps the session after the connection ends (sent when set). */
  sessionExpirySec?: number;
  username?: string;
  password?: string;
  /** MQTT 5: let the client assign topic aliases (repeated topics are sent as a 2-byte alias). */
  topicAliases?: boolean;
  /** TLS for mqtts:// and wss:// (ignored by other schemes). */
  tls?: TlsOptions;
  /** Local IP address to bind the socket to (mqtt:// and mqtts:// only; the loader refuses it with ws/wss). */
  localAddress?: string;
}

/** PEM texts and checks for a TLS connection; unset fields take Node's defaults (its built-in CA list). */
export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  /** false only when the scenario says `insecure: true`. */
  rejectUnauthorized: boolean;
  servername?: string;
}

/** MQTT 5 request/response properties of a received PUBLISH. */
export interface MessageMeta {
  responseTopic?: string;
  correlationData?: Buffer;
}

/** MQTT 5 PUBLISH properties (drivers without them refuse scenarios that set them: see registry). */
export interface PublishProperties {
  messageExpiryInterval?: number;
  contentType?: string;
  userProperties?: Record<string, string>;
  responseTopic?: string;
  correlationData?: Buffer;
}

export interface ConnectionEvents {
  /**
   * A PUBLISH arrived: `qos` is the QoS it actually arrived with (what the broker granted, not what
   * was asked for); `retained` is the broker's retain flag, set on deliveries of stored retained messages.
   */
  onMessage(topic: string, payload: Buffer, qos: QoS, retained: boolean, meta?: MessageMeta): void;
  /** The connection closed without `end()`/`destroy()` being called by us. */
  onLost(reason: string): void;
}

/** The granted QoS per filter, or 128 (0x80) for a refused subscription. */
export type Granted = QoS | 128;

/**
 * How a QoS 1/2 publish was completed: a PUBACK (the QoS 1 flow) or a PUBCOMP (the QoS 2 flow).
 * A QoS 2 publish completed by a PUBACK means the broker ran it as QoS 1 (e.g. RabbitMQ).
 */
export type AckKind = 'puback' | 'pubcomp';

/** `done` of a publish: an error when it could not be sent or was refused, else how it was acknowledged (QoS 1/2). */
export type PublishDone = (err?: Error, ack?: AckKind) => void;

export interface Connection {
  /** CONNACK's session-present flag: the broker resumed a session it kept for this client id. */
  readonly sessionPresent: boolean;
  subscribe(filters: { topic: string; qos: QoS }[]): Promise<Granted[]>;
  /** Optional: drivers without it cannot run scenarios that unsubscribe. */
  unsubscribe?(topics: string[]): Promise<void>;
  /**
   * Hand a message to the client. `done` runs on PUBACK (QoS 1), PUBCOMP (QoS 2), or when the
   * packet has been written (QoS 0); with an error when it could not be sent.
   */
  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone, props?: PublishProperties): void;
  /** QoS 1/2 publishes waiting for their ack. */
  inflight(): number;
  /** Graceful: DISCONNECT, then close. */
  end(): Promise<void>;
  /** Abrupt: destroy the socket, no DISCONNECT. */
  destroy(): void;
}

/** Why a connection attempt failed, in words a user can act on (e.g. "ECONNREFUSED", "CONNACK: Not authorized"). */
export class ConnectFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ConnectFailure';
  }
}

export interface Driver {
  readonly name: string;
  /** Resolves once CONNACK accepted the session; rejects with ConnectFailure. */
  connect(opts: ConnectOptions, events: ConnectionEvents): Promise<Connection>;
}
