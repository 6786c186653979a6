import type { Writable } from 'node:stream';
import type { MqttClient } from 'mqtt';
import type { QoS } from '../scenario/model.js';
import type { MqttjsOutput } from './mqttjsOutput.js';
import type { MqttjsSession } from './mqttjsSession.js';
import { MAX_QUEUED_BYTES } from './writeLedger.js';
import { NotSent, SessionEnded, type AckKind, type Connection, type Granted, type PublishDone, type PublishProperties } from './driver.js';

// Refusals on the hot path share one error each: an Error per message (its stack trace) costs microseconds.
const NOT_CONNECTED = new NotSent('not sent: not connected');
const BUFFER_FULL = new NotSent('not sent: the socket send buffer is full');

/**
 * One mqtt.js client as a Connection. QoS 0 publishes go without a callback (see publish); QoS 1/2 ones
 * complete through a wrapper that mqtt.js keeps in `client.outgoing` and the session keeps for a re-send.
 */
export class MqttjsConnection implements Connection {
  sessionPresent = false;
  receiveMaximum?: number;
  /** We ended or destroyed it (or the attempt failed): never report it lost. */
  closing = false;
  /** Which packet completed each QoS 1/2 publish (mqtt.js calls back the same way for PUBACK and PUBCOMP). */
  private readonly acks = new Map<number, AckKind>();

  constructor(
    private readonly client: MqttClient,
    private readonly session: MqttjsSession,
    private readonly out: MqttjsOutput,
  ) {
    client.on('packetreceive', (p: { cmd: string; messageId?: number }) => {
      if ((p.cmd === 'puback' || p.cmd === 'pubcomp') && p.messageId !== undefined) this.acks.set(p.messageId, p.cmd);
    });
  }

  subscribe(filters: { topic: string; qos: QoS }[]): Promise<Granted[]> {
    return new Promise<Granted[]>((resolve, reject) => {
      const map: Record<string, { qos: QoS }> = {};
      for (const f of filters) map[f.topic] = { qos: f.qos };
      this.client.subscribe(map, (err, granted) => {
        if (err) reject(err);
        else resolve(filters.map((f) => granted?.find((g) => g.topic === f.topic)?.qos ?? 128));
      });
    });
  }

  publish(topic: string, payload: Buffer, qos: QoS, retain: boolean, done: PublishDone, props?: PublishProperties): void {
    const client = this.client;
    if (this.closing || !client.connected || client.disconnecting) return done(NOT_CONNECTED);
    if ((client.stream as unknown as Writable).writableLength > MAX_QUEUED_BYTES) return done(BUFFER_FULL);
    const opts = props ? { qos, retain, properties: props } : { qos, retain };
    if (qos === 0) {
      // No callback for QoS 0: with one, mqtt.js adds a 'drain' listener per message whenever the
      // corked socket buffer is over its high-water mark, and removing thousands of listeners is
      // quadratic (it cost 30% of a worker's CPU at 10k msg/s). MqttjsOutput calls done once written.
      client.publish(topic, payload, opts);
      this.out.published(done);
      return;
    }
    let finished = false;
    let held: ReturnType<MqttjsSession['takeLast']> = null;
    const session = this.session;
    const acks = this.acks;
    client.publish(topic, payload, opts, (err, packet) => {
      if (finished) return;
      let e: Error | undefined = err ?? undefined;
      if (e && !(e instanceof NotSent) && !(e instanceof SessionEnded) && typeof (e as { code?: unknown }).code !== 'number') {
        // mqtt.js gave up on the connection ("Connection closed"): the session decides what became of it.
        if (held !== null && session.holds(held)) return;
        e = new NotSent(`not sent: ${e.message}`);
      }
      finished = true;
      const id = (packet as { messageId?: number } | undefined)?.messageId ?? held?.packet.messageId;
      const ack = id === undefined ? undefined : acks.get(id);
      if (id !== undefined) acks.delete(id);
      done(e, e ? undefined : (ack ?? (qos === 2 ? 'pubcomp' : 'puback')));
    });
    held = session.takeLast();
    const pos = this.out.published(null);
    if (held !== null) held.pos = pos;
  }

  unsubscribe(topics: string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => this.client.unsubscribe(topics, (err) => (err ? reject(err) : resolve())));
  }

  inflight(): number {
    return this.session.pending();
  }

  writable(): boolean {
    const c = this.client;
    return !this.closing && c.connected && !c.disconnecting && !(c.stream as unknown as Writable).writableNeedDrain;
  }

  /** DISCONNECT once mqtt.js has no QoS 1/2 waiting, then close; resolves on the close, at most 2 s in (then the socket is destroyed). */
  end(): Promise<void> {
    this.closing = true;
    const client = this.client;
    const stream = client.stream as unknown as Writable;
    if (stream.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let t2: NodeJS.Timeout | undefined;
      const t = setTimeout(() => {
        // mqtt.js's end(true) does nothing while it is disconnecting: destroy the socket itself.
        this.out.destroying();
        stream.destroy();
        t2 = setTimeout(resolve, 1000); // the close event normally comes at once
      }, 2000);
      client.once('close', () => {
        clearTimeout(t);
        if (t2 !== undefined) clearTimeout(t2);
        resolve();
      });
      client.end(false, {});
    });
  }

  destroy(): void {
    this.closing = true;
    this.out.destroying();
    this.client.end(true);
  }
}
