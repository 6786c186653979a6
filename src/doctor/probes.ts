/**
 * The broker probes of `mqbench doctor`: each opens its own short-lived clients on unique topics, observes,
 * cleans up (a retained test message is cleared) and hands its observation to verdicts.ts. Every probe is
 * bounded (PROBE_MS): one that does not finish becomes a WARN line, and its clients are closed.
 */
import { brokerVersion } from '../driver/brokerInfo.js';
import { ConnectFailure } from '../driver/driver.js';
import type { ProtocolLevel } from '../scenario/model.js';
import { warn, type Check } from './check.js';
import { bounded, sleep, type ProbeSession } from './probeSession.js';
import { judgeBrokerVersion, judgeConnect, judgeLatency, judgeMaxQos, judgeRetain, judgeShared, RETAIN_WILDCARD, type RetainObservation } from './verdicts.js';

/** The longest any one probe may take. */
export const PROBE_MS = 6000;
/** How long to wait for a message that should arrive. */
const ARRIVAL_MS = 2000;

const reasonOf = (e: unknown) => (e instanceof ConnectFailure ? e.reason : e instanceof Error ? e.message : String(e));

/** Runs `probe`, bounded; an error or a timeout becomes a WARN line for `what`. */
export async function guarded(s: ProbeSession, what: string, probe: () => Promise<Check>): Promise<Check> {
  try {
    return await bounded(probe(), PROBE_MS, what);
  } catch (e) {
    return warn(what, `probe did not complete: ${reasonOf(e)}`);
  } finally {
    await s.closeAll();
  }
}

/** true when CONNACK accepted a session with `version`, else the refusal in words. */
export async function tryConnect(s: ProbeSession, version: ProtocolLevel): Promise<true | string> {
  try {
    const c = await s.connect(version);
    await s.close(c);
    return true;
  } catch (e) {
    return reasonOf(e);
  } finally {
    await s.closeAll();
  }
}

export async function probeConnect(s: ProbeSession, version: ProtocolLevel, needed: boolean): Promise<{ check: Check; works: boolean }> {
  const result = await tryConnect(s, version);
  return { check: judgeConnect(version, result, needed), works: result === true };
}

export function probeMaxQos(s: ProbeSession, neededQos: number): Promise<Check> {
  return guarded(s, 'max QoS', async () => {
    const c = await s.connect();
    const granted = await c.subscribe(s.topic('qos'), 2);
    // The Driver interface hands back no CONNACK properties: null = "not exposed", said in the finding.
    return judgeMaxQos(granted, s.target.mqttVersion, null, neededQos);
  });
}

/**
 * A retained message, then a new subscription to its topic: the stored message should arrive with the retain
 * flag. `wildcard`: subscribe with a `+` filter that matches the topic instead (some brokers match retained
 * messages only against exact topics).
 */
export function probeRetain(s: ProbeSession, needed: boolean, wildcard = false): Promise<Check> {
  return guarded(s, wildcard ? RETAIN_WILDCARD : 'retain', async () => {
    const topic = s.topic(wildcard ? 'retain-w/t' : 'retain');
    const filter = wildcard ? s.topic('retain-w/+') : topic;
    const c = await s.connect();
    const o: RetainObservation = { arrived: false, retainFlag: false, cleared: false, ...(wildcard ? { filter } : {}) };
    try {
      await c.publish(topic, Buffer.from('mqbench doctor retain test'), 1, true);
    } catch (e) {
      return judgeRetain({ ...o, refused: reasonOf(e) }, needed);
    }
    try {
      // A subscription made after the publish gets the stored message, flagged as retained.
      await c.subscribe(filter, 1);
      o.arrived = await c.until(() => c.received.some((m) => m.topic === topic && m.payload.length > 0), ARRIVAL_MS);
      o.retainFlag = c.received.some((m) => m.topic === topic && m.payload.length > 0 && m.retained);
    } finally {
      // An empty retained payload deletes the stored message.
      o.cleared = await c.publish(topic, Buffer.alloc(0), 1, true).then(
        () => true,
        () => false,
      );
    }
    return judgeRetain(o, needed);
  });
}

export const SHARED_MESSAGES = 10;

export function probeShared(s: ProbeSession, needed: boolean): Promise<Check> {
  const filter = `$share/doctor/${s.topic('t')}`;
  return guarded(s, 'shared subscriptions', async () => {
    const topic = s.topic('t');
    const [a, b, pub] = [await s.connect(), await s.connect(), await s.connect()];
    const granted = [await a.subscribe(filter, 1), await b.subscribe(filter, 1)];
    if (granted.includes(128)) return judgeShared({ filter, refused: true, deliveries: [], perSubscriber: [0, 0] }, needed);
    for (let i = 0; i < SHARED_MESSAGES; i++) await pub.publish(topic, Buffer.from(`m${i}`), 1);
    const total = () => a.received.length + b.received.length;
    await Promise.race([a.until(() => total() >= SHARED_MESSAGES, ARRIVAL_MS), b.until(() => total() >= SHARED_MESSAGES, ARRIVAL_MS)]);
    await sleep(150); // time for duplicates to show up
    const deliveries = Array.from({ length: SHARED_MESSAGES }, (_, i) => {
      const body = `m${i}`;
      return [...a.received, ...b.received].filter((m) => m.topic === topic && m.payload.toString() === body).length;
    });
    return judgeShared({ filter, refused: false, deliveries, perSubscriber: [a.received.length, b.received.length] }, needed);
  });
}

export function probeBrokerVersion(s: ProbeSession): Promise<Check> {
  return guarded(s, 'broker version', async () => judgeBrokerVersion(await brokerVersion(s.driver, s.target)));
}

export const LATENCY_MESSAGES = 20;
/** Messages sent back to back per burst: Nagle's algorithm holds back a write only while an earlier one is unacknowledged. */
const BURST = 4;

/**
 * Publish→receive time of 20 QoS 0 messages on one connection, after one uncounted warm-up burst. They go in
 * bursts of 4: with strict one-at-a-time ping-pong each packet carries the ACK of the previous one, and a
 * broker without TCP no-delay never shows its ~40 ms (Nagle + delayed ACK) stall; the 2nd..4th of a burst do.
 */
export function probeLatency(s: ProbeSession, loopback: boolean): Promise<Check> {
  return guarded(s, 'TCP_NODELAY', async () => {
    const topic = s.topic('rtt');
    const c = await s.connect();
    await c.subscribe(topic, 0);
    const sentAt = new Map<number, number>();
    const send = (seq: number) => {
      const body = Buffer.alloc(8);
      body.writeUInt32BE(seq);
      sentAt.set(seq, performance.now());
      c.conn.publish(topic, body, 0, false, () => undefined);
    };
    const total = BURST + LATENCY_MESSAGES;
    for (let first = 0; first < total; first += BURST) {
      for (let seq = first; seq < first + BURST; seq++) send(seq);
      await c.until(() => c.received.length >= first + BURST, 1000);
    }
    const bursts: number[][] = Array.from({ length: LATENCY_MESSAGES / BURST }, () => []);
    for (const m of c.received) {
      const seq = m.payload.length >= 4 ? m.payload.readUInt32BE(0) : -1;
      const t0 = sentAt.get(seq);
      if (t0 !== undefined && seq >= BURST) bursts[Math.floor(seq / BURST) - 1]?.push(m.at - t0);
    }
    return judgeLatency(bursts, loopback, LATENCY_MESSAGES);
  });
}
