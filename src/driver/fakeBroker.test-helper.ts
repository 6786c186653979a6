import { createServer, type Server, type Socket } from 'node:net';
import { generate, parser as makeParser, type Packet } from 'mqtt-packet';
import { afterEach } from 'vitest';
import type { Connection, ConnectOptions } from './driver.js';

// ---- a scripted broker on a loopback socket: the driver's state machine without mosquitto ----

export interface Fake {
  url: string;
  server: Server;
  /** Every packet the driver sent, in order. */
  got: Packet[];
  sockets: Socket[];
  /** What the automatic CONNACK says (change it between connections). */
  sessionPresent: boolean;
  connackProperties?: Record<string, unknown>;
  send(p: Packet, s?: Socket): void;
  close(): Promise<void>;
}

export type Script = (p: Packet, s: Socket, f: Fake) => void;

/** CONNACK on CONNECT (unless the script handles it), everything recorded. */
export async function fakeBroker(script: Script = () => {}, autoConnack = true): Promise<Fake> {
  const got: Packet[] = [];
  const sockets: Socket[] = [];
  let version: 4 | 5 = 4;
  const server = createServer((s) => {
    sockets.push(s);
    const p = makeParser();
    p.on('packet', (pkt: Packet) => {
      got.push(pkt);
      if (pkt.cmd === 'connect') {
        version = pkt.protocolVersion === 5 ? 5 : 4;
        if (autoConnack) {
          const props = version === 5 && f.connackProperties ? { properties: f.connackProperties } : {};
          f.send({ cmd: 'connack', returnCode: 0, reasonCode: 0, sessionPresent: f.sessionPresent, ...props }, s);
        }
      }
      script(pkt, s, f);
    });
    s.on('data', (d) => p.parse(d));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const f: Fake = {
    url: `mqtt://127.0.0.1:${port}`,
    server,
    got,
    sockets,
    sessionPresent: false,
    send: (pkt, s = sockets[sockets.length - 1]) => void s.write(generate(pkt, { protocolVersion: version })),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
  return f;
}

export function opts(url: string, over: Partial<ConnectOptions> = {}): ConnectOptions {
  return { url, clientId: 'unit', protocolVersion: 4, clean: true, keepaliveSec: 30, timeoutMs: 2000, ...over };
}

export function noEvents() {
  const lost: string[] = [];
  const messages: string[] = [];
  return { lost, messages, onMessage: (t: string, p: Buffer) => void messages.push(`${t}=${p.toString()}`), onLost: (r: string) => void lost.push(r) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** The scripted broker and the connection of the running test. */
export interface ScriptedTest {
  fake: Fake | null;
  conn: Connection | null;
}

/**
 * The scripted broker and the connection of each test in the enclosing `describe`: a test sets them
 * (`ctx.fake = await fakeBroker()`, `ctx.conn = await driver.connect(…)`); after it the connection is destroyed
 * and the broker closed. A test that ended its connection itself sets `ctx.conn = null`.
 */
export function scripted(): ScriptedTest {
  const ctx: ScriptedTest = { fake: null, conn: null };
  afterEach(async () => {
    ctx.conn?.destroy();
    ctx.conn = null;
    await ctx.fake?.close();
    ctx.fake = null;
  });
  return ctx;
}
