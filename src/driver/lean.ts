import { connectPacket } from './connectPacket.js';
import { parseEndpoint } from './endpoint.js';
import { LeanConnection } from './leanConnection.js';
import { directRead } from './leanDirectRead.js';
import { LeanSession } from './leanSession.js';
import { openStream } from './leanTransport.js';
import { sourcePorts } from './sourcePorts.js';
import { connectTcp } from './tcpConnect.js';
import { ConnectFailure, type Connection, type Driver } from './driver.js';

/**
 * The lean driver (the default): MQTT 3.1.1 and 5 over TCP, TLS or WebSocket, with mqtt-packet as the
 * codec for everything but the hot path. Per connection it keeps a socket, its output and a few numbers
 * (LeanConnection); a message costs one encode into the connection's per-turn output buffer (one socket
 * write per event-loop turn: LeanOutput, leanBatch), plus a session entry for QoS 1/2 until its ack
 * (LeanSession: re-sent after a reconnect that resumes the session). Keepalive runs on one timer wheel per
 * thread. MQTT 5 publish properties, topic aliases (outgoing within the broker's Topic Alias Maximum;
 * incoming resolved) and request/response properties are supported; AUTH is not.
 */
export const leanDriver: Driver = {
  name: 'lean',
  newSession: () => new LeanSession(),
  connect(opts, events) {
    return new Promise<Connection>((resolve, reject) => {
      const ep = parseEndpoint(opts.url);
      if (typeof ep === 'string') return reject(new ConnectFailure(ep));
      if (opts.session !== undefined && !(opts.session instanceof LeanSession)) return reject(new ConnectFailure('the session was made by another driver'));
      const o = ep.username !== undefined && opts.username === undefined ? { ...opts, username: ep.username, password: opts.password ?? ep.password } : opts;
      let packet: Buffer;
      try {
        packet = connectPacket(o);
      } catch (err) {
        return reject(new ConnectFailure(`invalid CONNECT: ${(err as Error).message}`));
      }
      const session = opts.session ?? new LeanSession();
      // Plain TCP: from a source port of our own (sourcePorts.ts), connected before the MQTT handshake starts;
      // the TCP connect and the handshake each get the connect timeout.
      if (ep.transport === 'tcp' && !ep.tls) {
        // Events that keep no payload: the socket reads into the thread's one read buffer (directRead).
        const direct = events.borrowsPayload === true ? directRead() : null;
        connectTcp(ep, o, sourcePorts(), direct).then((sock) => new LeanConnection(sock, o, events, session, packet, resolve, reject), reject);
        return;
      }
      let stream;
      try {
        stream = openStream(ep, o);
      } catch (err) {
        return reject(new ConnectFailure((err as Error).message));
      }
      new LeanConnection(stream, o, events, session, packet, resolve, reject);
    });
  },
};
