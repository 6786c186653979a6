import type { ConnectSpec, TargetSpec } from '../scenario/model.js';
import type { ConnectOptions, TlsOptions } from './driver.js';

/** The driver's TLS options from the scenario's target.tls (PEM texts already read by the loader). */
export function tlsOptions(target: TargetSpec): TlsOptions | undefined {
  const t = target.tls;
  if (!t) return undefined;
  const out: TlsOptions = { rejectUnauthorized: !t.insecure };
  if (t.ca !== undefined) out.ca = t.ca;
  if (t.cert !== undefined) out.cert = t.cert;
  if (t.key !== undefined) out.key = t.key;
  if (t.servername !== undefined) out.servername = t.servername;
  return out;
}

/**
 * Everything a driver needs to connect one client to the scenario's target. `client` is its global index g:
 * with several broker URLs it connects to urls[g % n], with several source addresses it binds addresses[g % n].
 */
export function connectOptions(target: TargetSpec, clientId: string, c: ConnectSpec, tls = tlsOptions(target), client = 0): ConnectOptions {
  const urls = target.urls;
  const sources = target.sourceAddresses;
  const opts: ConnectOptions = {
    url: urls && urls.length > 0 ? urls[client % urls.length] : target.url,
    clientId,
    protocolVersion: target.mqttVersion,
    clean: c.clean,
    keepaliveSec: c.keepaliveSec,
    timeoutMs: c.timeoutMs,
    sessionExpirySec: c.sessionExpirySec,
    username: target.username,
    password: target.password,
  };
  if (tls) opts.tls = tls;
  if (sources && sources.length > 0) opts.localAddress = sources[client % sources.length];
  return opts;
}
