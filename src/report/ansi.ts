/**
 * Minimal ANSI styling that is a no-op when color is off, so plain output stays byte-for-byte stable.
 */

export type Style = (text: string) => string;

export interface Paint {
  bold: Style;
  dim: Style;
  red: Style;
  green: Style;
  yellow: Style;
  cyan: Style;
}

const CODES: Record<keyof Paint, [open: number, close: number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

const identity: Style = (text) => text;

/** Styles that wrap text in ANSI codes when `enabled`, and return it untouched otherwise. */
export function createPaint(enabled: boolean): Paint {
  const paint = {} as Paint;
  for (const key of Object.keys(CODES) as (keyof Paint)[]) {
    const [open, close] = CODES[key];
    paint[key] = enabled ? (text) => (text === '' ? text : `\x1b[${open}m${text}\x1b[${close}m`) : identity;
  }
  return paint;
}
