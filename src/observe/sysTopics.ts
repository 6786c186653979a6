/**
 * mosquitto's `$SYS/broker/...` topics (mosquitto(8), "BROKER STATUS"): which ones the $SYS source
 * subscribes to and what each means. Pure.
 *
 * Cumulative since the broker started (rates are taken between readings; they reset when it restarts):
 * messages/received|sent (every MQTT packet type), publish/messages/received|sent|dropped (PUBLISH only),
 * bytes/received|sent. Instant values: clients/connected, heap/current|maximum (mosquitto's own
 * allocation tracking), messages/stored. load/.../1min are mosquitto's own one-minute moving averages
 * per minute, kept as they are under `extra`.
 */
import type { CounterName, GaugeName } from './types.js';

/** Narrow filters, so the broker sends the observer only what it reads (each delivery counts as "sent"). */
export const SYS_FILTERS = [
  '$SYS/broker/version',
  '$SYS/broker/clients/connected',
  '$SYS/broker/heap/+',
  '$SYS/broker/messages/+',
  '$SYS/broker/publish/messages/+',
  '$SYS/broker/bytes/+',
  '$SYS/broker/load/+/1min',
  '$SYS/broker/load/+/+/1min',
] as const;

export type SysField =
  { where: 'gauges'; name: GaugeName } | { where: 'counters'; name: CounterName } | { where: 'extra' | 'extraCounters'; name: string } | { where: 'version' };

const FIELDS: Record<string, SysField> = {
  'clients/connected': { where: 'gauges', name: 'connections' },
  'heap/current': { where: 'gauges', name: 'heapBytes' },
  'heap/maximum': { where: 'gauges', name: 'heapMaxBytes' },
  'messages/received': { where: 'counters', name: 'packetsReceived' },
  'messages/sent': { where: 'counters', name: 'packetsSent' },
  'messages/stored': { where: 'extra', name: 'storedMessages' },
  'publish/messages/received': { where: 'counters', name: 'messagesReceived' },
  'publish/messages/sent': { where: 'counters', name: 'messagesSent' },
  'publish/messages/dropped': { where: 'extraCounters', name: 'publishDropped' },
  'bytes/received': { where: 'counters', name: 'bytesReceived' },
  'bytes/sent': { where: 'counters', name: 'bytesSent' },
  version: { where: 'version' },
};

/** What a `$SYS/broker/...` topic holds, or null for one the source does not use. */
export function sysField(topic: string): SysField | null {
  if (!topic.startsWith('$SYS/broker/')) return null;
  const rest = topic.slice('$SYS/broker/'.length);
  const known = FIELDS[rest];
  if (known) return known;
  // load/messages/received/1min → load1minMessagesReceived; load/connections/1min → load1minConnections
  const m = /^load\/([a-z]+)(?:\/([a-z]+))?\/1min$/.exec(rest);
  if (!m) return null;
  const cap = (s: string | undefined) => (s ? s[0].toUpperCase() + s.slice(1) : '');
  return { where: 'extra', name: `load1min${cap(m[1])}${cap(m[2])}` };
}

/** A $SYS payload as a number ("123", "0.57"); null for anything else. */
export function sysNumber(payload: string): number | null {
  const t = payload.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}
