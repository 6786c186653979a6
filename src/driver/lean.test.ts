import { generate, parser as makeParser, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { parseEndpoint } from './endpoint.js';
import { leanDriver } from './lean.js';
import { connackWords, reasonWords } from './leanCodes.js';
import {
  ASCII_TOPIC_MAX,
  asciiLength,
  DISCONNECT_BYTES,
  frameSize,
  PINGREQ_BYTES,
  PUBACK,
  PUBCOMP,
  PUBREC,
  PUBREL,
  publishRemaining,
  writeAck,
  writePublish,
} from './leanEncode.js';
import { fakeBroker, scripted, noEvents, opts, sleep, until } from './fakeBroker.test-helper.js';
import { ConnectFailure } from './driver.js';

function encodePublish(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, id: number, v5: boolean): Buffer {
  const tb = Buffer.from(topic);
  const rem = publishRemaining(tb.length, payload.length, qos, v5);
  const buf = Buffer.alloc(frameSize(rem) + 3, 0xee); // room after it: the encoder must stop exactly at the end
  const end = writePublish(buf, 0, rem, tb, payload, qos, retain, id, v5);
  expect(end).toBe(frameSize(rem));
  expect(buf.subarray(end).every((b) => b === 0xee)).toBe(true);
  return buf.subarray(0, end);
}

describe('lean encoders match mqtt-packet byte for byte', () => {
  for (const protocolVersion of [4, 5] as const) {
    for (const qos of [0, 1, 2] as const) {
      for (const size of [0, 100, 200, 20_000, 2_200_000]) {
        it(`PUBLISH v${protocolVersion} QoS ${qos}, ${size} B payload`, () => {
          const payload = Buffer.alloc(size, 7);
          const topic = 'dev/ü/42';
          const mine = encodePublish(topic, payload, qos, size === 100, qos ? 65_535 : 0, protocolVersion === 5);
          const ref = generate(
            { cmd: 'publish', topic, payload, qos, retain: size === 100, dup: false, ...(qos ? { messageId: 65_535 } : {}) },
            { protocolVersion },
          );
          expect(mine.equals(ref)).toBe(true);
          // The same with an ASCII topic given as a string (the fan-out path).
          const t2 = `cmd/dev-${size}`;
          const rem = publishRemaining(asciiLength(t2), payload.length, qos, protocolVersion === 5);
          const buf = Buffer.alloc(frameSize(rem));
          writePublish(buf, 0, rem, t2, payload, qos, false, 1, protocolVersion === 5);
          expect(
            buf.equals(generate({ cmd: 'publish', topic: t2, payload, qos, retain: false, dup: false, ...(qos ? { messageId: 1 } : {}) }, { protocolVersion })),
          ).toBe(true);
        });
      }
    }
  }

  it('PUBACK/PUBREC/PUBREL/PUBCOMP (MQTT 3.1.1) and what an MQTT 5 parser reads from them', () => {
    const cases = [
      [PUBACK, 'puback'],
      [PUBREC, 'pubrec'],
      [PUBREL, 'pubrel'],
      [PUBCOMP, 'pubcomp'],
    ] as const;
    for (const [type, cmd] of cases) {
      const buf = Buffer.alloc(4);
      writeAck(buf, 0, type, 0x1234);
      expect(buf.equals(generate({ cmd, messageId: 0x1234 }))).toBe(true);
      const p5 = makeParser({ protocolVersion: 5 });
      const got: Packet[] = [];
      p5.on('packet', (p: Packet) => got.push(p));
      p5.parse(buf);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ cmd, messageId: 0x1234, reasonCode: 0 });
    }
  });

  it('asciiLength: short ASCII topics only', () => {
    expect(asciiLength('a/b/c')).toBe(5);
    expect(asciiLength('')).toBe(0);
    expect(asciiLength('dev/ü')).toBe(-1);
    expect(asciiLength('x'.repeat(ASCII_TOPIC_MAX))).toBe(ASCII_TOPIC_MAX);
    expect(asciiLength('x'.repeat(ASCII_TOPIC_MAX + 1))).toBe(-1);
  });

  it('PINGREQ and DISCONNECT', () => {
    expect(PINGREQ_BYTES.equals(generate({ cmd: 'pingreq' }))).toBe(true);
    expect(DISCONNECT_BYTES.equals(generate({ cmd: 'disconnect' }))).toBe(true);
  });
});

describe('lean: words and URLs', () => {
  it('names CONNACK refusals like the MQTT specs (and mqtt.js for 3.1.1)', () => {
    expect(connackWords(4, 5)).toBe('Not authorized');
    expect(connackWords(4, 4)).toBe('Bad username or password');
    expect(connackWords(4, 2)).toBe('Identifier rejected');
    expect(connackWords(5, 0x87)).toBe('Not authorized');
    expect(connackWords(5, 0x86)).toBe('Bad User Name or Password');
    expect(connackWords(5, 0x9f)).toBe('Connection rate exceeded');
    expect(connackWords(4, 99)).toBe('code 99');
    expect(reasonWords(0x97)).toBe('Quota exceeded');
  });

  it('parses mqtt/mqtts/ws/wss URLs into transport, TLS, host, port and credentials', () => {
    expect(parseEndpoint('mqtt://10.0.0.1')).toEqual({ transport: 'tcp', tls: false, host: '10.0.0.1', port: 1883 });
    expect(parseEndpoint('mqtts://broker.example:9999')).toEqual({ transport: 'tcp', tls: true, host: 'broker.example', port: 9999 });
    expect(parseEndpoint('mqtts://b')).toMatchObject({ tls: true, port: 8883 });
    expect(parseEndpoint('tcp://b')).toMatchObject({ transport: 'tcp', tls: false, port: 1883 });
    expect(parseEndpoint('mqtt://[::1]:1884')).toMatchObject({ host: '::1', port: 1884 });
    expect(parseEndpoint('mqtt://u%40x:p%3Aw@h')).toMatchObject({ username: 'u@x', password: 'p:w' });
    expect(parseEndpoint('ws://h:8080/mqtt')).toEqual({ transport: 'ws', tls: false, host: 'h', port: 8080, wsUrl: 'ws://h:8080/mqtt' });
    expect(parseEndpoint('WSS://u:p@h/mqtt?x=1')).toEqual({
      transport: 'ws',
      tls: true,
      host: 'h',
      port: 443,
      wsUrl: 'wss://h/mqtt?x=1',
      username: 'u',
      password: 'p',
    });
    expect(parseEndpoint('http://h')).toMatch(/unsupported URL scheme/);
    expect(parseEndpoint('nope')).toBe('not a valid URL: nope');
  });

  it('a ws:// broker that refuses the connection is a ConnectFailure with the socket error code', async () => {
    const err = await leanDriver.connect(opts('ws://127.0.0.1:1/mqtt'), noEvents()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectFailure);
    expect((err as ConnectFailure).reason).toBe('ECONNREFUSED');
  });
});

describe('lean driver against a scripted broker', () => {
  const ctx = scripted();

  it('times out without a CONNACK, and never reports the attempt as lost', async () => {
    ctx.fake = await fakeBroker(() => {}, false);
    const ev = noEvents();
    const began = Date.now();
    const err = await leanDriver.connect(opts(ctx.fake.url, { timeoutMs: 300 }), ev).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectFailure);
    expect((err as ConnectFailure).reason).toBe('timeout: no CONNACK within 300 ms');
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    await sleep(50);
    expect(ev.lost).toEqual([]);
  });

  it('sends CONNECT with the options, on a no-delay socket', async () => {
    ctx.fake = await fakeBroker();
    ctx.conn = await leanDriver.connect(
      opts(ctx.fake.url, { clientId: 'c-1', protocolVersion: 5, clean: false, keepaliveSec: 7, username: 'u', password: 'p' }),
      noEvents(),
    );
    expect(ctx.fake.got[0]).toMatchObject({ cmd: 'connect', clientId: 'c-1', protocolVersion: 5, clean: false, keepalive: 7, username: 'u' });
    expect(String((ctx.fake.got[0] as { password?: Buffer }).password)).toBe('p');
  });

  it('reports a closed-before-CONNACK attempt as a ConnectFailure', async () => {
    ctx.fake = await fakeBroker((p, s) => p.cmd === 'connect' && s.destroy(), false);
    const err = await leanDriver.connect(opts(ctx.fake.url), noEvents()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectFailure);
  });

  it('topics: new, repeated, non-ASCII and long ones all arrive intact, batched into one write per turn', async () => {
    ctx.fake = await fakeBroker();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url, { protocolVersion: 5 }), noEvents());
    const long = `l/${'x'.repeat(300)}`;
    const topics = ['a/1', 'a/1', 'dev/ü', 'dev/ü', 'a/2', long, long, 'a/1'];
    let chunks = 0;
    ctx.fake.sockets[0].on('data', () => chunks++);
    topics.forEach((t, k) => ctx.conn!.publish(t, Buffer.from(String(k)), (k % 3) as 0 | 1 | 2, false, () => {}));
    await until(() => ctx.fake!.got.filter((p) => p.cmd === 'publish').length === topics.length);
    const pubs = ctx.fake.got.filter((p) => p.cmd === 'publish') as { topic: string; payload: Buffer; qos: number }[];
    expect(pubs.map((p) => p.topic)).toEqual(topics);
    expect(pubs.map((p) => `${p.payload.toString()}:${p.qos}`)).toEqual(topics.map((_, k) => `${k}:${k % 3}`));
    expect(chunks).toBe(1);
  });

  it('cycles packet ids 1..65535, skipping ids still in flight', async () => {
    ctx.fake = await fakeBroker((p, _s, f) => {
      if (p.cmd === 'publish' && p.messageId === 2) f.send({ cmd: 'puback', messageId: 2 });
    });
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), noEvents());
    const acked: number[] = [];
    for (let k = 0; k < 3; k++) ctx.conn.publish('t', Buffer.from('x'), 1, false, () => acked.push(k));
    expect(ctx.conn.inflight()).toBe(3);
    await until(() => acked.length === 1);
    expect(ctx.conn.inflight()).toBe(2);
    (ctx.conn as unknown as { session: { nextId: number } }).session.nextId = 65_535;
    for (let k = 0; k < 3; k++) ctx.conn.publish('t', Buffer.from('y'), 1, false, () => {});
    await until(() => ctx.fake!.got.filter((p) => p.cmd === 'publish').length === 6);
    expect(ctx.fake.got.filter((p) => p.cmd === 'publish').map((p) => p.messageId)).toEqual([1, 2, 3, 65_535, 2, 4]);
  });

  it('QoS 2 out: PUBREC is answered with PUBREL, PUBCOMP completes; an MQTT 5 error reason fails the publish', async () => {
    ctx.fake = await fakeBroker((p, _s, f) => {
      if (p.cmd === 'publish' && p.topic === 'ok') f.send({ cmd: 'pubrec', messageId: p.messageId });
      if (p.cmd === 'publish' && p.topic === 'quota') f.send({ cmd: 'pubrec', messageId: p.messageId, reasonCode: 0x97 });
      if (p.cmd === 'pubrel') f.send({ cmd: 'pubcomp', messageId: p.messageId });
    });
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url, { protocolVersion: 5 }), noEvents());
    const results: string[] = [];
    ctx.conn.publish('ok', Buffer.from('a'), 2, false, (e) => results.push(`ok:${e?.message ?? 'done'}`));
    ctx.conn.publish('quota', Buffer.from('b'), 2, false, (e) => results.push(`quota:${e?.message ?? 'done'}`));
    await until(() => results.length === 2);
    expect(results.sort()).toEqual(['ok:done', 'quota:PUBREC: Quota exceeded']);
    expect(ctx.fake.got.filter((p) => p.cmd === 'pubrel').map((p) => p.messageId)).toEqual([1]);
    expect(ctx.conn.inflight()).toBe(0);
  });

  it('QoS 2 in: delivered once per id until PUBREL; PUBREC for each PUBLISH, PUBCOMP for PUBREL', async () => {
    ctx.fake = await fakeBroker();
    const ev = noEvents();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), ev);
    const pub = (dup: boolean, payload: string): Packet => ({ cmd: 'publish', topic: 'q2', payload, qos: 2, messageId: 7, dup, retain: false });
    ctx.fake.send(pub(false, 'first'));
    ctx.fake.send(pub(true, 'first'));
    await until(() => ctx.fake!.got.filter((p) => p.cmd === 'pubrec').length === 2);
    ctx.fake.send({ cmd: 'pubrel', messageId: 7 });
    await until(() => ctx.fake!.got.some((p) => p.cmd === 'pubcomp'));
    ctx.fake.send(pub(false, 'second'));
    await until(() => ctx.fake!.got.filter((p) => p.cmd === 'pubrec').length === 3);
    ctx.fake.send({ cmd: 'publish', topic: 'q1', payload: 'one', qos: 1, messageId: 8, dup: false, retain: false });
    await until(() => ctx.fake!.got.some((p) => p.cmd === 'puback'));
    expect(ev.messages).toEqual(['q2=first', 'q2=second', 'q1=one']);
    expect(ctx.fake.got.filter((p) => p.cmd !== 'connect').map((p) => `${p.cmd}:${p.messageId}`)).toEqual([
      'pubrec:7',
      'pubrec:7',
      'pubcomp:7',
      'pubrec:7',
      'puback:8',
    ]);
  });

  it('SUBACK: granted QoS per filter, 0x80 as 128 (3.1.1) and MQTT 5 error reasons as 128', async () => {
    for (const protocolVersion of [4, 5] as const) {
      ctx.fake = await fakeBroker((p, _s, f) => {
        if (p.cmd === 'subscribe') f.send({ cmd: 'suback', messageId: p.messageId, granted: [1, 0x80, 2, protocolVersion === 5 ? 0x87 : 0] });
      });
      ctx.conn = await leanDriver.connect(opts(ctx.fake.url, { protocolVersion }), noEvents());
      const granted = await ctx.conn.subscribe([
        { topic: 'a', qos: 1 },
        { topic: 'b', qos: 2 },
        { topic: 'c', qos: 2 },
        { topic: 'd', qos: 0 },
      ]);
      expect(granted).toEqual([1, 128, 2, protocolVersion === 5 ? 128 : 0]);
      ctx.conn.destroy();
      await ctx.fake.close();
    }
    ctx.fake = null;
  });

  it('pings when idle and reports "keepalive timeout" when nothing answers', async () => {
    ctx.fake = await fakeBroker(); // answers CONNACK, never PINGRESP
    const ev = noEvents();
    const began = Date.now();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url, { keepaliveSec: 1 }), ev);
    await until(() => ev.lost.length > 0, 4000);
    const took = Date.now() - began;
    expect(ev.lost).toEqual(['keepalive timeout']);
    expect(ctx.fake.got.filter((p) => p.cmd === 'pingreq')).toHaveLength(1);
    // Ping after 0.75-1 s idle, timeout 1.5 s after it.
    expect(took).toBeGreaterThanOrEqual(2200);
    expect(took).toBeLessThan(3200);
    ctx.conn = null;
  });

  it('onLost once when the broker closes; pending publishes fail after it; never after end()/destroy()', async () => {
    ctx.fake = await fakeBroker();
    const ev = noEvents();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), ev);
    const order: string[] = [];
    const events = { onMessage: ev.onMessage, onLost: (r: string) => order.push(`lost:${r}`) };
    const c2 = await leanDriver.connect(opts(ctx.fake.url), events);
    c2.publish('t', Buffer.from('x'), 1, false, (e) => order.push(`done:${e?.message}`));
    await until(() => ctx.fake!.got.filter((p) => p.cmd === 'publish').length === 1);
    ctx.fake.sockets[1].destroy();
    await until(() => order.length === 2);
    // The broker closed within ms of our PUBLISH; the written publish had no session to wait in.
    expect(order).toEqual(['lost:closed by the broker right after a PUBLISH', 'done:session ended before the ack: the connection closed (clean session)']);
    expect(c2.inflight()).toBe(0);
    await c2.end(); // after a loss: resolves at once

    // end(): DISCONNECT, resolves on close, no onLost.
    const endedAt = Date.now();
    await ctx.conn.end();
    expect(Date.now() - endedAt).toBeLessThan(1000);
    expect(ctx.fake.got.some((p) => p.cmd === 'disconnect')).toBe(true);
    const c3 = await leanDriver.connect(opts(ctx.fake.url), ev);
    c3.destroy();
    await sleep(100);
    expect(ev.lost).toEqual([]);
    ctx.conn = null;
  });

  it('end() destroys after 2 s when the broker does not close', async () => {
    ctx.fake = await fakeBroker();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), noEvents());
    const began = Date.now();
    ctx.fake.sockets[0].on('end', () => {}); // half-open: the ctx.fake never ends its side
    ctx.fake.sockets[0].allowHalfOpen = true;
    await ctx.conn.end();
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(2500);
    ctx.conn = null;
  });
});
