import { describe, expect, it } from 'vitest';
import { checkMqttString, forbiddenCharacter, isNonCharacter } from './mqttText.js';

describe('mqttText', () => {
  it('knows the 66 non-characters', () => {
    let n = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) if (isNonCharacter(cp)) n++;
    expect(n).toBe(66);
    expect([0xfdd0, 0xfdef, 0xfffe, 0xffff, 0x1fffe, 0x10ffff].every(isNonCharacter)).toBe(true);
    expect([0xfdcf, 0xfdf0, 0xfffd, 0x1fffd, 0x10000].some(isNonCharacter)).toBe(false);
  });

  it('counts positions in characters, a pair of surrogates as one', () => {
    expect(forbiddenCharacter('😀😀\u0002')).toEqual({ what: 'the control character U+0002', at: 3 });
    expect(forbiddenCharacter('plain/topic/ü')).toBeNull();
  });

  it('allows exactly 65,535 bytes', () => {
    expect(checkMqttString('a'.repeat(65_535), 'x')).toBeNull();
    expect(checkMqttString('a'.repeat(65_536), 'x')?.message).toBe('x is 65,536 bytes in UTF-8; MQTT allows at most 65,535');
  });
});
