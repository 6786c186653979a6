import { parseThreshold, type Threshold } from './parse.js';

/** Thresholds from expressions a test knows to be valid (throws on one that is not). */
export function parsed(texts: readonly string[]): Threshold[] {
  return texts.map((text) => {
    const p = parseThreshold(text);
    if (!p.ok) throw new Error(`expected "${text}" to parse: ${p.message}`);
    return p.threshold;
  });
}
