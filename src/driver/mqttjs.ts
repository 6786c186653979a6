import type { IClientOptions, MqttClient } from 'mqtt';
import { openMqttjsClient } from './mqttjsStream.js';
import type { QoS } from '../scenario/types.js';
import { ConnectFailure, type AckKind, type Connection, type ConnectionEvents, type ConnectOptions, type Driver, type Granted, type TlsOptions } from './types.js';

/** The mqtt.js driver: full-featured (MQTT 3.1.1 and 5, QoS 0/1/2, TLS, WebSocket). */
export const mqttjsDriver: Driver = {
  name: 'mqttjs',
  // Interface first (issue 11): the real session (resend after reconnect) follows.
  newSession: () => ({ pending: () => 0, abandon: () => {} }),
  connect(opts, events) {
    return new Promise<Connection>((resolve, reject) => {
      const options: IClientOptions = {
        clientId: opts.clientId,
        protocolVersion: opts.protocolVersion,
        clean: opts.clean,
        keepalive: opts.keepaliveSec,
        connectTimeout: opts.timeoutMs,
        reconnectPeriod: 0,
        resubscribe: false,
        queueQoSZero: false,
        username: opts.username,
        password: opts.password,
      };
      if (opts.protocolVersion === 5 && opts.sessionExpirySec !== undefined) options.properties = { sessionExpiryInterval: opts.sessionExpirySec };
      if (opts.protocolVersion === 5 && opts.topicAliases) options.autoAssignTopicAlias = true;
      if (opts.tls && /^(mqtts|wss):/i.test(opts.url)) addTls(options, opts.tls);
      let client: MqttClient;
      try {
        client = openMqttjsClient(opts, options);
      } catch (err) {
        return reject(new ConnectFailure((err as Error).message));
      }
      noDelay(client);
      let settled = false;
      let closing = false;
      let lastError = '';
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        closing = true; // a failed attempt is not a lost connection
        clearTimeout(timer);
        client.end(true);
        reject(new ConnectFailure(reason));
      };
      const timer = setTimeout(() => fail(`timeout: no CONNACK within ${opts.timeoutMs} ms`), opts.timeoutMs);
      client.on('error', (err: Error & { code?: string | number }) => {
        if (!settled) fail(describeError(err));
        else lastError = typeof err.code === 'string' ? err.code : err.message;
      });
      client.on('close', () => {
        if (!settled) fail('connection closed before CONNACK');
        else if (!closing) {
          closing = true;
          events.onLost(lastError || 'closed by the broker or network');
        }
      });
      client.on('message', (topic: string, payload: Buffer, packet: { qos?: QoS; retain?: boolean; properties?: { responseTopic?: string; correlationData?: Buffer } }) => {
        const p = packet.properties;
        events.onMessage(topic, payload, packet.qos ?? 0, packet.retain === true, p?.responseTopic ? { responseTopic: p.responseTopic, correlationData: p.correlationData } : undefined);
      });
      client.once('connect', (connack: { sessionPresent?: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(wrap(client, () => (closing = true), connack?.sessionPresent === true));
      });
    });
  },
};

/**
 * CA, client certificate and key, the certificate check and SNI name. mqtts:// hands these to tls.connect;
 * for wss:// mqtt.js copies ca/cert/key/rejectUnauthorized into the `ws` options but not servername, so that
 * one goes into wsOptions directly. Unset fields are left out (Node's defaults, e.g. its built-in CA list).
 */
function addTls(options: IClientOptions, tls: TlsOptions): void {
  options.rejectUnauthorized = tls.rejectUnauthorized;
  if (tls.ca !== undefined) options.ca = tls.ca;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  if (tls.servername !== undefined) {
    options.servername = tls.servername;
    // `ws` passes it on to tls.connect; its option types just do not list it.
    options.wsOptions = { servername: tls.servername } as IClientOptions['wsOptions'];
  }
}

/**
 * TCP_NODELAY (DESIGN.md §3). mqtt:// and mqtts:// give a net.Socket / tls.TLSSocket here (a TLSSocket passes
 * it on to its TCP socket). For ws:// and wss:// the stream is a Duplex around a `ws` WebSocket whose socket
 * is not reachable from here, but `ws` sets no-delay on its socket itself when the upgrade completes.
 */
function noDelay(client: MqttClient): void {
  const stream = client.stream as unknown as { setNoDelay?: (on: boolean) => void };
  stream?.setNoDelay?.(true);
}

/**
 * The reason of a failed attempt, short and countable: Node's error code (ECONNREFUSED, and for TLS e.g.
 * SELF_SIGNED_CERT_IN_CHAIN, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID), a CONNACK
 * refusal, or the message when there is neither.
 */
function describeError(err: Error & { code?: string | number }): string {
  if (typeof err.code === 'string') return err.code;
  if (typeof err.code !== 'number') return err.message;
  // CONNACK refusals: mqtt.js puts the return/reason code in `code` and the words in the message.
  const words = err.message.replace(/^Connection refused:\s*/i, '');
  return `CONNACK refused: ${words}`;
}

function wrap(client: MqttClient, markClosing: () => void, sessionPresent: boolean): Connection {
  let inflight = 0;
  // Which packet completed each QoS 1/2 publish (mqtt.js calls back the same way for PUBACK and PUBCOMP).
  const acks = new Map<number, AckKind>();
  client.on('packetreceive', (p: { cmd: string; messageId?: number }) => {
    if ((p.cmd === 'puback' || p.cmd === 'pubcomp') && p.messageId !== undefined) acks.set(p.messageId, p.cmd);
  });
  return {
    sessionPresent,
    subscribe(filters) {
      return new Promise<Granted[]>((resolve, reject) => {
        const map: Record<string, { qos: QoS }> = {};
        for (const f of filters) map[f.topic] = { qos: f.qos };
        client.subscribe(map, (err, granted) => {
            if (err) reject(err);
          else resolve(filters.map((f) => (granted?.find((g) => g.topic === f.topic)?.qos ?? 128) as Granted));
        });
      });
    },
    publish(topic, payload, qos: QoS, retain, done, props) {
      const opts = props ? { qos, retain, properties: props } : { qos, retain };
      if (qos === 0) {
        // No callback for QoS 0: with one, mqtt.js adds a 'drain' listener per message whenever the
        // corked socket buffer is over its high-water mark, and removing thousands of listeners is
        // quadratic (it cost 30% of a worker's CPU at 10k msg/s). Write errors close the client.
        client.publish(topic, payload, opts);
        return done();
      }
      inflight++;
      client.publish(topic, payload, opts, (err, packet) => {
        inflight--;
        const id = (packet as { messageId?: number } | undefined)?.messageId;
        const ack = id === undefined ? undefined : acks.get(id);
        if (id !== undefined) acks.delete(id);
        done(err ?? undefined, err ? undefined : ack ?? (qos === 2 ? 'pubcomp' : 'puback'));
      });
    },
    unsubscribe(topics) {
      return new Promise<void>((resolve, reject) => client.unsubscribe(topics, (err) => (err ? reject(err) : resolve())));
    },
    inflight: () => inflight,
    writable: () => true,
    end() {
      markClosing();
      return new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          client.end(true);
          resolve();
        }, 2000);
        client.end(false, {}, () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
    destroy() {
      markClosing();
      client.end(true);
    },
  };
}
