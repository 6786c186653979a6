import { generate, parser } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { ConnectFields } from './connectFields.js';
import { encodeConnect } from './connectEncode.js';
import { connectPacket } from './connectPacket.js';

const base = (v: 3 | 4 | 5): ConnectFields => ({
  protocolId: v === 3 ? 'MQIsdp' : 'MQTT',
  protocolVersion: v,
  clientId: 'mqb-1a2b-dev-7',
  clean: true,
  keepalive: 60,
});

/** Every combination of the fields connectFields can produce, per protocol level. */
function matrix(): ConnectFields[] {
  const out: ConnectFields[] = [];
  for (const v of [3, 4, 5] as const)
    for (const clean of [true, false])
      for (const keepalive of [0, 1, 60, 65535])
        for (const id of ['c', 'mqb-1a2b-dev-7', 'ünïcødé-客户-🚀', 'x'.repeat(200)])
          for (const cred of ['none', 'user', 'both', 'emptyUser'] as const)
            for (const will of ['none', 'q0', 'q1r', 'q2', 'empty'] as const)
              for (const expiry of v === 5 ? [undefined, 0, 3600, 0xffffffff] : [undefined]) {
                const f: ConnectFields = { ...base(v), clean, keepalive, clientId: id };
                if (cred === 'user' || cred === 'both') f.username = 'user-ü';
                if (cred === 'emptyUser') f.username = '';
                if (cred === 'both') f.password = Buffer.from('sécret', 'utf8');
                if (will === 'q0') f.will = { topic: 'wills/a', payload: Buffer.from('gone'), qos: 0, retain: false };
                if (will === 'q1r') f.will = { topic: 'wills/ü/b', payload: Buffer.alloc(300, 7), qos: 1, retain: true };
                if (will === 'q2') f.will = { topic: 'w', payload: Buffer.from([0, 255]), qos: 2, retain: false };
                if (will === 'empty') f.will = { topic: 'w/e', payload: Buffer.alloc(0), qos: 1, retain: false };
                if (expiry !== undefined) f.properties = { sessionExpiryInterval: expiry };
                out.push(f);
              }
  return out;
}

describe('encodeConnect', () => {
  it("writes exactly mqtt-packet's bytes for every combination of fields", () => {
    const cases = matrix();
    expect(cases.length).toBeGreaterThan(1000);
    for (const f of cases) {
      const mine = encodeConnect(f);
      expect(mine, JSON.stringify(f)).not.toBeNull();
      expect(mine!.equals(generate({ cmd: 'connect', ...f })), JSON.stringify(f)).toBe(true);
    }
  });

  it('writes remaining lengths of two and three bytes (a long will payload)', () => {
    for (const size of [16_000, 16_400, 65_535]) {
      const f: ConnectFields = { ...base(4), will: { topic: 't', payload: Buffer.alloc(size, 1), qos: 1, retain: false } };
      const mine = encodeConnect(f)!;
      expect(mine.equals(generate({ cmd: 'connect', ...f }))).toBe(true);
    }
  });

  it('is read back by a parser as the same CONNECT', () => {
    const f: ConnectFields = {
      ...base(5),
      clean: false,
      username: 'u',
      password: Buffer.from('p'),
      will: { topic: 'w/t', payload: Buffer.from('bye'), qos: 1, retain: true },
      properties: { sessionExpiryInterval: 120 },
    };
    const p = parser({ protocolVersion: 5 });
    const got: unknown[] = [];
    p.on('packet', (x) => got.push(x));
    p.parse(encodeConnect(f)!);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      cmd: 'connect',
      protocolVersion: 5,
      clientId: f.clientId,
      clean: false,
      keepalive: 60,
      username: 'u',
      will: { topic: 'w/t', qos: 1, retain: true },
      properties: { sessionExpiryInterval: 120 },
    });
  });

  it('leaves to mqtt-packet what it would refuse or cannot write in a two-byte length', () => {
    const refused: ConnectFields[] = [
      { ...base(3), clientId: '' }, // MQTT 3.1 needs a client id
      { ...base(4), clientId: '', clean: false }, // a persistent session needs one
      { ...base(4), password: Buffer.from('p') }, // a password without a user name
      { ...base(4), keepalive: 70_000 },
      { ...base(4), keepalive: 1.5 },
      { ...base(5), properties: { sessionExpiryInterval: -1 } },
      { ...base(4), will: { topic: '', payload: Buffer.alloc(0), qos: 0, retain: false } },
      { ...base(4), clientId: 'x'.repeat(65_536) },
      { ...base(4), username: 'ü'.repeat(40_000) }, // 80,000 bytes
      { ...base(4), will: { topic: 't', payload: Buffer.alloc(65_536), qos: 0, retain: false } },
    ];
    for (const f of refused) expect(encodeConnect(f), JSON.stringify(f).slice(0, 120)).toBeNull();
  });

  it("connectPacket still throws mqtt-packet's words for options it cannot encode", () => {
    const opts = { url: 'mqtt://h', clientId: '', protocolVersion: 3 as const, clean: true, keepaliveSec: 60, timeoutMs: 1000 };
    expect(() => connectPacket(opts)).toThrow(/clientId must be supplied before 3.1.1/);
    const ok = connectPacket({ ...opts, clientId: 'a', protocolVersion: 4, username: 'u', password: 'p' });
    expect(
      ok.equals(
        generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clientId: 'a',
          clean: true,
          keepalive: 60,
          username: 'u',
          password: Buffer.from('p'),
        }),
      ),
    ).toBe(true);
  });
});
