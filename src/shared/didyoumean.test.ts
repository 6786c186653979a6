import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './didyoumean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['duration', 'duraton', 1],
    ['qos', 'qso', 1],
    ['kitten', 'sitting', 3],
    ['connect', 'conect', 1],
  ])('%j ↔ %j = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const keys = ['name', 'count', 'clientId', 'connect', 'subscribe', 'publish'];
  it.each([
    ['conect', 'connect'],
    ['Count', 'count'],
    ['clientid', 'clientId'],
    ['subscibe', 'subscribe'],
    ['pubish', 'publish'],
    ['nmae', 'name'],
  ])('%s → %s', (word, expected) => {
    expect(didYouMean(word, keys)).toBe(expected);
  });

  it.each(['events', 'x', 'zzzzzzzz', ''])('no suggestion for %j', (word) => {
    expect(didYouMean(word, keys)).toBeUndefined();
  });
});
