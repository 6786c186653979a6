/**
 * Plain parsers for the values of a scenario that say where things are: broker URLs, local addresses to bind,
 * host names for TLS and file paths. Like fieldParsers.ts, each returns the value or throws UnitError.
 */
import { isIP } from 'node:net';
import { PERCENT_HINT, urlCredentials } from '../shared/urlCredentials.js';
import { fail, required, text, type Parse } from './fieldParsers.js';
import { show } from './problems.js';
import { redactUrl } from './redact.js';

const SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];

/** "embedded" or an mqtt://, mqtts://, ws:// or wss:// URL with a host. */
export const brokerUrl: Parse<string> = (v) => {
  required(v);
  if (typeof v !== 'string') fail(`expected a broker URL like mqtt://localhost:1883, got ${show(v)}`);
  if (v === 'embedded') return v;
  const shown = show(redactUrl(v));
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v)) {
    fail(`expected "embedded" or a URL like mqtt://localhost:1883, got ${shown}`, 'start with the scheme: mqtt://, mqtts://, ws:// or wss://');
  }
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return fail(`expected "embedded" or a URL like mqtt://localhost:1883, got ${shown}`);
  }
  if (!SCHEMES.includes(url.protocol)) {
    fail(`unsupported URL scheme ${show(url.protocol.replace(/:$/, ''))}`, 'use mqtt://, mqtts://, ws:// or wss://');
  }
  if (!url.hostname) fail(`URL ${shown} has no host`, 'e.g. mqtt://localhost:1883');
  const credentials = urlCredentials(url);
  if (typeof credentials === 'string') fail(credentials, PERCENT_HINT);
  return v;
};

/** One of several broker URLs (target.urls): like `url`, but "embedded" has no place in a list of brokers. */
export const clusterUrl: Parse<string> = (v) => {
  const url = brokerUrl(v);
  if (url === 'embedded') fail('"embedded" cannot be one of several broker URLs', 'list mqtt://, mqtts://, ws:// or wss:// URLs, or use url: embedded alone');
  return url;
};

/** A local IPv4 or IPv6 address to bind client sockets to (target.sourceAddresses), e.g. 127.0.0.2 or ::1. */
export const ipAddress: Parse<string> = (v) => {
  const address = text()(v).trim();
  if (!isIP(address)) fail(`${show(v)} is not an IPv4 or IPv6 address`, 'e.g. 127.0.0.2, 10.0.0.5 or fd00::5 (no host names, no ports)');
  return address;
};

/** A file path (kept as written; tls.ts reads the file relative to the scenario's directory). */
export const filePath: Parse<string> = (v) => {
  const path = text()(v);
  if (path.trim() === '') fail('a file path must not be empty');
  return path;
};

/** A DNS host name (for TLS SNI and the certificate check), e.g. broker.example.com; not an IP address. */
export const hostName: Parse<string> = (v) => {
  const name = text()(v);
  if (isIP(name)) fail('servername must be a host name, not an IP address', "leave it out: the URL's address is then checked against the certificate");
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(name)) fail(`${show(name)} is not a host name`, 'e.g. broker.example.com');
  return name;
};
