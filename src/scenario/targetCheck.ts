/**
 * target rules that span fields: url or urls (not both), every URL of urls using TLS when tls is set, and
 * sourceAddresses only with mqtt:// or mqtts:// (a WebSocket client opens its socket where we cannot bind it).
 * Like crosscheck.ts it runs on the raw document; values that fail their own field check are skipped here.
 */
import type { PathProblem } from './problems.js';
import { redactUrl } from './redact.js';
import * as v from './fieldParsers.js';
import { isRecord, read, type Raw } from './raw.js';



const isWebSocket = (url: string) => /^wss?:/i.test(url);

export function checkTarget(doc: unknown): PathProblem[] {
  const target = isRecord(doc) ? doc.target : undefined;
  if (!isRecord(target)) return [];
  const problems: PathProblem[] = [];
  const urls = Array.isArray(target.urls) ? target.urls.map((u) => read(v.clusterUrl, u)) : [];
  if (target.url !== undefined && target.urls !== undefined) {
    problems.push({ path: ['target', 'urls'], atKey: true, message: 'set either url (one broker) or urls (several), not both', hint: 'with urls, client g connects to urls[g % n]' });
  }
  if (isRecord(target.tls)) {
    urls.forEach((url, i) => {
      if (url !== undefined && !/^(mqtts|wss):/i.test(url)) {
        problems.push({ path: ['target', 'urls', i], message: `tls is set, but '${redactUrl(url)}' does not use TLS`, hint: 'use mqtts:// or wss:// for every URL, or remove tls' });
      }
    });
  }
  if (target.sourceAddresses !== undefined) {
    const url = target.url === undefined ? undefined : read(v.brokerUrl, target.url);
    const ws = [url, ...urls].find((u): u is string => u !== undefined && isWebSocket(u));
    if (ws !== undefined) {
      problems.push({
        path: ['target', 'sourceAddresses'],
        atKey: true,
        message: `sourceAddresses cannot be used with a WebSocket URL ('${redactUrl(ws)}'): its client opens a socket mqbench cannot bind`,
        hint: 'use mqtt:// or mqtts:// URLs, or remove sourceAddresses',
      });
    }
  }
  return problems;
}
