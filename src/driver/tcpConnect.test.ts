import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectFailure, type ConnectOptions } from './driver.js';
import { SourcePorts, usablePortRange } from './sourcePorts.js';
import { connectTcp, PORT_TRIES } from './tcpConnect.js';

const opts = (timeoutMs = 5000): ConnectOptions => ({ url: 'mqtt://127.0.0.1', clientId: 'c', protocolVersion: 4, keepaliveSec: 0, clean: true, timeoutMs });

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer((s) => s.on('error', () => {}));
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}
const portOf = (srv: Server) => (srv.address() as { port: number }).port;

describe('SourcePorts', () => {
  it('walks its range from the start and wraps around', () => {
    const p = new SourcePorts(40000, 40002, 40001);
    expect([p.take(), p.take(), p.take(), p.take()]).toEqual([40001, 40002, 40000, 40001]);
  });

  it('reads the kernel range, with the default for anything unusable', () => {
    expect(usablePortRange('32768\t60999\n')).toEqual({ low: 32768, high: 60999 });
    expect(usablePortRange('1024 65535')).toEqual({ low: 1024, high: 65535 });
    expect(usablePortRange('80 90')).toEqual({ low: 32768, high: 60999 });
    expect(usablePortRange('junk')).toEqual({ low: 32768, high: 60999 });
  });
});

describe('connectTcp', () => {
  const open: Array<Server | Socket> = [];
  afterEach(() => {
    for (const o of open.splice(0)) 'destroy' in o ? o.destroy() : o.close();
  });

  it('connects from the port it chose', async () => {
    const srv = await listen();
    open.push(srv);
    const blocker = await listen(); // a free port, found by the kernel, then closed
    const free = portOf(blocker);
    blocker.close();
    const sock = await connectTcp({ transport: 'tcp', tls: false, host: '127.0.0.1', port: portOf(srv) }, opts(), new SourcePorts(free, free + 10, free));
    open.push(sock);
    expect(sock.localPort).toBe(free);
  });

  it('skips a port that is taken (a listener on it) and uses the next', async () => {
    const srv = await listen();
    const taken = await listen(); // a listening socket: binding its port fails even with SO_REUSEADDR
    open.push(srv, taken);
    const t = portOf(taken);
    const sock = await connectTcp({ transport: 'tcp', tls: false, host: '127.0.0.1', port: portOf(srv) }, opts(), new SourcePorts(t, t + 50, t));
    open.push(sock);
    expect(sock.localPort).not.toBe(t);
    expect(sock.localPort).toBeGreaterThan(t);
  });

  it('after PORT_TRIES taken ports, lets the kernel choose', async () => {
    const srv = await listen();
    const taken = await listen();
    open.push(srv, taken);
    const t = portOf(taken);
    const sock = await connectTcp({ transport: 'tcp', tls: false, host: '127.0.0.1', port: portOf(srv) }, opts(), new SourcePorts(t, t, t));
    open.push(sock);
    expect(PORT_TRIES).toBeGreaterThan(1);
    expect(sock.localPort).not.toBe(t);
  });

  it('a refused connection rejects with its code, as before', async () => {
    const gone = await listen();
    const port = portOf(gone);
    await new Promise<void>((r) => gone.close(() => r()));
    const err = await connectTcp({ transport: 'tcp', tls: false, host: '127.0.0.1', port }, opts(), new SourcePorts(20000, 30000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectFailure);
    expect((err as ConnectFailure).reason).toBe('ECONNREFUSED');
  });
});
