import { generate, parser as makeParser, type IPublishPacket, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { splitFrames, type FrameSink } from './leanInput.js';
import { readPublish } from './leanPublishIn.js';
import type { QoS } from '../scenario/model.js';

interface Seen {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  id: number;
}

function sink(protocolVersion = 4): FrameSink & { inPlace: Seen[]; parsed: Packet[] } {
  const inPlace: Seen[] = [];
  const parsed: Packet[] = [];
  return {
    inPlace,
    parsed,
    pend: null,
    pendLen: 0,
    protocolVersion,
    onAck: () => {},
    onPacket: (p) => void parsed.push(p),
    onPublish: (topic, payload, qos, retain, id) => void inPlace.push({ topic, payload: Buffer.from(payload), qos, retain, id }),
  };
}

/** What mqtt-packet's parser makes of the same bytes. */
function reference(frame: Buffer): IPublishPacket {
  const out: Packet[] = [];
  const p = makeParser({ protocolVersion: 4 });
  p.on('packet', (x: Packet) => void out.push(x));
  p.parse(frame);
  expect(out).toHaveLength(1);
  return out[0] as IPublishPacket;
}

describe('readPublish: an MQTT 3.1.1 delivery read in place, as mqtt-packet reads it', () => {
  const topics = ['t', 'dev/ü/42/€', '', 'x'.repeat(300)];
  for (const qos of [0, 1, 2] as const) {
    for (const size of [0, 16, 200, 20_000, 2_200_000]) {
      it(`QoS ${qos}, ${size} B payload`, () => {
        for (const [n, topic] of topics.entries()) {
          const payload = Buffer.alloc(size, n + 1);
          const retain = n % 2 === 1;
          const frame = generate({ cmd: 'publish', topic, payload, qos, retain, dup: n === 2, ...(qos ? { messageId: 65_535 - n } : {}) });
          const s = sink();
          expect(splitFrames(s, frame)).toBeNull();
          expect(s.parsed).toEqual([]);
          const ref = reference(frame);
          expect(s.inPlace).toHaveLength(1);
          const got = s.inPlace[0];
          expect(got.topic).toBe(ref.topic);
          expect(got.payload.equals(ref.payload as Buffer)).toBe(true);
          expect(got.qos).toBe(ref.qos);
          expect(got.retain).toBe(ref.retain);
          expect(got.id).toBe(qos ? ref.messageId : 0);
        }
      });
    }
  }

  it('deliveries among other packets, cut into pieces at every offset', () => {
    const frames = [
      generate({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('one'), qos: 1, messageId: 7, retain: false, dup: false }),
      generate({ cmd: 'suback', messageId: 2, granted: [1] }),
      generate({ cmd: 'publish', topic: 'c', payload: Buffer.alloc(130, 9), qos: 2, messageId: 8, retain: true, dup: false }),
      generate({ cmd: 'publish', topic: 'd', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false }),
    ];
    const all = Buffer.concat(frames);
    for (let cut = 1; cut < all.length; cut++) {
      const s = sink();
      expect(splitFrames(s, all.subarray(0, cut))).toBeNull();
      expect(splitFrames(s, all.subarray(cut))).toBeNull();
      expect(
        s.inPlace.map((m) => `${m.topic}:${m.payload.length}:${m.qos}:${m.retain}:${m.id}`),
        `cut at ${cut}`,
      ).toEqual(['a/b:3:1:false:7', 'c:130:2:true:8', 'd:0:0:false:0']);
      expect(s.parsed.map((p) => p.cmd)).toEqual(['suback']);
    }
  });

  it('MQTT 5 deliveries (properties) still go through mqtt-packet', () => {
    const s = sink(5);
    const frame = generate(
      { cmd: 'publish', topic: 'v5', payload: Buffer.from('x'), qos: 1, messageId: 3, retain: false, dup: false, properties: { topicAlias: 2 } },
      { protocolVersion: 5 },
    );
    expect(splitFrames(s, frame)).toBeNull();
    expect(s.inPlace).toEqual([]);
    expect(s.parsed.map((p) => p.cmd)).toEqual(['publish']);
  });

  it('malformed deliveries are protocol errors (the connection closes)', () => {
    // QoS bits 11.
    expect(readPublish(sink(), Buffer.from([0x36, 5, 0, 1, 0x74, 0, 1]), 0, 2, 7)).toMatch(/^protocol error: .*QoS/);
    // A topic length past the end of the packet.
    expect(readPublish(sink(), Buffer.from([0x30, 4, 0, 9, 0x74, 0x74]), 0, 2, 6)).toMatch(/^protocol error: .*topic/);
    // Too short for a topic length.
    expect(readPublish(sink(), Buffer.from([0x30, 1, 0]), 0, 2, 3)).toMatch(/^protocol error: .*topic/);
    // QoS 1 without a packet id.
    expect(readPublish(sink(), Buffer.from([0x32, 3, 0, 1, 0x74]), 0, 2, 5)).toMatch(/^protocol error: .*messageId/);
    // Through splitFrames: the error comes back to the connection.
    expect(splitFrames(sink(), Buffer.from([0x36, 5, 0, 1, 0x74, 0, 1]))).toMatch(/^protocol error/);
  });
});
