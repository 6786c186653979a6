import { generate, parser, type IConnackPacket, type Packet } from 'mqtt-packet';
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

  it('reads only the first `len` bytes of a reused buffer, and keeps no view of it across calls', () => {
    for (let cut = 1; cut < stream.length; cut += cut < 400 ? 7 : 997) {
      const s = sink();
      const reused = Buffer.alloc(stream.length + 64, 0xff);
      stream.copy(reused, 0, 0, cut);
      expect(splitFrames(s, reused, cut)).toBeNull();
      reused.fill(0xee); // the next read overwrites the buffer
      const n = stream.length - cut;
      stream.copy(reused, 0, cut);
      expect(splitFrames(s, reused, n)).toBeNull();
      expect(s.seen, `cut at ${cut}`).toEqual(expected);
      expect(s.pend).toBeNull();
    }
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

  it('a 3.1.1 / 3.1 CONNACK read in place carries what the parser would read: session present and return code', () => {
    for (const version of [3, 4])
      for (const flags of [0, 1])
        for (let rc = 0; rc < 256; rc++) {
          const bytes = Buffer.from([0x20, 0x02, flags, rc]);
          const viaParser: Packet[] = [];
          const p = parser({ protocolVersion: version });
          p.on('packet', (x: Packet) => viaParser.push(x));
          p.parse(bytes);
          const got: Packet[] = [];
          expect(splitFrames({ ...sink(version), onPacket: (x: Packet) => void got.push(x) }, bytes)).toBeNull();
          expect(got).toHaveLength(1);
          const [a, b] = [got[0], viaParser[0]] as IConnackPacket[];
          expect({ cmd: a.cmd, sessionPresent: a.sessionPresent, returnCode: a.returnCode, reasonCode: a.reasonCode }).toEqual({
            cmd: b.cmd,
            sessionPresent: b.sessionPresent,
            returnCode: b.returnCode,
            reasonCode: b.reasonCode,
          });
        }
    // Reserved flag bits set: still the parser's error. MQTT 5 (reason code, properties): still the parser.
    expect(splitFrames(sink(), Buffer.from([0x20, 0x02, 0x02, 0x00]))).toBe('protocol error: Invalid connack flags, bits 7-1 must be set to 0');
    const got: Packet[] = [];
    const v5 = generate({ cmd: 'connack', reasonCode: 0, sessionPresent: true, properties: { topicAliasMaximum: 10 } }, { protocolVersion: 5 });
    expect(splitFrames({ ...sink(5), onPacket: (x: Packet) => void got.push(x) }, v5)).toBeNull();
    expect(got[0]).toMatchObject({ cmd: 'connack', sessionPresent: true, reasonCode: 0, properties: { topicAliasMaximum: 10 } });
  });
});
