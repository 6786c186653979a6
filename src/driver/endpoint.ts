import { urlCredentials } from '../shared/urlCredentials.js';

/** The default port of each broker URL scheme (the same ones mqtt.js uses). */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'mqtt:': 1883, 'mqtts:': 8883, 'ws:': 80, 'wss:': 443 };

/** How the bytes travel: a TCP stream, or WebSocket binary frames (subprotocol "mqtt") over HTTP(S). */
export type Transport = 'tcp' | 'ws';

/** Where a broker URL points: everything a driver or the probe needs to open the connection. */
export interface Endpoint {
  transport: Transport;
  tls: boolean;
  /** Without IPv6 brackets. */
  host: string;
  port: number;
  /** WebSocket only: the URL to upgrade (credentials removed: they go into CONNECT). */
  wsUrl?: string;
  /** Percent-decoded credentials written into the URL. */
  username?: string;
  password?: string;
}

/** Scheme (without ':') → transport and TLS. `tcp`, `ssl` and `tls` are mqtt.js's aliases. */
const SCHEMES: Readonly<Record<string, { transport: Transport; tls: boolean; ports: string }>> = {
  mqtt: { transport: 'tcp', tls: false, ports: 'mqtt:' },
  tcp: { transport: 'tcp', tls: false, ports: 'mqtt:' },
  mqtts: { transport: 'tcp', tls: true, ports: 'mqtts:' },
  ssl: { transport: 'tcp', tls: true, ports: 'mqtts:' },
  tls: { transport: 'tcp', tls: true, ports: 'mqtts:' },
  ws: { transport: 'ws', tls: false, ports: 'ws:' },
  wss: { transport: 'ws', tls: true, ports: 'wss:' },
};

/** The last URLs parsed (a run connects thousands of clients to one or a few URLs). */
const cache = new Map<string, Endpoint | string>();
const CACHE_MAX = 64;

/** Where to connect, or why the URL cannot be used (never quoting credentials). The result is shared: do not change it. */
export function parseEndpoint(url: string): Endpoint | string {
  let ep = cache.get(url);
  if (ep === undefined) {
    if (cache.size >= CACHE_MAX) cache.clear();
    ep = parse(url);
    cache.set(url, ep);
  }
  return ep;
}

function parse(url: string): Endpoint | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not a valid URL: ${url}`;
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  const kind = SCHEMES[scheme];
  if (kind === undefined) return `unsupported URL scheme "${scheme}://"`;
  const ep: Endpoint = { transport: kind.transport, tls: kind.tls, host: hostOf(u), port: u.port ? Number(u.port) : DEFAULT_PORTS[kind.ports] };
  const credentials = urlCredentials(u);
  if (typeof credentials === 'string') return credentials;
  Object.assign(ep, credentials);
  if (kind.transport === 'ws') {
    const w = new URL(u.toString());
    w.username = '';
    w.password = '';
    ep.wsUrl = w.toString();
  }
  return ep;
}

/** The URL's host name: IPv6 without brackets, `localhost` when empty. */
export function hostOf(u: URL): string {
  return u.hostname.replace(/^\[|\]$/g, '') || 'localhost';
}
