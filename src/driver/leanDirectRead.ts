/** The direct read path of plain TCP lean sockets (lean.ts chooses it for events that borrow the payload). */
import { CONN, type Owned, type SocketSink } from './leanSocket.js';
import type { DirectRead } from './tcpConnect.js';

/** Bytes of the thread's direct read buffer (what Node allocates per read on a plain socket). */
const DIRECT_READ_BYTES = 64 * 1024;
let directBuffer: Buffer | null = null;

/**
 * How a plain TCP socket whose events borrow the payload (ConnectionEvents.borrowsPayload) is read: every
 * such socket of the thread reads into one buffer (reads run one at a time, each handled before the next),
 * straight to the connection: no Buffer per read, no readable-stream machinery, no tick per read.
 */
export function directRead(): DirectRead {
  return { buffer: (directBuffer ??= Buffer.allocUnsafe(DIRECT_READ_BYTES)), callback: onRead };
}

function onRead(this: Owned, nread: number, buf: Buffer): boolean {
  const c = this[CONN] as SocketSink | undefined;
  if (c !== undefined) {
    c.onData(buf, nread);
    return true; // keep reading
  }
  // Bytes before our CONNECT was even written (the connection is made once TCP connected): not an MQTT broker.
  this.destroy();
  return false;
}
