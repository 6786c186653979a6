import { createServer, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Aedes } from 'aedes';

/**
 * An in-process aedes broker on a random loopback port: the zero-setup first run and a
 * second real broker for tests. Results from it describe aedes inside mqbench's own
 * process, not a production broker — reporters say so.
 */
export interface EmbeddedBroker {
  url: string;
  /** The aedes package version. */
  version: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(host = '127.0.0.1'): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `mqtt://${host}:${port}`,
    version: aedesVersion(),
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

function aedesVersion(): string {
  try {
    // aedes' package.json is not in its exports: read it next to its entry file.
    const entry = createRequire(import.meta.url).resolve('aedes');
    return (JSON.parse(readFileSync(join(dirname(entry), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
