import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './mosquitto.js';

/** A real Prometheus node_exporter (Debian's prometheus-node-exporter) on a free loopback port, CPU and memory collectors only. */
export interface NodeExporterHandle {
  url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export const NODE_EXPORTER_BIN = process.env.NODE_EXPORTER_BIN ?? '/usr/bin/prometheus-node-exporter';

export async function startNodeExporter(): Promise<NodeExporterHandle> {
  const port = await freePort();
  const proc = spawn(NODE_EXPORTER_BIN, [`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.cpu', '--collector.meminfo'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => (stderr += String(d)));
  const spawnError = new Promise<never>((_, reject) =>
    proc.once('error', (e) => reject(new Error(`cannot start ${NODE_EXPORTER_BIN} (apt-get install prometheus-node-exporter): ${e.message}`))),
  );
  const url = `http://127.0.0.1:${port}/metrics`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await Promise.race([
      fetch(url).then(
        (r) => r.ok,
        () => false,
      ),
      spawnError,
    ]);
    if (ok) break;
    if (proc.exitCode !== null) throw new Error(`node_exporter exited (${proc.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`node_exporter did not answer on ${url} within 10 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    process: proc,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
