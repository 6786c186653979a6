import { isIP, connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { createWebSocketStream, WebSocket } from 'ws';
import type { Endpoint } from './endpoint.js';
import type { ConnectOptions } from './driver.js';

/**
 * The byte stream of one lean connection: a TCP socket (mqtt://), a TLS socket (mqtts://), or a
 * WebSocket (ws://, wss://) with subprotocol "mqtt" as a Duplex, each write one binary frame (what
 * MQTT over WebSocket asks for, MQTT 5 §6). No-delay is set on TCP; `ws` sets it on its own socket.
 */
export function openStream(ep: Endpoint, o: ConnectOptions): Duplex {
  const bind = o.localAddress !== undefined ? { localAddress: o.localAddress } : {};
  const tls = ep.tls ? tlsOptions(ep, o) : {};
  if (ep.transport === 'ws') {
    const ws = new WebSocket(ep.wsUrl!, 'mqtt', { perMessageDeflate: false, handshakeTimeout: o.timeoutMs, ...tls, ...bind });
    return createWebSocketStream(ws);
  }
  const sock = ep.tls ? tlsConnect({ host: ep.host, port: ep.port, ...tls, ...bind }) : netConnect({ host: ep.host, port: ep.port, ...bind });
  sock.setNoDelay(true);
  return sock;
}

/** CA, client certificate, the certificate check and SNI (a host name, never an IP address, unless set). */
function tlsOptions(ep: Endpoint, o: ConnectOptions): { servername?: string; rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string } {
  const t = o.tls;
  const servername = t?.servername ?? (isIP(ep.host) ? undefined : ep.host);
  return {
    ...(servername !== undefined ? { servername } : {}),
    rejectUnauthorized: t?.rejectUnauthorized ?? true,
    ...(t?.ca !== undefined ? { ca: t.ca } : {}),
    ...(t?.cert !== undefined ? { cert: t.cert } : {}),
    ...(t?.key !== undefined ? { key: t.key } : {}),
  };
}
