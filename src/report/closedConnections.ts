/**
 * Connections that closed during a run without being asked to (counted as `connections.lost`, their reasons
 * in `connections.errors` as "lost: <reason>"). When the broker closed them itself — an MQTT 5 DISCONNECT with
 * a reason code, or a close right after a PUBLISH (how an MQTT 3.1.1 broker refuses one) — the run did not go
 * as planned, and deliveries missing around those closes may be messages the broker never accepted rather than
 * messages it lost. The summary says so in words instead of presenting a clean run.
 */
import type { Summary } from '../metrics/summary.js';
import { fmtInt } from './format.js';

/** Reasons (as the drivers word them) that mean the broker itself ended the connection. */
const BY_BROKER = /DISCONNECT|closed by the broker(?! or network)/i;

export interface ClosedConnections {
  lost: number;
  /** Of `lost`, those whose reason says the broker closed them. */
  byBroker: number;
  /** The most frequent loss reasons, "reason ×n", without the "lost: " prefix. */
  reasons: string;
  back: number;
}

export function closedConnections(c: Summary['connections']): ClosedConnections | null {
  if (!c || !(c.lost > 0)) return null;
  const losses = Object.entries(c.errors ?? {})
    .filter(([r]) => r.startsWith('lost: '))
    .map(([r, n]) => [r.slice('lost: '.length), n] as const)
    .sort((a, b) => b[1] - a[1]);
  const byBroker = losses.filter(([r]) => BY_BROKER.test(r)).reduce((n, [, k]) => n + k, 0);
  const shown = losses.slice(0, 3).map(([r, n]) => `${r} ×${fmtInt(n)}`);
  if (losses.length > 3) shown.push(`${losses.length - 3} other reason${losses.length === 4 ? '' : 's'}`);
  return { lost: c.lost, byBroker, reasons: shown.join(', ') || 'no reason reported', back: c.reconnected ?? 0 };
}

const conns = (n: number) => `${fmtInt(n)} connection${n === 1 ? '' : 's'}`;

/** "the broker closed 3 connections during the run (broker sent DISCONNECT: …); all came back: …" */
export function closedConnectionsWarning(c: ClosedConnections): string {
  const head =
    c.byBroker > 0
      ? `the broker closed ${conns(c.byBroker)} during the run${c.byBroker < c.lost ? ` (and ${fmtInt(c.lost - c.byBroker)} more were lost)` : ''}: ${c.reasons}`
      : `${conns(c.lost)} ${c.lost === 1 ? 'was' : 'were'} lost during the run: ${c.reasons}`;
  const back = c.back >= c.lost ? 'all came back' : `${fmtInt(c.lost - c.back)} did not come back`;
  return `${head}; ${back}. Deliveries missing around those closes may be messages the broker never accepted, not messages it lost`;
}

/** Appended to a delivery verdict that reports loss while connections closed. */
export function lossCaveat(c: ClosedConnections): string {
  const who = c.byBroker > 0 ? `the broker closed ${conns(c.byBroker)}` : `${conns(c.lost)} ${c.lost === 1 ? 'was' : 'were'} lost`;
  return ` — ${who} during the run, so part of this may be messages the broker never accepted (see the warning)`;
}
