import { InvalidArgumentError } from 'commander';
import { parseThreshold, type Threshold } from '../thresholds/parse.js';
import { parseDuration, parseRate } from '../scenario/units.js';

export function parseDurationArg(text: string): number {
  try {
    const ms = parseDuration(text);
    if (ms <= 0) throw new Error('must be greater than 0');
    return ms;
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message} (e.g. 30s, 2m, 500ms)`);
  }
}

export function parseWorkersArg(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

/** One --threshold (repeatable): checked now, so a typo is a usage error before anything runs. */
export function parseThresholdArg(text: string, previous: Threshold[] = []): Threshold[] {
  const parsed = parseThreshold(text);
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.message}${parsed.hint ? ` (hint: ${parsed.hint})` : ''}`);
  return [...previous, parsed.threshold];
}

export function parseScaleArg(text: string): number {
  const n = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(n > 0) || n > 1000) throw new InvalidArgumentError('expected a factor above 0, e.g. 0.1 or 10');
  return n;
}

/** A load for capacity search: a rate ("1000/s") or a plain count of connections ("5000"). */
export function parseLoadArg(text: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text);
  try {
    return parseRate(text);
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message} (e.g. 1000/s, or a connection count like 5000)`);
  }
}

/** --level: a confidence level as a share or a percentage, e.g. 0.95 or 95%. */
export function parseLevelArg(text: string): number {
  const m = /^(\d*\.?\d+)(%?)$/.exec(text.trim());
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(n >= 0.5 && n <= 0.999)) throw new InvalidArgumentError('expected a confidence level from 0.5 to 0.999, e.g. 0.95 or 95%');
  return n;
}

/** --practical: the smallest relative change worth a verdict, e.g. 5% or 0.05. */
export function parsePracticalArg(text: string): number {
  const m = /^(\d*\.?\d+)(%?)$/.exec(text.trim());
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(n >= 0 && n < 10)) throw new InvalidArgumentError('expected a relative change, e.g. 5% or 0.05');
  return n;
}

export function parseSeedArg(text: string): number {
  if (!/^\d{1,9}$/.test(text.trim())) throw new InvalidArgumentError('expected a whole number, e.g. 1');
  return Number(text);
}

/** --cooldown: a pause between runs; 0 is allowed. */
export function parseCooldownArg(text: string): number {
  if (/^0+(ms|s)?$/.test(text.trim())) return 0;
  return parseDurationArg(text);
}
