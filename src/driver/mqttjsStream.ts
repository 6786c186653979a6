import { isIP, connect as netConnect } from 'node:net';
import { DEFAULT_PORTS } from './probe.js';
import { connect as tlsConnect } from 'node:tls';
import mqtt, { MqttClient, type IClientOptions } from 'mqtt';
import type { ConnectOptions } from './types.js';

/**
 * The mqtt.js client for one connection. Without a local address it is `mqtt.connect`. With one
 * (target.sourceAddresses) it is a client with our own stream builder: mqtt.js 5's TCP and TLS builders
 * (lib/connect/tcp.js, tls.js) pass host and port to net / tls.connect but not `localAddress`. The builder
 * here does what theirs do for mqtt:// and mqtts:// (default ports, SNI from a host name, the certificate
 * check) plus the bind. WebSocket URLs are refused: the `ws` client opens its socket out of our reach.
 */
export function openMqttjsClient(opts: ConnectOptions, options: IClientOptions): MqttClient {
  const localAddress = opts.localAddress;
  if (localAddress === undefined) return mqtt.connect(opts.url, options);
  const u = new URL(opts.url);
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (scheme !== 'mqtt' && scheme !== 'mqtts') throw new Error(`a source address needs an mqtt:// or mqtts:// URL, not ${scheme}://`);
  const tls = scheme === 'mqtts';
  const host = u.hostname.replace(/^\[|\]$/g, '') || 'localhost';
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[tls ? 'mqtts:' : 'mqtt:'];
  const o: IClientOptions = { ...options, protocol: scheme, host, port };
  // Credentials in the URL apply when the scenario gives none (as in the lean driver).
  if (u.username && o.username === undefined) {
    o.username = decodeURIComponent(u.username);
    if (u.password && o.password === undefined) o.password = decodeURIComponent(u.password);
  }
  const build = () =>
    tls
      ? tlsConnect({
          host,
          port,
          // tls.connect hands it to the socket's connect; Node's types list it only for net.
          ...{ localAddress },
          servername: o.servername ?? (isIP(host) ? undefined : host),
          rejectUnauthorized: o.rejectUnauthorized !== false,
          ...(o.ca !== undefined ? { ca: o.ca } : {}),
          ...(o.cert !== undefined ? { cert: o.cert } : {}),
          ...(o.key !== undefined ? { key: o.key } : {}),
        })
      : netConnect({ host, port, localAddress });
  const client = new MqttClient(build, o);
  // As mqtt.connect does: an 'error' without a listener would throw; the driver adds its own at once.
  client.on('error', () => {});
  return client;
}
