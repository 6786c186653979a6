import { isIP, connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { createWebSocketStream, WebSocket } from 'ws';
import type { Endpoint } from './endpoint.js';
import type { ConnectOptions } from './driver.js';

/** How a plain TCP socket may be read instead of 'data' events (net.Socket's `onread`: into one reused buffer). */
export interface DirectRead {
  buffer: Buffer;
  callback: (nread: number, buf: Buffer) => boolean;
}

/**
 * The byte stream of one lean connection: a TCP socket (mqtt://), a TLS socket (mqtts://), or a
 * WebSocket (ws://, wss://) with subprotocol "mqtt" as a Duplex, each write one binary frame (what
 * MQTT over WebSocket asks for, MQTT 5 §6). No-delay is set on TCP; `ws` sets it on its own socket.
 * `direct`: a plain TCP socket is read through it (no 'data' events); returns whether it was used.
 */
export function openStream(ep: Endpoint, o: ConnectOptions, direct: DirectRead | null = null): { stream: Duplex; direct: boolean } {
  const bind = o.localAddress !== undefined ? { localAddress: o.localAddress } : {};
  const tls = ep.tls ? tlsOptions(ep, o) : {};
  if (ep.transport === 'ws') {
    const ws = new WebSocket(ep.wsUrl!, 'mqtt', { perMessageDeflate: false, handshakeTimeout: o.timeoutMs, ...tls, ...bind });
    return { stream: createWebSocketStream(ws), direct: false };
  }
  if (ep.tls) {
    const sock = tlsConnect({ host: ep.host, port: ep.port, ...tls, ...bind });
    sock.setNoDelay(true);
    return { stream: sock, direct: false };
  }
  const sock = netConnect({ host: ep.host, port: ep.port, ...bind, ...(direct !== null ? { onread: direct } : {}) });
  sock.setNoDelay(true);
  return { stream: sock, direct: direct !== null };
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
