import type { Packet } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { leanDriver } from './lean.js';
import { mqttjsDriver } from './mqttjs.js';
import { MqttjsSession } from './mqttjsSession.js';
import { fakeBroker, noEvents, opts, sleep, until, type Fake } from './fakeBroker.test-helper.js';
import { NotSent, SessionEnded, type Connection, type ConnectOptions, type OutboundSession } from './driver.js';

type Pub = { cmd: 'publish'; topic: string; messageId: number; dup: boolean; qos: number; payload: Buffer };

/** Every done call of each publish, by name: "puback", "pubcomp", or the error's class. */
function outcomes() {
  const got = new Map<string, string[]>();
  const done = (name: string) => (err?: Error, ack?: string) => {
    const list = got.get(name) ?? [];
    list.push(err ? err.constructor.name : (ack ?? 'ok'));
    got.set(name, list);
  };
  return { got, done };
}

/** A broker that answers nothing at first; `acking` makes it complete every flow (PUBREC for QoS 2, PUBCOMP on PUBREL). */
async function silentBroker() {
  const b = { acking: false, recOnly: new Set<string>() };
  const fake = await fakeBroker((p, s, f) => {
    if (p.cmd === 'publish') {
      const pub = p as Pub;
      if (b.acking || b.recOnly.has(pub.topic))
        f.send(pub.qos === 1 ? { cmd: 'puback', messageId: pub.messageId } : { cmd: 'pubrec', messageId: pub.messageId }, s);
    }
    if (p.cmd === 'pubrel' && b.acking) f.send({ cmd: 'pubcomp', messageId: p.messageId }, s);
  });
  return { fake, b };
}

/** Publishes while writable() allows until it stays false for 50 ms (a broker that does not read), at most 200. */
async function fill(c: Connection, publishOne: () => void, count: () => number): Promise<void> {
  for (;;) {
    while (c.writable() && count() < 200) publishOne();
    await sleep(50);
    if (!c.writable() || count() >= 200) return;
  }
}

const sinceConnect = (f: Fake, nth: number): Packet[] => {
  let seen = 0;
  const k = f.got.findIndex((p) => p.cmd === 'connect' && ++seen === nth);
  return f.got.slice(k + 1);
};

for (const driver of [leanDriver, mqttjsDriver])
  describe(`${driver.name} outbound session: resend after a reconnect`, () => {
    let fake: Fake | null = null;
    const conns: Connection[] = [];
    afterEach(async () => {
      for (const c of conns.splice(0)) c.destroy();
      await fake?.close();
      fake = null;
    });

    for (const protocolVersion of [4, 5] as const) {
      it(`MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}: session present → DUP re-sends with the same ids, PUBREL once PUBREC came; every done once`, async () => {
        const sb = await silentBroker();
        fake = sb.fake;
        sb.b.recOnly.add('rec');
        const session = driver.newSession();
        const o: ConnectOptions = opts(fake.url, { protocolVersion, clean: false, sessionExpirySec: protocolVersion === 5 ? 60 : undefined, session });
        const ev = noEvents();
        const c1 = await driver.connect(o, ev);
        conns.push(c1);
        const { got, done } = outcomes();
        c1.publish('a', Buffer.from('1'), 1, false, done('a'));
        c1.publish('rec', Buffer.from('2'), 2, false, done('rec'));
        c1.publish('b', Buffer.from('3'), 2, false, done('b'));
        c1.publish('c', Buffer.from('4'), 1, false, done('c'));
        await until(() => fake!.got.some((p) => p.cmd === 'pubrel'));
        const first = fake.got.filter((p) => p.cmd === 'publish') as Pub[];
        const ids = Object.fromEntries(first.map((p) => [p.topic, p.messageId]));
        expect(first.map((p) => p.dup)).toEqual([false, false, false, false]);
        fake.sockets[0].destroy();
        await until(() => ev.lost.length === 1);
        expect(got.size).toBe(0); // nothing failed: the session holds them
        expect(session.pending()).toBe(4);
        expect(c1.inflight()).toBe(4);

        fake.sessionPresent = true;
        sb.b.acking = true;
        const c2 = await driver.connect(o, noEvents());
        conns.push(c2);
        expect(c2.sessionPresent).toBe(true);
        // Ids are free again only once completed: a new publish never takes a held one.
        (session as unknown as { nextId: number }).nextId = ids.a;
        const stillHeld = session.pending(); // lean: all 4 (re-sent, not yet acked); mqtt.js: 0 (it waited for their acks)
        c2.publish('new', Buffer.from('5'), 1, false, done('new'));
        await until(() => got.size === 5);
        const again = sinceConnect(fake, 2).filter((p) => p.cmd === 'publish' || p.cmd === 'pubrel') as (Pub | { cmd: 'pubrel'; messageId: number })[];
        const words = again.map((p) => (p.cmd === 'publish' ? `publish ${p.topic} ${p.messageId} dup=${p.dup}` : `pubrel ${p.messageId}`));
        // The held ones go first and in their order (mqtt.js re-sends one at a time, so b's own PUBREL may come between).
        const resent = [`publish a ${ids.a} dup=true`, `pubrel ${ids.rec}`, `publish b ${ids.b} dup=true`, `publish c ${ids.c} dup=true`];
        const at = resent.map((w) => words.indexOf(w));
        expect(
          at.every((k, i) => k >= 0 && (i === 0 || k > at[i - 1])),
          words.join(' | '),
        ).toBe(true);
        const fresh = again.find((p) => p.cmd === 'publish' && p.topic === 'new') as Pub;
        expect(words.indexOf(`publish new ${fresh.messageId} dup=false`)).toBeGreaterThan(at[3]);
        if (stillHeld > 0) expect(Object.values(ids)).not.toContain(fresh.messageId);
        await sleep(50);
        expect(Object.fromEntries(got)).toEqual({ a: ['puback'], rec: ['pubcomp'], b: ['pubcomp'], c: ['puback'], new: ['puback'] });
        expect(session.pending()).toBe(0);
      });
    }

    /**
     * A persistent session whose broker stops reading: 512 KB QoS 1 publishes until the socket is full, 3 more
     * surely still in Node's buffer, then the broker resets the connection: a prefix was written, the rest not.
     */
    async function halfWritten() {
      const sb = await silentBroker();
      fake = sb.fake;
      const session = driver.newSession();
      const o = opts(sb.fake.url, { clean: false, session });
      const ev = noEvents();
      const c1 = await driver.connect(o, ev);
      conns.push(c1);
      sb.fake.sockets[0].pause();
      const { got, done } = outcomes();
      const big = Buffer.alloc(512 * 1024, 1);
      let n = 0;
      await fill(
        c1,
        () => c1.publish('big', big, 1, false, done(`m${n++}`)),
        () => n,
      );
      for (let k = 0; k < 3; k++) c1.publish('big', big, 1, false, done(`m${n++}`));
      await sleep(100);
      sb.fake.sockets[0].destroy(); // unread data: a reset
      await until(() => ev.lost.length === 1);
      expect(session.pending()).toBe(n);
      return { sb, session, o, got, n };
    }

    it('session present = 0 after a reconnect: SessionEnded for what was written, NotSent for what never left', async () => {
      const { session, o, got, n } = await halfWritten();
      const c2 = await driver.connect(o, noEvents()); // fake.sessionPresent is false
      conns.push(c2);
      await until(() => got.size === n);
      const kinds = [...Array(n).keys()].map((k) => got.get(`m${k}`)!.join());
      const written = kinds.filter((k) => k === SessionEnded.name).length;
      expect(written).toBeGreaterThan(0);
      expect(kinds.slice(written).every((k) => k === NotSent.name)).toBe(true); // a prefix was written, the rest not
      expect(n - written).toBeGreaterThanOrEqual(3);
      expect(session.pending()).toBe(0);
    });

    it('a resumed session re-sends never-written publishes with DUP = 0', async () => {
      const { sb, o, got, n } = await halfWritten();
      sb.fake.sessionPresent = true;
      sb.b.acking = true;
      const c2 = await driver.connect(o, noEvents());
      conns.push(c2);
      await until(() => got.size === n, 10_000);
      const resent = sinceConnect(sb.fake, 2).filter((p) => p.cmd === 'publish') as Pub[];
      expect(resent.length).toBe(n);
      const dups = resent.map((p) => p.dup);
      const firstFresh = dups.indexOf(false);
      expect(firstFresh).toBeGreaterThan(0);
      expect(dups.slice(firstFresh).every((d) => !d)).toBe(true);
      expect([...got.values()].every((v) => v.join() === 'puback')).toBe(true);
    });

    it('a broker that resumes the session but does not ack the re-sends: they stay held for the next connect (mqtt.js: connect() waits for them and times out)', async () => {
      const sb = await silentBroker();
      fake = sb.fake;
      const session = driver.newSession();
      const o = opts(fake.url, { clean: false, session, timeoutMs: 500 });
      const ev = noEvents();
      const c1 = await driver.connect(o, ev);
      conns.push(c1);
      const { got, done } = outcomes();
      for (let k = 0; k < 3; k++) c1.publish('q', Buffer.from(String(k)), 1, false, done(`m${k}`));
      await until(() => fake!.got.filter((p) => p.cmd === 'publish').length === 3);
      fake.sockets[0].destroy();
      await until(() => ev.lost.length === 1);
      fake.sessionPresent = true; // ... and still no acks
      const second = await driver.connect(o, noEvents()).catch((e: unknown) => e);
      if (driver.name === 'mqttjs') {
        expect(String(second)).toMatch(/re-sent publishes were not acknowledged within 500 ms/);
      } else {
        conns.push(second as Connection);
        await until(() => fake!.got.filter((p) => p.cmd === 'publish').length === 6);
        (second as Connection).destroy();
      }
      await sleep(100);
      expect(got.size).toBe(0);
      expect(session.pending()).toBe(3);
      sb.b.acking = true;
      const third = await driver.connect(o, noEvents());
      conns.push(third);
      await until(() => got.size === 3);
      expect([...got.values()].map((v) => v.join())).toEqual(['puback', 'puback', 'puback']);
    });

    it('a clean session (or MQTT 5 without session expiry) fails its pending publishes with SessionEnded when the connection closes', async () => {
      for (const over of [{ clean: true }, { clean: false, protocolVersion: 5 as const }]) {
        const sb = await silentBroker();
        fake = sb.fake;
        const session: OutboundSession = driver.newSession();
        const ev = noEvents();
        const c = await driver.connect(opts(fake.url, { ...over, session }), ev);
        conns.push(c);
        const { got, done } = outcomes();
        c.publish('a', Buffer.from('1'), 1, false, done('a'));
        c.publish('b', Buffer.from('2'), 2, false, done('b'));
        await until(() => fake!.got.filter((p) => p.cmd === 'publish').length === 2);
        expect(session.pending()).toBe(2);
        fake.sockets[0].destroy();
        await until(() => got.size === 2);
        expect(Object.fromEntries(got)).toEqual({ a: ['SessionEnded'], b: ['SessionEnded'] });
        expect(session.pending()).toBe(0);
        await fake.close();
      }
      fake = null;
    });

    it('abandon(err): every held publish fails once with it; a late ack is ignored', async () => {
      const sb = await silentBroker();
      fake = sb.fake;
      const session = driver.newSession();
      const c = await driver.connect(opts(fake.url, { clean: false, session }), noEvents());
      conns.push(c);
      const { got, done } = outcomes();
      c.publish('a', Buffer.from('1'), 1, false, done('a'));
      await until(() => fake!.got.some((p) => p.cmd === 'publish'));
      await sleep(20); // the write callback has run: it counts as written
      const id = (fake.got.find((p) => p.cmd === 'publish') as Pub).messageId;
      session.abandon(new SessionEnded('run ended'));
      fake.send({ cmd: 'puback', messageId: id });
      await sleep(50);
      expect(Object.fromEntries(got)).toEqual({ a: ['SessionEnded'] });
      expect(c.inflight()).toBe(0);
    });

    it('MQTT 5: CONNACK Receive Maximum is exposed; a DISCONNECT reason names the loss', async () => {
      fake = await fakeBroker();
      fake.connackProperties = { receiveMaximum: 7 };
      const ev = noEvents();
      const c = await driver.connect(opts(fake.url, { protocolVersion: 5 }), ev);
      conns.push(c);
      expect(c.receiveMaximum).toBe(7);
      fake.send({ cmd: 'disconnect', reasonCode: 0x97 });
      fake.sockets[0].end();
      await until(() => ev.lost.length === 1);
      expect(ev.lost).toEqual(['broker sent DISCONNECT: Quota exceeded']);
      const plain = await driver.connect(opts(fake.url, { protocolVersion: 4 }), noEvents());
      conns.push(plain);
      expect(plain.receiveMaximum).toBeUndefined();
    });

    it('a session from another driver is refused', async () => {
      fake = await fakeBroker();
      const err = await driver.connect(opts(fake.url, { session: { pending: () => 0, abandon: () => {} } }), noEvents()).catch((e: unknown) => e);
      expect(String(err)).toMatch(/another driver/);
    });
  });

describe('mqtt.js session as store and packet-id source', () => {
  it('allocates ids skipping those it holds (also across clients) and those in use; keeps PUBREL in the PUBLISH place', () => {
    const s = new MqttjsSession();
    const put = (id: number, cmd: 'publish' | 'pubrel' = 'publish') =>
      s.put({ cmd, messageId: id, qos: 1, topic: 't', payload: '', dup: false, retain: false } as never, () => {});
    put(1);
    put(2);
    put(3);
    expect(s.allocate()).toBe(4); // nextId starts at 1: 1-3 are held
    expect(s.register(4)).toBe(false);
    s.clear(); // a new client: in-use ids forgotten, held ones still skipped
    (s as unknown as { nextId: number }).nextId = 2;
    expect(s.allocate()).toBe(4);
    put(2, 'pubrel');
    const order: string[] = [];
    s.createStream(); // no client attached: yields nothing, fails nothing
    expect(s.pending()).toBe(3);
    s.del({ messageId: 1 }, (err, p) => order.push(`${err?.message ?? 'ok'}:${(p as { cmd?: string } | undefined)?.cmd}`));
    s.del({ messageId: 1 }, (err) => order.push(err?.message ?? 'ok'));
    s.get({ messageId: 2 }, (_e, p) => order.push(`get:${(p as { cmd: string }).cmd}`));
    expect(order).toEqual(['ok:publish', 'missing packet', 'get:pubrel']);
    expect(s.pending()).toBe(2);
  });
});
