import type { Duplex } from 'node:stream';

/** What a socket's events reach: its LeanConnection. */
export interface SocketSink {
  /** The first `len` bytes of `chunk` were read. */
  onData(chunk: Buffer, len?: number): void;
  onError(err: NodeJS.ErrnoException): void;
  onClose(): void;
  onDrain(): void;
}

/** Where a socket keeps its connection (the shared listeners' `this` is the socket). */
export const CONN = Symbol('leanConnection');
export type Owned = Duplex & { [CONN]: SocketSink };

/**
 * Hands a socket's events to its connection: the listeners are shared functions that find the connection
 * under CONN, not closures per connection. A socket made with directRead() emits no 'data': its reads come
 * to leanDirectRead.ts's onRead.
 */
export function listen(sock: Duplex, c: SocketSink): void {
  (sock as Owned)[CONN] = c;
  sock.on('data', onData);
  sock.on('error', onError);
  sock.on('close', onClose);
  sock.on('drain', onDrain);
}

function onData(this: Owned, chunk: Buffer): void {
  this[CONN].onData(chunk);
}
function onError(this: Owned, err: NodeJS.ErrnoException): void {
  this[CONN].onError(err);
}
function onClose(this: Owned): void {
  this[CONN].onClose();
}
function onDrain(this: Owned): void {
  this[CONN].onDrain();
}
