import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { leanDriver } from '../../src/driver/lean.js';
import { mqttjsDriver } from '../../src/driver/mqttjs.js';
import { NotSent, SessionEnded, type Connection, type ConnectionEvents, type ConnectOptions, type Driver } from '../../src/driver/driver.js';
import { startFaultProxy, type FaultCounts } from '../helpers/faultProxy.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { useFaultProxy } from '../helpers/useFaultProxy.js';
import { useMosquitto } from '../helpers/useMosquitto.js';

/**
 * The publish side of both drivers against independent truth: mosquitto's own `$SYS` counters, a
 * second client subscribed directly to the broker, and a fault proxy (between publisher and broker)
 * that stalls, holds back acks, kills connections and counts the frames the publisher really sent.
 */
const DRIVERS: Driver[] = [leanDriver, mqttjsDriver];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await sleep(10);
  }
}
const rand = () => Math.random().toString(16).slice(2, 8);
/** QoS 1/2 publishes per session test. */
const N = 10;

function events() {
  const ev = { lost: [] as string[], drains: 0 };
  const e: ConnectionEvents = { onMessage: () => {}, onLost: (r) => void ev.lost.push(r), onDrain: () => void ev.drains++ };
  return { ev, e };
}

async function mqttClient(url: string): Promise<MqttClient> {
  const c = mqtt.connect(url, { clientId: `truth-${rand()}`, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  return c;
}

/** mosquitto's count of PUBLISH packets received from clients ($SYS, refreshed every second). */
async function sysReceived(url: string) {
  const c = await mqttClient(url);
  const s = { value: -1, changedAt: Date.now(), client: c };
  c.on('message', (_t, p) => {
    s.value = Number(String(p));
    s.changedAt = Date.now();
  });
  await new Promise<void>((r) => c.subscribe('$SYS/broker/publish/messages/received', { qos: 0 }, () => r()));
  await until(() => s.value >= 0, 5000, '$SYS value');
  return {
    get value() {
      return s.value;
    },
    /** The value once it has not changed for 2.5 s after this call (mosquitto publishes it each second while it changes). */
    async settled(): Promise<number> {
      const from = Date.now();
      await until(() => Date.now() - Math.max(from, s.changedAt) > 2500, 30_000, '$SYS settled');
      return s.value;
    },
    end: () => c.end(true),
  };
}

/** A subscriber straight on the broker: how often each sequence number (first 4 payload bytes) arrived. */
async function subscriber(url: string, topic: string, qos: 0 | 1 | 2) {
  const c = await mqttClient(url);
  const seen = new Map<number, number>();
  let total = 0;
  c.on('message', (_t, p) => {
    total++;
    const k = p.readUInt32BE(0);
    seen.set(k, (seen.get(k) ?? 0) + 1);
  });
  await new Promise<void>((r) => c.subscribe(topic, { qos }, () => r()));
  return {
    seen,
    get total() {
      return total;
    },
    end: () => c.end(true),
  };
}

function seqPayload(k: number, size = 16): Buffer {
  const b = Buffer.alloc(size, 0x5a);
  b.writeUInt32BE(k, 0);
  return b;
}

const delta = (a: FaultCounts, b: FaultCounts) => ({
  clientPublishes: b.clientPublishes - a.clientPublishes,
  clientDups: b.clientDups - a.clientDups,
  clientPubrels: b.clientPubrels - a.clientPubrels,
  acksHeld: b.acksHeld - a.acksHeld,
});

describe('publish truth: QoS 0 "sent" is what the broker received, under back-pressure', () => {
  const { mosq, proxy } = useFaultProxy(['sys_interval 1']);

  for (const driver of DRIVERS) {
    it(`${driver.name}: offered far above what the socket drains, then closed with data stuck: done() == $SYS received == subscriber; NotSent for the rest`, async () => {
      const topic = `truth/q0/${driver.name}/${rand()}`;
      const sys = await sysReceived(mosq.url);
      const before = await sys.settled();
      const sub = await subscriber(mosq.url, topic, 0);
      const { ev, e } = events();
      const conn = await driver.connect(
        { url: proxy.url, clientId: `q0-${driver.name}-${rand()}`, protocolVersion: 4, clean: true, keepaliveSec: 30, timeoutMs: 5000 },
        e,
      );
      const ok = new Set<number>();
      const other: string[] = [];
      let notSent = 0;
      let attempts = 0;
      const publishOne = () => {
        const k = attempts++;
        conn.publish(topic, seqPayload(k, 4096), 0, false, (err) => {
          if (!err) ok.add(k);
          else if (err instanceof NotSent) notSent++;
          else other.push(err.message);
        });
      };
      // 16 messages of 4 KB per event-loop turn while the socket takes them: writes hold many messages,
      // and the one cut short when the socket is destroyed must still be counted message by message.
      const turn = () => {
        for (let k = 0; k < 16; k++) publishOne();
        return new Promise((r) => setImmediate(r));
      };
      const run = async (ms: number, max: number) => {
        const end = Date.now() + ms;
        while (Date.now() < end && attempts < max) {
          if (conn.writable()) await turn();
          else await new Promise((r) => setImmediate(r));
        }
      };
      await run(1500, 4800);
      const drainsBefore = ev.drains;
      proxy.setRules({ stall: true }); // the broker side stops reading: the socket fills up
      try {
        const stalledAt = attempts;
        while (conn.writable() && attempts < 100_000) await turn();
        expect(conn.writable()).toBe(false);
        await run(300, 100_000); // still trying: nothing more goes
        expect(attempts - stalledAt).toBeGreaterThan(0);
        // Ignoring writable(): these wait in Node's buffer (or are refused past 8 MiB), more than the
        // kernel's buffers can grow to take in the 2 s end() waits.
        for (let k = 0; k < 2400; k++) publishOne();
        await conn.end(); // waits 2 s for the flush, then destroys the socket
      } finally {
        proxy.setRules({}); // what reached the kernel still flows to the broker
      }
      expect(ev.drains).toBeGreaterThanOrEqual(drainsBefore);
      const after = await sys.settled();
      await until(() => sub.total >= ok.size, 10_000, 'subscriber');
      await sleep(300);
      expect(other).toEqual([]);
      expect(ok.size + notSent).toBe(attempts);
      expect(notSent).toBeGreaterThan(0);
      expect(after - before).toBe(ok.size);
      expect(sub.total).toBe(ok.size);
      expect([...sub.seen.keys()].every((k) => ok.has(k))).toBe(true);
      sys.end();
      sub.end();
    }, 60_000);
  }
});

describe('publish truth: QoS 1/2 re-sent after a reconnect with a persistent session', () => {
  const { mosq, proxy } = useFaultProxy();

  const flows = [
    { name: 'QoS 1, PUBACKs held', qos: 1 as const, hold: true as const, want: 'puback' },
    { name: 'QoS 2, PUBRECs held', qos: 2 as const, hold: true as const, want: 'pubcomp' },
    { name: 'QoS 2, killed between PUBREC and PUBCOMP', qos: 2 as const, hold: ['pubcomp' as const], want: 'pubcomp' },
  ];
  for (const driver of DRIVERS) {
    for (const protocolVersion of [4, 5] as const) {
      for (const flow of flows) {
        it(`${driver.name}, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}, ${flow.name}: re-sent with DUP (or PUBREL), every done once, the subscriber gets every message (QoS 2: once)`, async () => {
          const clientId = `ps-${driver.name}-${protocolVersion}-${rand()}`;
          const topic = `truth/session/${clientId}`;
          const sub = await subscriber(mosq.url, topic, 2);
          const session = driver.newSession();
          const o: ConnectOptions = {
            url: proxy.url,
            clientId,
            protocolVersion,
            clean: false,
            keepaliveSec: 30,
            timeoutMs: 5000,
            session,
            ...(protocolVersion === 5 ? { sessionExpirySec: 300 } : {}),
          };
          proxy.setRules({ holdAcks: flow.hold });
          const c0 = proxy.counts();
          const first = events();
          const c1 = await driver.connect(o, first.e);
          const dones = new Map<number, string[]>();
          for (let k = 0; k < N; k++) {
            c1.publish(topic, seqPayload(k), flow.qos, false, (err, ack) => {
              dones.set(k, [...(dones.get(k) ?? []), err ? err.constructor.name : (ack ?? '?')]);
            });
          }
          await until(() => proxy.counts().acksHeld - c0.acksHeld === N, 10_000, 'acks held');
          if (flow.hold !== true) await until(() => proxy.counts().clientPubrels - c0.clientPubrels === N, 5000, 'PUBRELs');
          expect(dones.size).toBe(0);
          expect(session.pending()).toBe(N);
          expect(proxy.kill(clientId)).toBe(1);
          await until(() => first.ev.lost.length === 1, 5000, 'onLost');
          expect(dones.size).toBe(0); // the session holds them
          proxy.setRules({});
          const c2: Connection = await driver.connect(o, events().e);
          expect(c2.sessionPresent).toBe(true);
          await until(() => dones.size === N, 10_000, 'all done');
          await until(() => sub.seen.size === N, 10_000, 'all received');
          await sleep(300); // a second done or a duplicate delivery would show by now
          for (let k = 0; k < N; k++) expect(dones.get(k), `done of message ${k}`).toEqual([flow.want]);
          expect(session.pending()).toBe(0);
          const d = delta(c0, proxy.counts());
          if (flow.hold === true) {
            expect(d.clientPublishes).toBe(2 * N);
            expect(d.clientDups).toBe(N);
            expect(d.clientPubrels).toBe(flow.qos === 2 ? N : 0);
          } else {
            expect(d.clientPublishes).toBe(N);
            expect(d.clientDups).toBe(0);
            expect(d.clientPubrels).toBe(2 * N);
          }
          for (let k = 0; k < N; k++) {
            const times = sub.seen.get(k) ?? 0;
            if (flow.qos === 2) expect(times, `message ${k}`).toBe(1);
            else expect(times, `message ${k}`).toBeGreaterThanOrEqual(1);
          }
          await c2.end();
          sub.end();
        }, 30_000);
      }
    }
  }

  for (const driver of DRIVERS) {
    it(`${driver.name}: a clean session fails its unacknowledged publishes with SessionEnded when the connection dies (the subscriber shows the broker had them)`, async () => {
      const clientId = `clean-${driver.name}-${rand()}`;
      const topic = `truth/clean/${clientId}`;
      const sub = await subscriber(mosq.url, topic, 1);
      const session = driver.newSession();
      proxy.setRules({ holdAcks: true });
      const c0 = proxy.counts();
      const { ev, e } = events();
      const conn = await driver.connect({ url: proxy.url, clientId, protocolVersion: 4, clean: true, keepaliveSec: 30, timeoutMs: 5000, session }, e);
      const dones: string[] = [];
      for (let k = 0; k < N; k++) conn.publish(topic, seqPayload(k), 1, false, (err, ack) => void dones.push(err ? err.constructor.name : (ack ?? '?')));
      await until(() => proxy.counts().acksHeld - c0.acksHeld === N, 10_000, 'acks held');
      proxy.kill(clientId);
      await until(() => ev.lost.length === 1 && dones.length === N, 5000, 'lost + dones');
      proxy.setRules({});
      expect(dones).toEqual(Array(N).fill(SessionEnded.name));
      expect(session.pending()).toBe(0);
      await until(() => sub.seen.size === N, 5000, 'subscriber');
      sub.end();
    });
  }
});

describe('publish truth: a broker that lost the session (restart) → SessionEnded, nothing re-sent', () => {
  for (const driver of DRIVERS) {
    it(`${driver.name}: CONNACK session present = 0 after a broker restart`, async () => {
      const mosq = await startMosquitto();
      const proxy = await startFaultProxy({ host: '127.0.0.1', port: mosq.port });
      try {
        const clientId = `restart-${driver.name}-${rand()}`;
        const session = driver.newSession();
        const o: ConnectOptions = { url: proxy.url, clientId, protocolVersion: 4, clean: false, keepaliveSec: 30, timeoutMs: 5000, session };
        proxy.setRules({ holdAcks: true });
        const { ev, e } = events();
        const c1 = await driver.connect(o, e);
        const dones: string[] = [];
        for (let k = 0; k < N; k++)
          c1.publish('truth/restart', seqPayload(k), 2, false, (err, ack) => void dones.push(err ? err.constructor.name : (ack ?? '?')));
        await until(() => proxy.counts().acksHeld === N, 10_000, 'acks held');
        proxy.kill(clientId);
        await until(() => ev.lost.length === 1, 5000, 'onLost');
        expect(dones).toEqual([]);
        await mosq.restart(); // persistence false: the session is gone
        proxy.setRules({});
        const before = proxy.counts();
        const c2 = await driver.connect(o, events().e);
        expect(c2.sessionPresent).toBe(false);
        await until(() => dones.length === N, 5000, 'dones');
        expect(dones).toEqual(Array(N).fill(SessionEnded.name));
        expect(session.pending()).toBe(0);
        await sleep(100);
        expect(proxy.counts().clientPublishes - before.clientPublishes).toBe(0);
        await c2.end();
      } finally {
        await proxy.close();
        await mosq.stop();
      }
    });
  }
});

describe('close reasons name the cause (mosquitto refuses a PUBLISH to a wildcard topic)', () => {
  const mosq = useMosquitto();

  for (const driver of DRIVERS) {
    for (const protocolVersion of [4, 5] as const) {
      it(`${driver.name}, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}: ${protocolVersion === 5 ? 'the DISCONNECT reason' : '"closed by the broker right after a PUBLISH"'}`, async () => {
        const { ev, e } = events();
        const conn = await driver.connect({ url: mosq.url, clientId: `bad-${rand()}`, protocolVersion, clean: true, keepaliveSec: 30, timeoutMs: 5000 }, e);
        await sleep(100); // nothing published for a while: a close now would not follow a PUBLISH
        conn.publish('a/+/b', Buffer.from('x'), 0, false, () => {});
        await until(() => ev.lost.length === 1, 5000, 'onLost');
        // mosquitto 2.0 answers a wildcard in a PUBLISH topic with DISCONNECT 0x82 under MQTT 5, a bare close under 3.1.1.
        expect(ev.lost[0]).toBe(protocolVersion === 5 ? 'broker sent DISCONNECT: Protocol Error' : 'closed by the broker right after a PUBLISH');
      });
    }
  }
});
