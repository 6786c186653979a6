import { connect } from 'node:net';

/** The default port of each broker URL scheme (the same ones mqtt.js uses). */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 };

/**
 * The TCP address behind a broker URL: its host (IPv6 without brackets) and its port, or the scheme's
 * default. A WebSocket path (ws://host/mqtt) and credentials play no part. null when it is not a URL.
 */
export function probeAddress(url: string): { host: string; port: number } | null {
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return { host, port: u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol] ?? 1883 };
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
