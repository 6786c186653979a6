import { describe, expect, it } from 'vitest';
import { mqttjsDriver } from './mqttjs.js';
import { fakeBroker, scripted, noEvents, opts, until } from './fakeBroker.test-helper.js';

describe('mqtt.js driver against a scripted broker', () => {
  const ctx = scripted();

  it('reports "keepalive timeout" when PINGREQ gets no answer (same words as the lean driver)', async () => {
    ctx.fake = await fakeBroker(); // answers CONNACK, never PINGRESP
    const ev = noEvents();
    ctx.conn = await mqttjsDriver.connect(opts(ctx.fake.url, { keepaliveSec: 1 }), ev);
    await until(() => ev.lost.length > 0, 6000);
    expect(ev.lost).toEqual(['keepalive timeout']);
    expect(ctx.fake.got.some((p) => p.cmd === 'pingreq')).toBe(true);
    ctx.conn = null;
  });

  it('a QoS 1 publish on a connection lost before its ack, without a session: SessionEnded once, after onLost', async () => {
    ctx.fake = await fakeBroker();
    const order: string[] = [];
    ctx.conn = await mqttjsDriver.connect(opts(ctx.fake.url), { onMessage: () => {}, onLost: (r) => void order.push(`lost:${r}`) });
    ctx.conn.publish('t', Buffer.from('x'), 1, false, (e) => order.push(`done:${e?.constructor.name}`));
    await until(() => ctx.fake!.got.some((p) => p.cmd === 'publish'));
    ctx.fake.sockets[0].destroy();
    await until(() => order.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['lost:closed by the broker right after a PUBLISH', 'done:SessionEnded']);
    expect(ctx.conn.inflight()).toBe(0);
    ctx.conn = null;
  });
});
