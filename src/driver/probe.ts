import { connect } from 'node:net';

/**
 * A TCP reachability check before any worker starts, so "broker not running" is one clear
 * line within seconds instead of thousands of failed connections.
 * Resolves null when the port accepts a connection, else the reason.
 */
export function probeBroker(url: string, timeoutMs = 3000): Promise<string | null> {
  let host: string;
  let port: number;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, '');
    const defaults: Record<string, number> = { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 };
    port = u.port ? Number(u.port) : defaults[u.protocol] ?? 1883;
  } catch {
    return Promise.resolve(`not a valid URL`);
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port });
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
