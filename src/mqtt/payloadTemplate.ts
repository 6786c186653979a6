/**
 * JSON payload templates: literal JSON text with placeholders, parsed once and never evaluated.
 *   {i} {group} {clientId} {run} {seq} {ts}   values of the message (ts = intended send time, epoch ms)
 *   {int:10..99}   {float:15..30}   {choice:on|off|idle}   generated values (seeded per message)
 * The rendered text must be a JSON object; mqbench appends its own field "_mqb" (the header).
 */
export type PayloadPart =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: 'i' | 'group' | 'clientId' | 'run' | 'seq' | 'ts' }
  | { kind: 'int' | 'float'; min: number; max: number }
  | { kind: 'choice'; options: string[] };

const VARS = ['i', 'group', 'clientId', 'run', 'seq', 'ts'] as const;
const NUM = /^-?\d+(?:\.\d+)?$/;

export type PayloadParse = { ok: true; parts: PayloadPart[] } | { ok: false; message: string; hint?: string };

export function parsePayloadTemplate(src: string): PayloadParse {
  const parts: PayloadPart[] = [];
  let text = '';
  const re = /\{([A-Za-z]+)(?::([^{}]*))?\}/g;
  let last = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    text += src.slice(last, m.index);
    last = re.lastIndex;
    const [, name, arg] = m;
    const part = placeholder(name, arg);
    if (typeof part === 'string')
      return { ok: false, message: part, hint: 'placeholders: {i} {group} {clientId} {run} {seq} {ts} {int:1..9} {float:1..9} {choice:a|b}' };
    if (text) parts.push({ kind: 'text', text });
    text = '';
    parts.push(part);
  }
  text += src.slice(last);
  if (text) parts.push({ kind: 'text', text });
  const sample = renderPayloadTemplate(parts, { i: 0, group: 'g', clientId: 'c', run: 'r', seq: 0, ts: 0 }, 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(sample);
  } catch (err) {
    return {
      ok: false,
      message: `the payload template is not valid JSON once filled in: ${(err as Error).message}`,
      hint: 'put text placeholders inside quotes: "state": "{choice:on|off}"',
    };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { ok: false, message: 'the payload template must be a JSON object ({ … })', hint: 'mqbench adds its own "_mqb" field to it' };
  return { ok: true, parts };
}

function placeholder(name: string, arg: string | undefined): PayloadPart | string {
  if (arg === undefined) {
    if ((VARS as readonly string[]).includes(name)) return { kind: 'var', name: name as (typeof VARS)[number] };
    return `unknown placeholder {${name}}`;
  }
  if (name === 'int' || name === 'float') {
    const [a, b] = arg.split('..');
    if (!a || !b || !NUM.test(a) || !NUM.test(b) || Number(a) > Number(b))
      return `{${name}:${arg}} needs a range like ${name === 'int' ? '1..100' : '15.5..30'}`;
    return { kind: name, min: Number(a), max: Number(b) };
  }
  if (name === 'choice') {
    const options = arg.split('|');
    if (options.length < 1 || options.some((o) => o === '')) return `{choice:${arg}} needs options like {choice:on|off}`;
    return { kind: 'choice', options };
  }
  return `unknown placeholder {${name}:…}`;
}

export interface PayloadValues {
  i: number;
  group: string;
  clientId: string;
  run: string;
  seq: number;
  ts: number;
}

/** A small, fast, seeded generator (mulberry32): the same seed gives the same payload. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function renderPayloadTemplate(parts: readonly PayloadPart[], v: PayloadValues, seed: number): string {
  const rand = rng(seed);
  let out = '';
  for (const p of parts) {
    switch (p.kind) {
      case 'text':
        out += p.text;
        break;
      case 'var':
        out += String(v[p.name]);
        break;
      case 'int':
        out += String(Math.floor(p.min + rand() * (p.max - p.min + 1)));
        break;
      case 'float':
        out += (p.min + rand() * (p.max - p.min)).toFixed(2);
        break;
      case 'choice':
        out += p.options[Math.floor(rand() * p.options.length)];
        break;
    }
  }
  return out;
}
