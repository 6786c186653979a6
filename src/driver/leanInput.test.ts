import { generate, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { splitFrames, type FrameSink } from './leanInput.js';

function sink(protocolVersion = 4): FrameSink & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    pend: null,
    pendLen: 0,
    protocolVersion,
    onAck: (type, id) => void seen.push(`ack:${type.toString(16)}:${id}`),
    onPacket: (p: Packet) => void seen.push(p.cmd === 'publish' ? `publish:${p.topic}:${(p.payload as Buffer).length}:${p.qos}` : p.cmd),
    // MQTT 3.1.1 deliveries are read in place (leanPublishIn.ts): the same record, whichever path.
    onPublish: (topic, payload, qos) => void seen.push(`publish:${topic}:${payload.length}:${qos}`),
  };
}

const stream = Buffer.concat([
  generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }),
  generate({ cmd: 'puback', messageId: 258 }),
  generate({ cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(300, 1), qos: 1, messageId: 9, retain: false, dup: false }),
  generate({ cmd: 'pingresp' }),
  generate({ cmd: 'pubrec', messageId: 3 }),
  generate({ cmd: 'publish', topic: 'big', payload: Buffer.alloc(20_000, 2), qos: 0, retain: false, dup: false }),
  generate({ cmd: 'pubrel', messageId: 4 }),
  generate({ cmd: 'suback', messageId: 5, granted: [1] }),
  generate({ cmd: 'pubcomp', messageId: 65535 }),
]);
const expected = ['connack', 'ack:40:258', 'publish:a/b:300:1', 'ack:d0:0', 'ack:50:3', 'publish:big:20000:0', 'ack:62:4', 'suback', 'ack:70:65535'];

describe('splitFrames: whole packets out of any chunking, no parser per connection', () => {
  it('one chunk holding everything', () => {
    const s = sink();
    expect(splitFrames(s, stream)).toBeNull();
    expect(s.seen).toEqual(expected);
    expect(s.pend).toBeNull();
  });

  it('cut at every offset into two chunks, and byte by byte', () => {
    for (let cut = 1; cut < stream.length; cut += cut < 400 ? 1 : 997) {
      const s = sink();
      expect(splitFrames(s, stream.subarray(0, cut))).toBeNull();
      expect(splitFrames(s, stream.subarray(cut))).toBeNull();
      expect(s.seen, `cut at ${cut}`).toEqual(expected);
      expect(s.pend).toBeNull();
    }
    const s = sink();
    for (let k = 0; k < stream.length; k++) expect(splitFrames(s, stream.subarray(k, k + 1))).toBeNull();
    expect(s.seen).toEqual(expected);
  });

  it('a partial packet is held in one buffer sized to it; nothing is held between packets', () => {
    const s = sink();
    const pub = generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(1000), qos: 0, retain: false, dup: false });
    splitFrames(s, pub.subarray(0, 10));
    expect(s.pend!.length).toBe(pub.length);
    expect(s.pendLen).toBe(10);
    splitFrames(s, pub.subarray(10));
    expect(s.pend).toBeNull();
    expect(s.seen).toEqual(['publish:t:1000:0']);
  });

  it('MQTT 5 acks with a reason code go through the parser; a malformed length or packet is an error', () => {
    const s = sink(5);
    expect(splitFrames(s, generate({ cmd: 'puback', messageId: 7, reasonCode: 0x97 }, { protocolVersion: 5 }))).toBeNull();
    expect(s.seen).toEqual(['puback']);
    expect(splitFrames(sink(), Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe('protocol error: invalid remaining length');
    expect(splitFrames(sink(), Buffer.from([0x60, 0x02, 0x00, 0x01]))).toMatch(/^protocol error: /);
    // The shared parser is usable again after an error.
    const after = sink();
    expect(splitFrames(after, generate({ cmd: 'suback', messageId: 1, granted: [0] }))).toBeNull();
    expect(after.seen).toEqual(['suback']);
  });
});
