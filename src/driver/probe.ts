import { connect } from 'node:net';
import { DEFAULT_PORTS, hostOf, parseEndpoint } from './endpoint.js';

/**
 * The TCP address behind a broker URL: its host (IPv6 without brackets) and its port, or the scheme's
 * default. A WebSocket path (ws://host/mqtt) and credentials play no part. null when it is not a URL.
 */
export function probeAddress(url: string): { host: string; port: number } | null {
  const ep = parseEndpoint(url);
  if (typeof ep !== 'string') return { host: ep.host, port: ep.port };
  // Not one a driver takes (another scheme, a bad escape in the credentials): still probe the address.
  try {
    const u = new URL(url);
    return { host: hostOf(u), port: u.port ? Number(u.port) : (DEFAULT_PORTS[u.protocol] ?? 1883) };
  } catch {
    return null;
  }
}

/**
 * A TCP reachability check before any worker starts, so "broker not running" is one clear
 * line within seconds instead of thousands of failed connections. It only opens a TCP connection
 * (no TLS handshake, no WebSocket upgrade): certificate problems show up as connection failures.
 * Resolves null when the port accepts a connection, else the reason. `localAddress`: bind to it first.
 */
export function probeBroker(url: string, timeoutMs = 3000, localAddress?: string): Promise<string | null> {
  const addr = probeAddress(url);
  if (!addr) return Promise.resolve(`not a valid URL`);
  const { host, port } = addr;
  return new Promise((resolve) => {
    const socket = connect({ host, port, ...(localAddress !== undefined ? { localAddress } : {}) });
    const done = (reason: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(() => done(`no answer from ${host}:${port} within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}
