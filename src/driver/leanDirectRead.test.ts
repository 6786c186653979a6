import type { Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { leanDriver } from './lean.js';
import { fakeBroker, opts, scripted, sleep, until } from './fakeBroker.test-helper.js';
import type { ConnectionEvents } from './driver.js';

/** Events that read each payload during the call (and keep only a copy): they may be handed a reused read buffer. */
function borrowing(): ConnectionEvents & { messages: string[]; lost: string[]; sizes: number[]; memory: ArrayBufferLike[] } {
  const messages: string[] = [];
  const memory: ArrayBufferLike[] = [];
  const lost: string[] = [];
  const sizes: number[] = [];
  return {
    messages,
    lost,
    sizes,
    memory,
    borrowsPayload: true,
    onMessage(topic, payload, qos) {
      sizes.push(payload.length);
      memory.push(payload.buffer);
      messages.push(
        `${topic}:${qos}:${payload.length > 64 ? payload.subarray(0, 8).toString() + String.fromCharCode(payload[payload.length - 1]) : payload.toString()}`,
      );
    },
    onLost: (r) => void lost.push(r),
  };
}

const publish = (topic: string, payload: Buffer | string, qos: 0 | 1, messageId?: number): Packet => ({
  cmd: 'publish',
  topic,
  payload,
  qos,
  messageId,
  dup: false,
  retain: false,
});

describe('lean driver: a plain TCP socket read straight into the thread’s read buffer (events that borrow the payload)', () => {
  const ctx = scripted();

  it('delivers every message intact, across reads and a 200 KB packet split over several reads, and PUBACKs each', async () => {
    ctx.fake = await fakeBroker();
    const ev = borrowing();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), ev);
    const big = Buffer.alloc(200_000, 0x61);
    big.write('BIGSTART', 0);
    big[big.length - 1] = 0x7a;
    ctx.fake.send(publish('s/1', 'one', 1, 1));
    ctx.fake.send(publish('s/2', big, 1, 2));
    for (let k = 0; k < 50; k++) ctx.fake.send(publish(`m/${k}`, `p${k}`, (k % 2) as 0 | 1, k % 2 ? 100 + k : undefined));
    await until(() => ev.messages.length === 52);
    expect(ev.messages.slice(0, 2)).toEqual(['s/1:1:one', 's/2:1:BIGSTARTz']);
    expect(ev.sizes[1]).toBe(200_000);
    expect(ev.messages.slice(2)).toEqual(Array.from({ length: 50 }, (_, k) => `m/${k}:${k % 2}:p${k}`));
    // Read into one reused buffer: the first and the last message came in different reads (the 200 KB packet lies between).
    expect(ev.memory[0]).toBe(ev.memory[51]);
    expect(ev.memory[1]).not.toBe(ev.memory[0]); // the large packet was assembled in a buffer of its own
    await until(() => ctx.fake!.got.filter((p) => p.cmd === 'puback').length === 27);
    expect(ctx.fake.got.filter((p) => p.cmd === 'puback').map((p) => p.messageId)).toEqual([1, 2, ...Array.from({ length: 25 }, (_, k) => 101 + 2 * k)]);
    expect(ev.lost).toEqual([]);
  });

  it('acks and PINGRESP read the same way: a QoS 1 publish completes on its PUBACK', async () => {
    ctx.fake = await fakeBroker((p, _s, f) => {
      if (p.cmd === 'publish') f.send({ cmd: 'puback', messageId: p.messageId });
    });
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), borrowing());
    const done: string[] = [];
    for (let k = 0; k < 3; k++) ctx.conn.publish('t', Buffer.from(`x${k}`), 1, false, (err, ack) => void done.push(err ? err.message : String(ack)));
    await until(() => done.length === 3);
    expect(done).toEqual(['puback', 'puback', 'puback']);
    expect(ctx.conn.inflight()).toBe(0);
  });

  it('reports the broker closing as lost (once), and end() still resolves with a DISCONNECT', async () => {
    ctx.fake = await fakeBroker();
    const ev = borrowing();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), ev);
    ctx.fake.sockets[0].destroy();
    await until(() => ev.lost.length === 1);
    await sleep(50);
    expect(ev.lost).toEqual(['closed by the broker or network']);
    await ctx.conn.end();
    const c2 = await leanDriver.connect(opts(ctx.fake.url), borrowing());
    await c2.end();
    expect(ctx.fake.got.filter((p) => p.cmd === 'disconnect')).toHaveLength(1);
    ctx.conn = null;
  });

  it('a protocol error in the stream closes the connection as lost, with the reason', async () => {
    ctx.fake = await fakeBroker();
    const ev = borrowing();
    ctx.conn = await leanDriver.connect(opts(ctx.fake.url), ev);
    ctx.fake.sockets[0].write(Buffer.from([0x36, 0x04, 0x00, 0x01, 0x61, 0x00])); // PUBLISH with both QoS bits set
    await until(() => ev.lost.length === 1);
    expect(ev.lost[0]).toMatch(/^protocol error: /);
  });
});
