import { afterEach, describe, expect, it } from 'vitest';
import { mqttjsDriver } from './mqttjs.js';
import { fakeBroker, noEvents, opts, until, type Fake } from './fakeBroker.test-helper.js';
import type { Connection } from './driver.js';

describe('mqtt.js driver against a scripted broker', () => {
  let fake: Fake | null = null;
  let conn: Connection | null = null;
  afterEach(async () => {
    conn?.destroy();
    conn = null;
    await fake?.close();
    fake = null;
  });

  it('reports "keepalive timeout" when PINGREQ gets no answer (same words as the lean driver)', async () => {
    fake = await fakeBroker(); // answers CONNACK, never PINGRESP
    const ev = noEvents();
    conn = await mqttjsDriver.connect(opts(fake.url, { keepaliveSec: 1 }), ev);
    await until(() => ev.lost.length > 0, 6000);
    expect(ev.lost).toEqual(['keepalive timeout']);
    expect(fake.got.some((p) => p.cmd === 'pingreq')).toBe(true);
    conn = null;
  });

  it('a QoS 1 publish on a connection lost before its ack, without a session: SessionEnded once, after onLost', async () => {
    fake = await fakeBroker();
    const order: string[] = [];
    conn = await mqttjsDriver.connect(opts(fake.url), { onMessage: () => {}, onLost: (r) => void order.push(`lost:${r}`) });
    conn.publish('t', Buffer.from('x'), 1, false, (e) => order.push(`done:${e?.constructor.name}`));
    await until(() => fake!.got.some((p) => p.cmd === 'publish'));
    fake.sockets[0].destroy();
    await until(() => order.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['lost:closed by the broker right after a PUBLISH', 'done:SessionEnded']);
    expect(conn.inflight()).toBe(0);
    conn = null;
  });
});
