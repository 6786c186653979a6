/**
 * target rules that span fields: url or urls (not both), every URL of urls using TLS when tls is set, and
 * sourceAddresses only with mqtt:// or mqtts:// (a WebSocket client opens its socket where we cannot bind it).
 * Like crosscheck.ts they run on the checked document; values that failed their own check are skipped.
 */
import { validItems, validOr } from './decode.js';
import type { PathProblem } from './problems.js';
import { redactUrl } from './redact.js';
import type { CheckedScenario } from './schema.js';

const isWebSocket = (url: string) => /^wss?:/i.test(url);

export function checkTarget(doc: CheckedScenario): PathProblem[] {
  const target = validOr(doc.target);
  if (target === undefined) return [];
  const problems: PathProblem[] = [];
  const urls = validItems(validOr(target.urls));
  if (target.url !== undefined && target.urls !== undefined) {
    problems.push({
      path: ['target', 'urls'],
      atKey: true,
      message: 'set either url (one broker) or urls (several), not both',
      hint: 'with urls, client g connects to urls[g % n]',
    });
  }
  if (validOr(target.tls) !== undefined) {
    for (const [url, i] of urls) {
      if (!/^(mqtts|wss):/i.test(url)) {
        problems.push({
          path: ['target', 'urls', i],
          message: `tls is set, but '${redactUrl(url)}' does not use TLS`,
          hint: 'use mqtts:// or wss:// for every URL, or remove tls',
        });
      }
    }
  }
  if (target.sourceAddresses !== undefined) {
    const url = validOr(target.url);
    const ws = [url, ...urls.map(([u]) => u)].find((u): u is string => u !== undefined && isWebSocket(u));
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
