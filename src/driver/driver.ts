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
  /** Last will: published by the broker when this connection ends without DISCONNECT. */
  will?: { topic: string; payload: Buffer; qos: QoS; retain: boolean };
  username?: string;
  password?: string;
  /** MQTT 5: let the client assign topic aliases (repeated topics are sent as a 2-byte alias). */
  topicAliases?: boolean;
  /** TLS for mqtts:// and wss:// (ignored by other schemes). */
  tls?: TlsOptions;
  /** Local IP address to bind the socket to (mqtt:// and mqtts:// only; the loader refuses it with ws/wss). */
  localAddress?: string;
  /**
   * The client side of the session (from `driver.newSession()`, one per client id, passed on every connect).
   * When set, unacknowledged QoS 1/2 publishes survive a lost connection: on the next connect with CONNACK
   * session-present = 1 the driver re-sends them first, in order, with DUP = 1 and the same packet ids (QoS 2
   * past PUBREC: PUBREL) (MQTT 3.1.1 §4.4, MQTT 5 §4.4), and they complete through their original `done`;
   * with session-present = 0 (or a clean session) each gets done(new SessionEnded(...)). Without it, a lost
   * connection fails its pending publishes with SessionEnded at once.
   */
  session?: OutboundSession;
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

/** MQTT 5 PUBLISH properties (both drivers send them; MQTT 3.1.1 has none). */
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
  /**
   * True when onMessage never keeps `payload` (nor `meta.correlationData`) after it returns: a driver may then
   * hand it a view of a read buffer that the next read overwrites (the lean driver on plain TCP). Default false.
   */
  readonly borrowsPayload?: boolean;
  /**
   * The connection closed without `end()`/`destroy()` being called by us. `reason` names the cause: MQTT 5
   * "broker sent DISCONNECT: <reason name>", "closed by the broker right after a PUBLISH" (the socket closed
   * within a few ms of our last PUBLISH write), "keepalive timeout", or the socket error code.
   */
  onLost(reason: string): void;
  /** The socket drained after writable() was false: waiting publishes may go. */
  onDrain?(): void;
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
  /** MQTT 5 CONNACK Receive Maximum, when the broker sent one. */
  readonly receiveMaximum?: number;
  /**
   * False while the socket's send buffer is over its high-water mark: new publishes (any QoS) should wait
   * for onDrain. (A caller that ignores it is refused with NotSent once 8 MiB wait unwritten.)
   */
  writable(): boolean;
  subscribe(filters: { topic: string; qos: QoS }[]): Promise<Granted[]>;
  /** Optional: drivers without it cannot run scenarios that unsubscribe. */
  unsubscribe?(topics: string[]): Promise<void>;
  /**
   * Hand a message to the client. `done` runs exactly once:
   * - QoS 0: done() once the bytes were handed to the kernel (the socket's write callback), or
   *   done(new NotSent(...)) if the connection closed before they were written;
   * - QoS 1/2: done(undefined, 'puback' | 'pubcomp') on completion; done(err) for a reason code >= 0x80;
   *   done(new NotSent(...)) if never written; done(new SessionEnded(...)) when no session can resend it
   *   any more (see ConnectOptions.session).
   * QoS 0 `done`s of one connection run in publish order (the worker matches them to its messages by
   * order: worker/qos0Queue.ts), except a refusal inside publish() itself, which runs before it returns.
   */
  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone, props?: PublishProperties): void;
  /**
   * True when publish() has copied the payload (into its output) by the time it returns: the caller may
   * then reuse the payload's Buffer for the next message. Unset: the payload must never change afterwards.
   */
  readonly copiesPayload?: boolean;
  /** QoS 1/2 publishes waiting for their ack. */
  inflight(): number;
  /**
   * Graceful: DISCONNECT, then close. Waits (bounded) for the output to be flushed before it resolves;
   * QoS 0 messages still unwritten when the socket is destroyed get NotSent.
   */
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

/** A publish that was never handed to the kernel (the connection closed, or the socket refused it first): "unsent". */
export class NotSent extends Error {
  readonly kind = 'notSent' as const;
  constructor(message = 'not sent: the connection closed before the message was written') {
    super(message);
    this.name = 'NotSent';
  }
}

/**
 * A QoS 1/2 publish that was written but never acknowledged, and no session can resend it any more
 * (clean session, CONNACK session-present = 0 after a reconnect, or the run ended): "unconfirmed"
 * (unless some subscriber received it: then the broker had accepted it).
 */
export class SessionEnded extends Error {
  readonly kind = 'sessionEnded' as const;
  constructor(message = 'session ended before the ack') {
    super(message);
    this.name = 'SessionEnded';
  }
}

/**
 * The client side of an MQTT session that outlives one connection: the QoS 1/2 publishes sent and not
 * yet completed (with their packet ids and, for QoS 2, whether PUBREC came). A device creates one with
 * `driver.newSession()` and passes it in ConnectOptions.session on every connect.
 */
export interface OutboundSession {
  /** QoS 1/2 publishes waiting for completion (in flight on the connection, or held while disconnected). */
  pending(): number;
  /**
   * Fails every held publish with `err` (calls its done) and empties the session (run end, session gone);
   * a held publish that never reached the kernel gets NotSent instead.
   */
  abandon(err: Error): void;
}

export interface Driver {
  readonly name: string;
  /** Resolves once CONNACK accepted the session; rejects with ConnectFailure. */
  connect(opts: ConnectOptions, events: ConnectionEvents): Promise<Connection>;
  /** A new, empty outbound session for one client id. */
  newSession(): OutboundSession;
}
