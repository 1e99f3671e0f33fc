import type { AddressInfo } from 'node:net';
import type { RunningService, ServiceContext } from '@csm/platform/runtime';
import { once } from '@csm/platform/service';
import { upstreams, type Config } from './config';
import { createApp } from './http/app';

export const SERVICE_NAME = 'gateway';

/** Starts the HTTP server; stop() fails readiness, stops accepting and lets in-flight requests finish. */
export async function start({ config, logger }: ServiceContext<Config>): Promise<RunningService> {
  let accepting = true;
  const app = createApp({ upstreams: upstreams(config), timeoutMs: config.CSM_UPSTREAM_HEALTH_TIMEOUT_MS, isAccepting: () => accepting });
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(config.CSM_HTTP_PORT, config.CSM_HTTP_HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'gateway listening');
  return {
    name: SERVICE_NAME,
    port,
    stop: once(async () => {
      accepting = false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, config.CSM_SHUTDOWN_GRACE_MS);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    }),
  };
}
