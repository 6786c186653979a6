import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAddress, probeBroker } from './probe.js';

describe('probeAddress', () => {
  it.each([
    ['mqtt://broker', 'broker', 1883],
    ['mqtts://broker', 'broker', 8883],
    ['ws://broker', 'broker', 80],
    ['wss://broker', 'broker', 443],
    ['ws://broker/mqtt', 'broker', 80],
    ['wss://u:p@broker:8443/some/path?x=1', 'broker', 8443],
    ['mqtts://127.0.0.1:18883', '127.0.0.1', 18883],
    ['wss://[::1]/mqtt', '::1', 443],
  ])('%s → %s:%i', (url, host, port) => {
    expect(probeAddress(url)).toEqual({ host, port });
  });

  it('is null for text that is not a URL', () => {
    expect(probeAddress('not a url')).toBeNull();
  });
});

describe('probeBroker', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('only checks TCP, whatever the scheme and path', async () => {
    for (const scheme of ['mqtt', 'mqtts', 'ws', 'wss']) {
      expect(await probeBroker(`${scheme}://127.0.0.1:${port}/mqtt`)).toBeNull();
    }
  });

  it('binds a local source address first when given one', async () => {
    expect(await probeBroker(`mqtt://127.0.0.1:${port}`, 3000, '127.0.0.2')).toBeNull();
    expect(await probeBroker(`mqtt://127.0.0.1:${port}`, 3000, '192.0.2.1')).toBe('EADDRNOTAVAIL');
  });
});
