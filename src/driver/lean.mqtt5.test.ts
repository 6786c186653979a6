import type { Packet } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { leanDriver } from './lean.js';
import { fakeBroker, noEvents, opts, until, type Fake } from './fakeBroker.test-helper.js';
import type { Connection, MessageMeta } from './driver.js';

type Pub = { topic: string; payload: Buffer; qos: number; properties?: Record<string, unknown> };
const pubs = (f: Fake) => f.got.filter((p) => p.cmd === 'publish') as unknown as Pub[];

describe('lean driver: MQTT 5 properties, topic aliases, request/response, unsubscribe', () => {
  let fake: Fake | null = null;
  let conn: Connection | null = null;
  afterEach(async () => {
    conn?.destroy();
    conn = null;
    await fake?.close();
    fake = null;
  });

  it('publish properties arrive as mqtt-packet reads them (user properties, content type, expiry, response topic, correlation data)', async () => {
    fake = await fakeBroker();
    conn = await leanDriver.connect(opts(fake.url, { protocolVersion: 5 }), noEvents());
    const props = {
      messageExpiryInterval: 60,
      contentType: 'application/json',
      userProperties: { site: 'ü-1', k: 'v' },
      responseTopic: 'resp/1',
      correlationData: Buffer.from([1, 2, 3]),
    };
    for (const qos of [0, 1, 2] as const) conn.publish('req/ü', Buffer.from(`m${qos}`), qos, false, () => {}, props);
    conn.publish('plain', Buffer.from('x'), 1, false, () => {});
    await until(() => pubs(fake!).length === 4);
    const got = pubs(fake);
    for (const [k, p] of got.slice(0, 3).entries()) {
      expect(p).toMatchObject({ topic: 'req/ü', qos: k });
      expect(String(p.payload)).toBe(`m${k}`);
      expect(p.properties).toEqual(props);
    }
    expect(got[3].properties).toBeUndefined();
  });

  it("topic aliases: assigned up to the broker's Topic Alias Maximum, then sent as alias only; other topics in full", async () => {
    fake = await fakeBroker();
    fake.connackProperties = { topicAliasMaximum: 2 };
    conn = await leanDriver.connect(opts(fake.url, { protocolVersion: 5, topicAliases: true }), noEvents());
    for (const t of ['a', 'b', 'c', 'a', 'b', 'c', 'a']) conn.publish(t, Buffer.from(t), 0, false, () => {});
    await until(() => pubs(fake!).length === 7);
    expect(pubs(fake).map((p) => `${p.topic}|${(p.properties?.topicAlias as number | undefined) ?? '-'}`)).toEqual([
      'a|1',
      'b|2',
      'c|-',
      '|1',
      '|2',
      'c|-',
      '|1',
    ]);
    expect(pubs(fake).map((p) => String(p.payload))).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('topic aliases: none without a Topic Alias Maximum, none for a QoS 1 publish a resumable session keeps for a resend', async () => {
    fake = await fakeBroker();
    conn = await leanDriver.connect(opts(fake.url, { protocolVersion: 5, topicAliases: true }), noEvents());
    conn.publish('a', Buffer.from('1'), 0, false, () => {});
    conn.publish('a', Buffer.from('2'), 0, false, () => {});
    await until(() => pubs(fake!).length === 2);
    expect(pubs(fake).map((p) => p.properties)).toEqual([undefined, undefined]);
    conn.destroy();
    fake.connackProperties = { topicAliasMaximum: 5 };
    const session = leanDriver.newSession();
    conn = await leanDriver.connect(opts(fake.url, { protocolVersion: 5, topicAliases: true, clean: false, sessionExpirySec: 60, session }), noEvents());
    conn.publish('q', Buffer.from('3'), 1, false, () => {});
    conn.publish('q', Buffer.from('4'), 1, false, () => {});
    conn.publish('q', Buffer.from('5'), 0, false, () => {});
    conn.publish('q', Buffer.from('6'), 0, false, () => {});
    await until(() => pubs(fake!).length === 6);
    expect(
      pubs(fake)
        .slice(2)
        .map((p) => `${p.topic}|${(p.properties?.topicAlias as number | undefined) ?? '-'}`),
    ).toEqual(['q|-', 'q|-', 'q|1', '|1']);
  });

  it('incoming: topic aliases resolved; response topic and correlation data passed as meta', async () => {
    fake = await fakeBroker();
    const got: string[] = [];
    const metas: (MessageMeta | undefined)[] = [];
    conn = await leanDriver.connect(opts(fake.url, { protocolVersion: 5 }), {
      onMessage: (t, p, _q, _r, meta) => {
        got.push(`${t}=${p.toString()}`);
        metas.push(meta);
      },
      onLost: () => {},
    });
    const pub = (topic: string, payload: string, properties?: Record<string, unknown>) =>
      fake!.send({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false, ...(properties ? { properties } : {}) });
    pub('long/topic/name', 'one', { topicAlias: 3 });
    pub('', 'two', { topicAlias: 3 });
    pub('req', 'three', { responseTopic: 'back/7', correlationData: Buffer.from('id7') });
    await until(() => got.length === 3);
    expect(got).toEqual(['long/topic/name=one', 'long/topic/name=two', 'req=three']);
    expect(metas[0]).toBeUndefined();
    expect(metas[2]).toEqual({ responseTopic: 'back/7', correlationData: Buffer.from('id7') });
  });

  it('unsubscribe sends UNSUBSCRIBE and resolves on UNSUBACK', async () => {
    fake = await fakeBroker((p, _s, f) => {
      if (p.cmd === 'unsubscribe') f.send({ cmd: 'unsuback', messageId: p.messageId } as Packet);
    });
    conn = await leanDriver.connect(opts(fake.url), noEvents());
    await conn.unsubscribe!(['a/#', 'b']);
    expect(fake.got.find((p) => p.cmd === 'unsubscribe')).toMatchObject({ unsubscriptions: ['a/#', 'b'] });
  });
});
