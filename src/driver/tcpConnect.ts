import { connect as netConnect, type Socket } from 'node:net';
import { ConnectFailure, type ConnectOptions } from './driver.js';
import type { Endpoint } from './endpoint.js';
import type { SourcePorts } from './sourcePorts.js';

/** Ports tried for one connection before the kernel is left to choose one (each retry: a port taken meanwhile). */
export const PORT_TRIES = 16;

/** How a plain TCP socket may be read instead of 'data' events (net.Socket's `onread`: into one reused buffer). */
export interface DirectRead {
  buffer: Buffer;
  callback: (nread: number, buf: Buffer) => boolean;
}

/** A chosen source port was taken: try the next one. */
const TAKEN = new Set(['EADDRINUSE', 'EADDRNOTAVAIL']);

/**
 * A plain TCP connection from a source port of `ports` (sourcePorts.ts), resolved once connected, with
 * no-delay set. A port found taken is skipped (at most PORT_TRIES, then one attempt with the kernel's
 * choice); any other error, or no connection within `timeoutMs`, rejects with the reason a LeanConnection
 * gives for the same failure (the error code; "timeout: no CONNACK within … ms"). `direct`: the socket is read
 * through it (no 'data' events).
 */
export function connectTcp(ep: Endpoint, o: ConnectOptions, ports: SourcePorts, direct: DirectRead | null = null): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    let sock: Socket | null = null;
    const timer = setTimeout(() => {
      sock?.destroy();
      reject(new ConnectFailure(`timeout: no CONNACK within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    const attempt = (tries: number): void => {
      const chosen = tries < PORT_TRIES;
      const s = netConnect({
        host: ep.host,
        port: ep.port,
        ...(o.localAddress !== undefined ? { localAddress: o.localAddress } : {}),
        ...(chosen ? { localPort: ports.take() } : {}),
        ...(direct !== null ? { onread: direct } : {}),
      });
      sock = s;
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        s.setNoDelay(true);
        resolve(s);
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        s.destroy();
        if (chosen && TAKEN.has(err.code ?? '')) return attempt(tries + 1);
        clearTimeout(timer);
        reject(new ConnectFailure(err.code ?? err.message));
      });
    };
    attempt(0);
  });
}
