import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../scenario/units.js';

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
