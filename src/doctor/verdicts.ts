/**
 * How doctor judges what the broker probes observed: pure functions from observations to a Check, so the
 * wording and the severities are unit-tested without a broker. `needed` says the scenario relies on the
 * feature: then a missing feature is a FAIL, otherwise a WARN.
 */
import type { Granted } from '../driver/driver.js';
import type { ProtocolLevel } from '../scenario/model.js';
import { fail, ok, warn, type Check } from './check.js';

export const versionName = (v: ProtocolLevel): string => (v === 5 ? 'MQTT 5' : v === 3 ? 'MQTT 3.1' : 'MQTT 3.1.1');

/** Above this median publish→receive time on loopback, something (most likely Nagle's algorithm) delays packets. */
export const LOOPBACK_SLOW_MS = 5;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function judgeReachable(hostPort: string, problem: string | null, ms: number): Check {
  if (problem === null) return ok('broker reachable', `${hostPort} accepts TCP connections (${Math.max(1, Math.round(ms))} ms)`);
  return fail(
    'broker reachable',
    `${hostPort}: ${problem}`,
    [],
    'is the broker running and listening there? (on its machine: ss -ltn) Check --broker or target.url; a firewall may drop the packets',
  );
}

/** `result`: true when CONNACK accepted the session, else the driver's reason (e.g. "CONNACK refused: Not authorized"). */
export function judgeConnect(version: ProtocolLevel, result: true | string, needed: boolean): Check {
  const what = versionName(version);
  if (result === true) return ok(what, 'connect accepted');
  const auth = /authori[sz]ed|username|password/i.test(result) ? 'set target.username / target.password in the scenario' : undefined;
  const why = needed ? `the scenario uses ${what} (target.mqttVersion)` : `scenarios with mqttVersion: ${version === 5 ? '5' : '3.1.1'} will not connect`;
  return (needed ? fail : warn)(what, `connect not accepted: ${result}`, [], auth ? `${why}; ${auth}` : why);
}

/**
 * `granted`: what SUBACK gave for a QoS 2 subscription. `connackMaxQos`: the MQTT 5 CONNACK Maximum QoS when the
 * driver exposes it; null when it does not (say so rather than guess).
 */
export function judgeMaxQos(granted: Granted, version: ProtocolLevel, connackMaxQos: number | null | undefined, neededQos: number): Check {
  const what = 'max QoS';
  const connack =
    version !== 5
      ? ''
      : connackMaxQos === null
        ? '; CONNACK Maximum QoS not read (the mqttjs driver does not expose CONNACK properties)'
        : connackMaxQos === undefined
          ? '; CONNACK sets no Maximum QoS (2)'
          : `; CONNACK Maximum QoS ${connackMaxQos}`;
  if (granted === 128)
    return (neededQos > 0 ? fail : warn)(what, `a QoS 2 subscription was refused (SUBACK 0x80)${connack}`, [], 'the broker may restrict subscriptions (ACL)');
  const finding = `subscribe at QoS 2 → granted QoS ${granted}${connack}`;
  if (granted < 2 || (typeof connackMaxQos === 'number' && connackMaxQos < 2)) {
    const top = Math.min(granted, connackMaxQos ?? 2);
    return (neededQos > top ? fail : warn)(what, finding, [], `QoS ${top + 1}+ is downgraded to QoS ${top} by this broker`);
  }
  return ok(what, finding);
}

export interface RetainObservation {
  refused?: string;
  arrived: boolean;
  retainFlag: boolean;
  cleared: boolean;
  /** The wildcard filter subscribed with (absent: the message's own topic). */
  filter?: string;
}

/** The check of retained messages for a subscription with a wildcard filter. */
export const RETAIN_WILDCARD = 'retain to wildcards';

export function judgeRetain(o: RetainObservation, needed: boolean): Check {
  const what = o.filter ? RETAIN_WILDCARD : 'retain';
  const bad = needed ? fail : warn;
  const sub = o.filter ? `a new subscription to ${o.filter}` : 'a new subscription';
  if (o.refused) return bad(what, `could not publish a retained message: ${o.refused}`);
  if (!o.arrived) {
    return bad(
      what,
      `a retained message was not delivered to ${sub}`,
      [],
      o.filter
        ? 'the broker matches retained messages only against exact topics (RabbitMQ 3.10 does): late wildcard subscriptions get none'
        : 'retain may be off (mosquitto: retain_available false)',
    );
  }
  if (!o.retainFlag) return warn(what, `a retained message arrived without the retain flag on ${sub}`);
  const clear = o.cleared ? 'test message cleared' : 'clearing the test message was not acknowledged';
  return (o.cleared ? ok : warn)(what, `retained message delivered to ${sub} with the retain flag; ${clear}`);
}

export interface SharedObservation {
  filter: string;
  /** SUBACK refused (0x80) either subscription. */
  refused: boolean;
  /** How many times message i arrived, over both subscribers. */
  deliveries: number[];
  /** Messages each subscriber got. */
  perSubscriber: [number, number];
}

export function judgeShared(o: SharedObservation, needed: boolean): Check {
  const what = 'shared subscriptions';
  const bad = needed ? fail : warn;
  const sent = o.deliveries.length;
  if (o.refused) return bad(what, `${o.filter}: subscription refused`, [], 'the broker does not support $share (or an ACL forbids it)');
  const once = o.deliveries.filter((n) => n === 1).length;
  const missing = o.deliveries.filter((n) => n === 0).length;
  const dup = o.deliveries.filter((n) => n > 1).length;
  const split = `${o.perSubscriber[0]} + ${o.perSubscriber[1]}`;
  if (once === sent) return ok(what, `${o.filter}: ${sent} messages, each delivered exactly once across 2 subscribers (${split})`);
  if (missing === sent)
    return bad(
      what,
      `${o.filter}: none of ${sent} messages arrived`,
      [],
      'the broker treats $share/... as an ordinary topic filter: shared subscriptions are not supported',
    );
  if (dup === sent)
    return bad(what, `${o.filter}: every message went to both subscribers (${split})`, [], 'the broker delivers to every member: $share is not load-balanced');
  return bad(what, `${o.filter}: of ${sent} messages ${once} arrived once, ${dup} more than once, ${missing} not at all (${split})`);
}

export function judgeBrokerVersion(version: string | undefined): Check {
  if (version) return ok('broker version', `${version} ($SYS/broker/version)`);
  return ok('broker version', 'not published on $SYS/broker/version (results will not record it)');
}

/**
 * `bursts`: publish→receive times (ms) of QoS 0 messages on one connection, one array per burst of messages
 * sent back to back. Nagle's algorithm (with delayed ACKs) holds back every message after the first of a
 * burst by tens of ms; a busy CPU delays a whole burst alike. The spread within bursts tells them apart.
 */
export function judgeLatency(bursts: readonly number[][], loopback: boolean, expected: number): Check {
  const what = 'TCP_NODELAY';
  const samples = bursts.flat();
  if (samples.length < expected / 2) return warn(what, `only ${samples.length} of ${expected} QoS 0 messages came back within the time allowed`);
  const m = median(samples);
  const stall = median(bursts.filter((b) => b.length > 1).map((b) => Math.max(...b) - Math.min(...b)));
  const finding = `publish→receive median ${m.toFixed(2)} ms over ${samples.length} QoS 0 messages${loopback ? ' (loopback)' : ''}`;
  const nagle = stall > LOOPBACK_SLOW_MS;
  if (loopback && m > LOOPBACK_SLOW_MS && nagle) {
    return warn(
      what,
      `${finding}: looks like Nagle's algorithm: set set_tcp_nodelay true in mosquitto.conf`,
      [],
      `messages after the first of a burst waited ~${stall.toFixed(0)} ms more; other brokers call the switch TCP no-delay`,
    );
  }
  if (loopback && m > LOOPBACK_SLOW_MS) {
    return warn(
      what,
      `${finding}: slow for loopback, but messages sent together arrived together (not Nagle's pattern)`,
      [],
      'a busy CPU or broker: latency results on this machine will include it',
    );
  }
  if (!loopback && m > 35 && nagle)
    return warn(
      what,
      `${finding}: messages after the first of a burst waited ~${stall.toFixed(0)} ms more: Nagle's algorithm on the broker? (mosquitto: set_tcp_nodelay true)`,
    );
  return ok(what, finding);
}
