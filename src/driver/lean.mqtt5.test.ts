import type { Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { leanDriver } from './lean.js';
import { fakeBroker, scripted, noEvents, opts, until, type Fake } from './fakeBroker.test-helper.js';
import type { MessageMeta } from './driver.js';

type Pub = { topic: string; payload: Buffer; qos: number; properties?: Record<string, unknown> };
const pubs = (f: Fake) => f.got.filter((p) => p.cmd === 'publish') as unknown as Pub[];

describe('lean driver: MQTT 5 properties, topic aliases, request/response, unsubscribe', () => {
  const ctx = scripted();

  it('publish properties arrive as mqtt-packet reads them (user properties, content type, expiry, response topic, correlation data)', async () => {
    ctx.fake = await fakeBroker();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url, { protocolVersion: 5 }), noEvents());
    const props = {
      messageExpiryInterval: 60,
      contentType: 'application/json',
      userProperties: { site: 'ü-1', k: 'v' },
      responseTopic: 'resp/1',
      correlationData: Buffer.from([1, 2, 3]),
    };
    for (const qos of [0, 1, 2] as const) ctx.conn.publish('req/ü', Buffer.from(`m${qos}`), qos, false, () => {}, props);
    ctx.conn.publish('plain', Buffer.from('x'), 1, false, () => {});
    await until(() => pubs(ctx.fake!).length === 4);
    const got = pubs(ctx.fake);
    for (const [k, p] of got.slice(0, 3).entries()) {
      expect(p).toMatchObject({ topic: 'req/ü', qos: k });
      expect(String(p.payload)).toBe(`m${k}`);
      expect(p.properties).toEqual(props);
    }
    expect(got[3].properties).toBeUndefined();
  });

  it("topic aliases: assigned up to the broker's Topic Alias Maximum, then sent as alias only; other topics in full", async () => {
    ctx.fake = await fakeBroker();
    ctx.fake.connackProperties = { topicAliasMaximum: 2 };
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url, { protocolVersion: 5, topicAliases: true }), noEvents());
    for (const t of ['a', 'b', 'c', 'a', 'b', 'c', 'a']) ctx.conn.publish(t, Buffer.from(t), 0, false, () => {});
    await until(() => pubs(ctx.fake!).length === 7);
    expect(pubs(ctx.fake).map((p) => `${p.topic}|${(p.properties?.topicAlias as number | undefined) ?? '-'}`)).toEqual([
      'a|1',
      'b|2',
      'c|-',
      '|1',
      '|2',
      'c|-',
      '|1',
    ]);
    expect(pubs(ctx.fake).map((p) => String(p.payload))).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('topic aliases: none without a Topic Alias Maximum, none for a QoS 1 publish a resumable session keeps for a resend', async () => {
    ctx.fake = await fakeBroker();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url, { protocolVersion: 5, topicAliases: true }), noEvents());
    ctx.conn.publish('a', Buffer.from('1'), 0, false, () => {});
    ctx.conn.publish('a', Buffer.from('2'), 0, false, () => {});
    await until(() => pubs(ctx.fake!).length === 2);
    expect(pubs(ctx.fake).map((p) => p.properties)).toEqual([undefined, undefined]);
    ctx.conn.destroy();
    ctx.fake.connackProperties = { topicAliasMaximum: 5 };
    const session = leanDriver.newSession();
    ctx.conn = await leanDriver.connect(
      opts(ctx.fake.url, { protocolVersion: 5, topicAliases: true, clean: false, sessionExpirySec: 60, session }),
      noEvents(),
    );
    ctx.conn.publish('q', Buffer.from('3'), 1, false, () => {});
    ctx.conn.publish('q', Buffer.from('4'), 1, false, () => {});
    ctx.conn.publish('q', Buffer.from('5'), 0, false, () => {});
    ctx.conn.publish('q', Buffer.from('6'), 0, false, () => {});
    await until(() => pubs(ctx.fake!).length === 6);
    expect(
      pubs(ctx.fake)
        .slice(2)
        .map((p) => `${p.topic}|${(p.properties?.topicAlias as number | undefined) ?? '-'}`),
    ).toEqual(['q|-', 'q|-', 'q|1', '|1']);
  });

  it('incoming: topic aliases resolved; response topic and correlation data passed as meta', async () => {
    ctx.fake = await fakeBroker();
    const got: string[] = [];
    const metas: (MessageMeta | undefined)[] = [];
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url, { protocolVersion: 5 }), {
      onMessage: (t, p, _q, _r, meta) => {
        got.push(`${t}=${p.toString()}`);
        metas.push(meta);
      },
      onLost: () => {},
    });
    const pub = (topic: string, payload: string, properties?: Record<string, unknown>) =>
      ctx.fake!.send({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false, ...(properties ? { properties } : {}) });
    pub('long/topic/name', 'one', { topicAlias: 3 });
    pub('', 'two', { topicAlias: 3 });
    pub('req', 'three', { responseTopic: 'back/7', correlationData: Buffer.from('id7') });
    await until(() => got.length === 3);
    expect(got).toEqual(['long/topic/name=one', 'long/topic/name=two', 'req=three']);
    expect(metas[0]).toBeUndefined();
    expect(metas[2]).toEqual({ responseTopic: 'back/7', correlationData: Buffer.from('id7') });
  });

  it('unsubscribe sends UNSUBSCRIBE and resolves on UNSUBACK', async () => {
    ctx.fake = await fakeBroker((p, _s, f) => {
      if (p.cmd === 'unsubscribe') f.send({ cmd: 'unsuback', messageId: p.messageId } as Packet);
    });
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), noEvents());
    await ctx.conn.unsubscribe!(['a/#', 'b']);
    expect(ctx.fake.got.find((p) => p.cmd === 'unsubscribe')).toMatchObject({ unsubscriptions: ['a/#', 'b'] });
  });
});
