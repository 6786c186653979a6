/**
 * `mqbench run --prometheus <port>`: serves the live metrics (src/report/prometheus.ts) on
 * http://127.0.0.1:<port>/metrics from before the run until its results are written.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { InvalidArgumentError } from 'commander';
import { PrometheusExporter, type RunInfo } from '../report/prometheus.js';
import type { Reporter } from '../report/reporter.js';
import { ExitCode, UserError } from '../shared/errors.js';

const HOST = '127.0.0.1';

export function parsePortArg(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a TCP port from 1 to 65535');
  return n;
}

export interface LiveMetrics {
  url: string;
  /** Hand it to runScenario: it takes every interval view, the final one included. */
  reporter: Reporter;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 only (the figures describe the benchmark, nothing to expose to the network).
 * A port in use is a UserError with exit code 1. The server is unref'd: it never keeps the process
 * alive on its own, so an error anywhere in the run cannot leave the command hanging.
 */
export async function startLiveMetrics(port: number, info: RunInfo): Promise<LiveMetrics> {
  const exporter = new PrometheusExporter(info);
  const server = createServer((req, res) => void serve(exporter, req, res));
  await listen(server, port);
  server.unref();
  const url = `http://${HOST}:${port}/metrics`;
  return {
    url,
    reporter: exporter,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(
          new UserError(
            `--prometheus: port ${port} on ${HOST} is already in use`,
            ExitCode.runFailed,
            `choose a free port, or see what listens there: ss -ltnp 'sport = :${port}'`,
          ),
        );
      } else if (e.code === 'EACCES') {
        reject(
          new UserError(
            `--prometheus: not allowed to listen on port ${port}`,
            ExitCode.runFailed,
            'ports below 1024 need privileges: choose a port from 1024 to 65535',
          ),
        );
      } else {
        reject(new UserError(`--prometheus: cannot listen on ${HOST}:${port}: ${e.message}`, ExitCode.runFailed));
      }
    };
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function serve(exporter: PrometheusExporter, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
  } else if (path === '/metrics') {
    try {
      const body = await exporter.metrics();
      res.writeHead(200, { 'content-type': exporter.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot render metrics: ${(e as Error).message}\n`);
    }
  } else if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('mqbench live metrics: GET /metrics (Prometheus text format)\n');
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
  }
}
