import { afterEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { LeanOutput } from './leanOutput.js';

/** A loopback server that keeps every byte it receives, and a client socket connected to it. */
async function pair(): Promise<{ server: Server; client: Socket; received: () => Buffer }> {
  const chunks: Buffer[] = [];
  const server = createServer((s) => s.on('data', (c: Buffer) => chunks.push(c)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const client = connect(port, '127.0.0.1');
  await once(client, 'connect');
  return { server, client, received: () => Buffer.concat(chunks) };
}

/** One turn: `bytes` reserved and written into the output's buffer, then flushed; returns the buffer used. */
function turn(out: LeanOutput, bytes: Buffer): Buffer {
  const off = out.reserve(bytes.length);
  const buf = out.buf!;
  bytes.copy(buf, off);
  out.flush();
  return buf;
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('LeanOutput turn buffers', () => {
  const open: (Server | Socket)[] = [];
  afterEach(() => {
    for (const x of open.splice(0)) 'destroy' in x ? x.destroy() : x.close();
  });

  it('reuses a plain TCP turn buffer the kernel took whole, and the bytes arrive as written', async () => {
    const { server, client, received } = await pair();
    open.push(client, server);
    const out = new LeanOutput(client);
    const a = turn(out, Buffer.from('first turn|'));
    expect(client.writableLength).toBe(0); // the write completed at once: the buffer is free again
    const b = turn(out, Buffer.from('second turn'));
    expect(b.buffer).toBe(a.buffer);
    await until(() => received().length === 22);
    expect(received().toString()).toBe('first turn|second turn');
  });

  it('never reuses a buffer part of which was kept (a frame held for a resend)', async () => {
    const { server, client } = await pair();
    open.push(client, server);
    const out = new LeanOutput(client);
    const off = out.reserve(4);
    Buffer.from('KEEP').copy(out.buf!, off);
    const kept = out.keep(off, 4);
    out.flush();
    const next = turn(out, Buffer.from('xxxx'));
    expect(next.buffer).not.toBe(kept.buffer);
    expect(kept.toString()).toBe('KEEP');
  });

  it('does not reuse a buffer still waiting in the socket (not yet connected)', async () => {
    const chunks: Buffer[] = [];
    const server = createServer((s) => s.on('data', (c: Buffer) => chunks.push(c)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    open.push(client, server);
    const out = new LeanOutput(client);
    turn(out, Buffer.from('while connecting|'));
    expect(client.writableLength).toBeGreaterThan(0); // queued in Node until the connection is up
    turn(out, Buffer.from('then this'));
    await until(() => Buffer.concat(chunks).length === 26);
    expect(Buffer.concat(chunks).toString()).toBe('while connecting|then this');
  });

  it('shares nothing with a stream that is not a plain TCP socket (it may hold the chunks)', () => {
    const s = new PassThrough();
    const out = new LeanOutput(s);
    turn(out, Buffer.from('one'));
    turn(out, Buffer.from('two'));
    expect(Buffer.concat([s.read() as Buffer]).toString()).toBe('onetwo');
  });
});
