import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../driver/endpoint.js';
import { urlCredentials } from './urlCredentials.js';

describe('urlCredentials', () => {
  it('decodes escapes in the user name and the password', () => {
    expect(urlCredentials(new URL('mqtt://u%40x:p%3Aw%25d@h'))).toEqual({ username: 'u@x', password: 'p:w%d' });
    expect(urlCredentials(new URL('mqtt://h:1883'))).toEqual({});
    expect(urlCredentials(new URL('mqtt://user@h'))).toEqual({ username: 'user' });
  });

  it.each([
    ['mqtt://u:50%@h', 'password'],
    ['mqtt://u:100%sure@h', 'password'],
    ['mqtt://u:%C3@h', 'password'],
    ['mqtt://a%zz:p@h', 'user name'],
  ])('refuses a %% that starts no valid escape in %s, without quoting it', (url, part) => {
    const problem = urlCredentials(new URL(url));
    expect(problem).toBe(`the ${part} in the URL has a % that does not start a valid escape`);
  });

  it('the lean driver reports it as a connect problem instead of throwing', () => {
    expect(parseEndpoint('mqtt://u:50%@h')).toBe('the password in the URL has a % that does not start a valid escape');
    expect(parseEndpoint('mqtt://u%40x:p%3Aw@h')).toMatchObject({ username: 'u@x', password: 'p:w' });
  });
});
