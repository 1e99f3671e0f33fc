import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { enableDefaultMetrics, metricsRegistry } from './metrics';

export interface MetricsServerOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly host?: string;
}

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the shared registry as Prometheus text on `GET /metrics` (plain node:http, no framework), with default
 * process metrics enabled. Anything else is 404. One per process.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  enableDefaultMetrics();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metricsRegistry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
