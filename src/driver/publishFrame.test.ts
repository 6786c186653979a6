import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { MAX_REMAINING, publishRemaining } from './leanEncode.js';
import { PublishFrame } from './publishFrame.js';

type QoS = 0 | 1 | 2;

/** The frame written by a ready template (twice: the second use of a shape builds it), with 0xee guard bytes after it. */
function viaFrame(f: PublishFrame, topic: string, payload: Buffer, qos: QoS, retain: boolean, id: number, v5: boolean): Buffer {
  f.ready(topic, qos, retain, payload.length, v5);
  expect(f.ready(topic, qos, retain, payload.length, v5)).toBe(true);
  const buf = Buffer.alloc(f.size + 5, 0xee);
  f.write(buf, 2, payload, id);
  expect(buf.subarray(0, 2).every((b) => b === 0xee)).toBe(true);
  expect(buf.subarray(2 + f.size).every((b) => b === 0xee)).toBe(true);
  return buf.subarray(2, 2 + f.size);
}

function reference(topic: string, payload: Buffer, qos: QoS, retain: boolean, id: number, v5: boolean): Buffer {
  return generate({ cmd: 'publish', topic, payload, qos, retain, dup: false, ...(qos ? { messageId: id } : {}) }, { protocolVersion: v5 ? 5 : 4 });
}

/** A payload that makes the remaining length exactly `rem` (its bytes: a counter, so a shifted copy shows); null if the topic alone is longer. */
function payloadFor(rem: number, topic: string, qos: QoS, v5: boolean): Buffer | null {
  const size = rem - publishRemaining(Buffer.byteLength(topic), 0, qos, v5);
  if (size < 0) return null;
  const p = Buffer.alloc(size);
  for (let k = 0; k < size; k++) p[k] = (k * 31 + 7) & 0xff;
  return p;
}

describe('PublishFrame: byte for byte what mqtt-packet generates', () => {
  const topics = ['bench/run-1/7', 'a', '', 'dev/ü/42/€', 'x'.repeat(300)];
  // Remaining lengths around the variable-length integer's 1/2/3-byte boundaries, and typical payloads.
  const remainings = [127, 128, 16_383, 16_384, 2_097_151, 2_097_152];
  for (const v5 of [false, true]) {
    for (const qos of [0, 1, 2] as const) {
      it(`MQTT ${v5 ? 5 : '3.1.1'} QoS ${qos}: remaining length 127/128/16,383/16,384/2,097,151/2,097,152 and 0-1,000 B payloads`, () => {
        const f = new PublishFrame();
        for (const topic of topics) {
          for (const rem of remainings) {
            const payload = payloadFor(rem, topic, qos, v5);
            if (payload === null) continue;
            for (const retain of [false, true]) {
              const id = qos ? (rem % 65_535) + 1 : 0;
              const mine = viaFrame(f, topic, payload, qos, retain, id, v5);
              expect(mine.equals(reference(topic, payload, qos, retain, id, v5))).toBe(true);
            }
          }
          for (const size of [0, 1, 16, 32, 64, 1000]) {
            const payload = Buffer.alloc(size, 0x5a);
            const mine = viaFrame(f, topic, payload, qos, false, 65_535, v5);
            expect(mine.equals(reference(topic, payload, qos, false, 65_535, v5))).toBe(true);
          }
        }
      });
    }
  }

  it('a ready template writes each message its own packet id and payload (same shape, different contents)', () => {
    const f = new PublishFrame();
    const topic = 'bench/x/3';
    for (let seq = 0; seq < 50; seq++) {
      const payload = Buffer.alloc(64);
      payload.writeUInt32LE(seq, 12);
      const id = seq + 1;
      const ready = f.ready(topic, 1, false, 64, false);
      expect(ready).toBe(seq > 0); // the first use of a shape goes to the generic encoder
      if (!ready) continue;
      const buf = Buffer.alloc(f.size);
      f.write(buf, 0, payload, id);
      expect(buf.equals(reference(topic, payload, 1, false, id, false))).toBe(true);
    }
  });

  it('any change of topic, QoS, retain, size or protocol makes it not ready until that shape repeats', () => {
    const f = new PublishFrame();
    expect(f.ready('t/1', 0, false, 64, false)).toBe(false);
    expect(f.ready('t/1', 0, false, 64, false)).toBe(true);
    for (const [topic, qos, retain, size, v5] of [
      ['t/2', 0, false, 64, false],
      ['t/2', 1, false, 64, false],
      ['t/2', 1, true, 64, false],
      ['t/2', 1, true, 65, false],
      ['t/2', 1, true, 65, true],
    ] as const) {
      expect(f.ready(topic, qos, retain, size, v5)).toBe(false);
      expect(f.ready(topic, qos, retain, size, v5)).toBe(true);
      const payload = Buffer.alloc(size, 1);
      const buf = Buffer.alloc(f.size);
      f.write(buf, 0, payload, 9);
      expect(buf.equals(reference(topic, payload, qos, retain, 9, v5))).toBe(true);
    }
    // A fan-out publisher (a new topic every message) never builds one.
    for (let k = 0; k < 10; k++) expect(f.ready(`fan/${k}`, 0, false, 64, false)).toBe(false);
  });

  it('never fits a packet MQTT cannot carry: a topic over 65,535 bytes or a remaining length over the maximum (the generic path refuses them)', () => {
    const f = new PublishFrame();
    const long = 'y'.repeat(65_536);
    expect(f.ready(long, 0, false, 10, false)).toBe(false);
    expect(f.ready(long, 0, false, 10, false)).toBe(false);
    const huge = MAX_REMAINING - publishRemaining(3, 0, 0, false) + 1;
    expect(f.ready('a/b', 0, false, huge, false)).toBe(false);
    expect(f.ready('a/b', 0, false, huge, false)).toBe(false);
    expect(f.ready('a/b', 0, false, huge - 1, false)).toBe(false);
    expect(f.ready('a/b', 0, false, huge - 1, false)).toBe(true);
  });
});
