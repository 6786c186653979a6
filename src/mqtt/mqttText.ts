/**
 * What MQTT allows in a UTF-8 string (topic names, topic filters, client ids, user names, properties):
 * MQTT 3.1.1 §1.5.3 and 5.0 §1.5.4. U+0000 and UTF-16 surrogates are forbidden outright; control characters
 * (U+0001–U+001F, U+007F–U+009F) and Unicode non-characters "SHOULD NOT" be sent, and a broker that receives
 * them may close the connection (mosquitto does) — which a run would then blame on the broker. So mqbench
 * refuses them all, and strings longer than 65,535 bytes in UTF-8.
 */

export const MAX_MQTT_STRING_BYTES = 65_535;

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, …, U+10FFFF). */
export function isNonCharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

function charProblem(cp: number, lone: boolean): string | null {
  if (lone) return `a lone UTF-16 surrogate ${hex(cp)} (not valid UTF-8)`;
  if (cp === 0) return 'the NUL character (U+0000)';
  if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f)) return `the control character ${hex(cp)}`;
  if (isNonCharacter(cp)) return `the Unicode non-character ${hex(cp)}`;
  return null;
}

/** The first character MQTT does not allow in a string, described, with its 1-based position; null when none. */
export function forbiddenCharacter(text: string): { what: string; at: number } | null {
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    at++;
    const cp = text.codePointAt(i)!;
    const pair = cp > 0xffff;
    const lone = cp >= 0xd800 && cp <= 0xdfff;
    const what = charProblem(cp, lone);
    if (what) return { what, at };
    if (pair) i++;
  }
  return null;
}

const WHY =
  'MQTT forbids NUL, control characters (U+0001–U+001F, U+007F–U+009F) and non-characters (U+FFFE, U+FFFF, …) in strings; a broker may close the connection';

/**
 * Checks one MQTT UTF-8 string named `what` ("topic", "clientId", …). Returns the problem (message and hint)
 * or null. Empty strings are the caller's business (some are allowed).
 */
export function checkMqttString(text: string, what: string): { message: string; hint?: string } | null {
  const bad = forbiddenCharacter(text);
  if (bad) return { message: `${what} contains ${bad.what} at character ${bad.at}`, hint: WHY };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_MQTT_STRING_BYTES)
    return { message: `${what} is ${bytes.toLocaleString('en-US')} bytes in UTF-8; MQTT allows at most ${MAX_MQTT_STRING_BYTES.toLocaleString('en-US')}` };
  return null;
}
