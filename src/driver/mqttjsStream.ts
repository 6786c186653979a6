import { isIP, connect as netConnect } from 'node:net';
import { parseEndpoint } from './endpoint.js';
import { connect as tlsConnect } from 'node:tls';
import mqtt, { MqttClient, type IClientOptions } from 'mqtt';
import type { ConnectOptions } from './driver.js';
import { urlCredentials } from '../shared/urlCredentials.js';

/**
 * The mqtt.js client for one connection. Without a local address it is `mqtt.connect`. With one
 * (target.sourceAddresses) it is a client with our own stream builder: mqtt.js 5's TCP and TLS builders
 * (lib/connect/tcp.js, tls.js) pass host and port to net / tls.connect but not `localAddress`. The builder
 * here does what theirs do for mqtt:// and mqtts:// (default ports, SNI from a host name, the certificate
 * check) plus the bind. WebSocket URLs are refused: the `ws` client opens its socket out of our reach.
 */
export function openMqttjsClient(opts: ConnectOptions, options: IClientOptions): MqttClient {
  const localAddress = opts.localAddress;
  if (localAddress === undefined) {
    // mqtt.js splits "user:pass" itself after decoding, so an escaped ":" in a password breaks it: the URL's
    // credentials are decoded here as the lean driver does (urlCredentials) and passed as options.
    const u = new URL(opts.url);
    if (!u.username && !u.password) return mqtt.connect(opts.url, options);
    const o = withUrlCredentials(u, options);
    u.username = '';
    u.password = '';
    return mqtt.connect(u.toString(), o);
  }
  const ep = parseEndpoint(opts.url);
  if (typeof ep === 'string') throw new Error(ep);
  if (ep.transport !== 'tcp') throw new Error(`a source address needs an mqtt:// or mqtts:// URL, not ${new URL(opts.url).protocol}//`);
  const { tls, host, port } = ep;
  const u = new URL(opts.url);
  const scheme = tls ? 'mqtts' : 'mqtt';
  const o: IClientOptions = { ...withUrlCredentials(u, options), protocol: scheme, host, port };
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

/** Credentials in the URL apply when the scenario gives none (as in the lean driver); invalid escapes throw. */
function withUrlCredentials(u: URL, options: IClientOptions): IClientOptions {
  const c = urlCredentials(u);
  if (typeof c === 'string') throw new Error(c);
  if (c.username === undefined || options.username !== undefined) return options;
  return { ...options, username: c.username, password: options.password ?? c.password };
}
