import { describe, expect, it } from 'vitest';
import { leanDriver } from './lean.js';
import { mqttjsDriver } from './mqttjs.js';
import { fakeBroker, scripted, noEvents, opts, sleep, until, type Fake } from './fakeBroker.test-helper.js';
import { NotSent, type Connection } from './driver.js';

/** What became of a batch of QoS 0 publishes: done() without error, or NotSent. */
function tally() {
  const t = { ok: 0, notSent: 0, other: [] as string[], order: [] as number[] };
  const done = (k: number) => (err?: Error) => {
    if (!err) {
      t.ok++;
      t.order.push(k);
    } else if (err instanceof NotSent) t.notSent++;
    else t.other.push(err.message);
  };
  return { t, done };
}

const BIG = Buffer.alloc(64 * 1024, 7); // one publish per chunk: its frame is over the early-flush size

/**
 * Publishes on a connection whose broker does not read, while writable() allows, until it stays false
 * for 50 ms (the socket cannot drain: the kernel's buffers are full). Bounded.
 */
async function fillUntilBlocked(conn: Connection, done: (k: number) => (err?: Error) => void): Promise<number> {
  let n = 0;
  for (;;) {
    while (conn.writable() && n < 5000) conn.publish('big', BIG, 0, false, done(n++));
    await sleep(50);
    if (!conn.writable() || n >= 5000) return n;
  }
}

const publishes = (f: Fake) => f.got.filter((p) => p.cmd === 'publish').length;

for (const driver of [leanDriver, mqttjsDriver])
  describe(`${driver.name} output: "sent" means handed to the kernel, with back-pressure`, () => {
    const ctx = scripted();

    it('QoS 0 done() comes after the socket write, never inside publish(), in publish order', async () => {
      ctx.fake = await fakeBroker();
      ctx.conn = await driver.connect(opts(ctx.fake.url), noEvents());
      const { t, done } = tally();
      for (let k = 0; k < 1000; k++) ctx.conn.publish(`t/${k % 7}`, Buffer.from(String(k)), 0, false, done(k));
      expect(t.ok + t.notSent).toBe(0);
      await until(() => t.ok === 1000);
      expect(t.order).toEqual([...Array(1000).keys()]);
      await until(() => publishes(ctx.fake!) === 1000);
    });

    it('a broker that stops reading: writable() turns false, dones wait, onDrain when it reads again; every message arrives once', async () => {
      ctx.fake = await fakeBroker();
      let drains = 0;
      ctx.conn = await driver.connect(opts(ctx.fake.url), { ...noEvents(), onDrain: () => void drains++ });
      ctx.fake.sockets[0].pause();
      const { t, done } = tally();
      const n = await fillUntilBlocked(ctx.conn, done);
      expect(n).toBeLessThan(5000); // the kernel's buffers hold a few MB: far fewer than 5000 × 64 KB
      expect(ctx.conn.writable()).toBe(false);
      const blockedDrains = drains;
      await sleep(100);
      expect(t.ok).toBeLessThan(n); // not all of it reached the kernel: those are not "sent" yet
      expect(drains).toBe(blockedDrains);
      ctx.fake.sockets[0].resume();
      await until(() => drains > blockedDrains && t.ok === n);
      expect(ctx.conn.writable()).toBe(true);
      expect(t.notSent).toBe(0);
      await until(() => publishes(ctx.fake!) === n);
    });

    it('destroy() with data unwritten: NotSent for exactly the messages the broker never got', async () => {
      ctx.fake = await fakeBroker();
      ctx.conn = await driver.connect(opts(ctx.fake.url), noEvents());
      const s = ctx.fake.sockets[0];
      s.pause();
      const { t, done } = tally();
      const n = (await fillUntilBlocked(ctx.conn, done)) + 10; // and 10 more, ignoring writable()
      for (let k = n - 10; k < n; k++) ctx.conn.publish('big', BIG, 0, false, done(k));
      await sleep(100);
      ctx.conn.destroy();
      ctx.conn = null;
      await until(() => t.ok + t.notSent === n);
      expect(t.other).toEqual([]);
      expect(t.notSent).toBeGreaterThan(10);
      // What reached the kernel still arrives (a close after it): the broker gets exactly the "sent" ones.
      const closed = new Promise<void>((r) => s.once('close', () => r()));
      s.resume();
      await closed;
      await sleep(50);
      expect(publishes(ctx.fake)).toBe(t.ok);
    });

    it('end() waits for the flush: everything published before it is written, then DISCONNECT', async () => {
      ctx.fake = await fakeBroker();
      const c = await driver.connect(opts(ctx.fake.url), noEvents());
      ctx.fake.sockets[0].pause();
      const { t, done } = tally();
      const n = await fillUntilBlocked(c, done);
      let ended = false;
      const ending = c.end().then(() => (ended = true));
      await sleep(300);
      expect(ended).toBe(false);
      ctx.fake.sockets[0].resume();
      await ending;
      expect(t.ok).toBe(n);
      await until(() => ctx.fake!.got.some((p) => p.cmd === 'disconnect'));
      expect(publishes(ctx.fake)).toBe(n);
      expect(ctx.fake.got[ctx.fake.got.length - 1].cmd).toBe('disconnect');
    });

    it('end() against a broker that never reads: destroyed after 2 s; NotSent for what it never got (the write in progress included)', async () => {
      ctx.fake = await fakeBroker();
      const c = await driver.connect(opts(ctx.fake.url), noEvents());
      const s = ctx.fake.sockets[0];
      s.pause();
      const { t, done } = tally();
      const n = await fillUntilBlocked(c, done);
      const began = Date.now();
      await c.end();
      expect(Date.now() - began).toBeGreaterThanOrEqual(1900);
      await until(() => t.ok + t.notSent === n);
      expect(t.notSent).toBeGreaterThan(0);
      const closed = new Promise<void>((r) => s.once('close', () => r()));
      s.resume();
      await closed;
      await sleep(50);
      expect(publishes(ctx.fake)).toBe(t.ok);
    });

    it('a caller that ignores writable() is refused with NotSent past 8 MiB queued, at once; the rest arrives', async () => {
      ctx.fake = await fakeBroker();
      ctx.conn = await driver.connect(opts(ctx.fake.url), noEvents());
      ctx.fake.sockets[0].pause();
      const { t, done } = tally();
      const n = 400; // 25 MiB
      for (let k = 0; k < n; k++) ctx.conn.publish('big', BIG, 0, false, done(k));
      const refused = t.notSent;
      expect(refused).toBeGreaterThan(100);
      expect(t.ok).toBe(0);
      ctx.fake.sockets[0].resume();
      await until(() => t.ok === n - refused);
      expect(t.notSent).toBe(refused);
      await until(() => publishes(ctx.fake!) === n - refused);
    });
  });
