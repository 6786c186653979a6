import type { IClientOptions, MqttClient } from 'mqtt';
import type { QoS } from '../scenario/model.js';
import { reasonWords } from './leanCodes.js';
import { MqttjsConnection } from './mqttjsConnection.js';
import { MqttjsOutput } from './mqttjsOutput.js';
import { MqttjsSession } from './mqttjsSession.js';
import { connectFields } from './connectFields.js';
import { openMqttjsClient } from './mqttjsStream.js';
import { closeWords } from './writeLedger.js';
import { ConnectFailure, type Connection, type Driver, type TlsOptions } from './driver.js';

/**
 * The mqtt.js driver: full-featured (MQTT 3.1.1 and 5, QoS 0/1/2, TLS, WebSocket). One MqttClient per
 * connection (no reconnects of its own); the device's MqttjsSession is its store across clients, so on a
 * reconnect that resumes the session mqtt.js re-sends the held QoS 1/2 publishes — one at a time, each
 * waiting for its ack — and only then emits 'connect': connect() resolves after those completed.
 * MqttjsOutput tells when QoS 0 bytes reached the kernel.
 */
export const mqttjsDriver: Driver = {
  name: 'mqttjs',
  newSession: () => new MqttjsSession(),
  connect(opts, events) {
    return new Promise<Connection>((resolve, reject) => {
      if (opts.session !== undefined && !(opts.session instanceof MqttjsSession)) return reject(new ConnectFailure('the session was made by another driver'));
      const session = opts.session ?? new MqttjsSession();
      // MQTT 3.1.1 keeps a clean-session-0 session; MQTT 5 one with Clean Start 0 and a session expiry.
      const resumable = opts.session !== undefined && !opts.clean && (opts.protocolVersion !== 5 || (opts.sessionExpirySec ?? 0) > 0);
      const options: IClientOptions = {
        ...connectFields(opts),
        connectTimeout: opts.timeoutMs,
        reconnectPeriod: 0,
        resubscribe: false,
        queueQoSZero: false,
        // The session is mqtt.js's store of unacknowledged QoS 1/2 packets and its packet-id source.
        outgoingStore: session,
        messageIdProvider: session,
      };
      if (opts.protocolVersion === 5 && opts.topicAliases) options.autoAssignTopicAlias = true;
      if (opts.tls && /^(mqtts|wss):/i.test(opts.url)) addTls(options, opts.tls);
      let client: MqttClient;
      try {
        client = openMqttjsClient(opts, options);
      } catch (err) {
        return reject(new ConnectFailure((err as Error).message));
      }
      noDelay(client);
      const out = new MqttjsOutput(client.stream);
      session.attach(client, out.ledger, resumable);
      const conn = new MqttjsConnection(client, session, out);
      let settled = false;
      let lastError = '';
      let lostReason = '';
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        conn.closing = true; // a failed attempt is not a lost connection
        clearTimeout(timer);
        client.end(true);
        reject(new ConnectFailure(reason));
      };
      let connacked = false;
      client.once('packetreceive', (p: { cmd: string }) => void (connacked = p.cmd === 'connack'));
      const timer = setTimeout(
        () =>
          fail(
            connacked
              ? `timeout: the session's re-sent publishes were not acknowledged within ${opts.timeoutMs} ms`
              : `timeout: no CONNACK within ${opts.timeoutMs} ms`,
          ),
        opts.timeoutMs,
      );
      client.on('error', (err: Error & { code?: string | number }) => {
        if (!settled) fail(describeError(err));
        else lastError = err.message === 'Keepalive timeout' ? 'keepalive timeout' : typeof err.code === 'string' ? err.code : err.message;
      });
      client.on('disconnect', (p: { reasonCode?: number }) => {
        lostReason = `broker sent DISCONNECT: ${reasonWords(p.reasonCode ?? 0)}`;
      });
      client.on('close', () => {
        if (!settled) fail('connection closed before CONNACK');
        else if (!conn.closing) {
          conn.closing = true;
          events.onLost(lostReason || lastError || closeWords(out.ledger));
        }
        // QoS 0 not known to be written: NotSent. QoS 1/2: held for the next connect, or failed now.
        out.close('the connection closed before it was written');
        session.detach(client);
      });
      client.stream.on('drain', () => {
        if (settled && !conn.closing) events.onDrain?.();
      });
      client.on(
        'message',
        (topic: string, payload: Buffer, packet: { qos?: QoS; retain?: boolean; properties?: { responseTopic?: string; correlationData?: Buffer } }) => {
          const p = packet.properties;
          events.onMessage(
            topic,
            payload,
            packet.qos ?? 0,
            packet.retain === true,
            p?.responseTopic ? { responseTopic: p.responseTopic, correlationData: p.correlationData } : undefined,
          );
        },
      );
      // After a resumed session's held publishes were re-sent and acknowledged (mqtt.js waits for them).
      client.once('connect', (connack: { sessionPresent?: boolean; properties?: { receiveMaximum?: number } }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        conn.sessionPresent = connack?.sessionPresent === true;
        if (connack?.properties?.receiveMaximum !== undefined) conn.receiveMaximum = connack.properties.receiveMaximum;
        resolve(conn);
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
